"""The catalogue's root fields over HTTP: lists, filters, pagination, items, taxonomies."""

import pytest
from wagtail.models import Collection, CollectionViewRestriction

from .catalogue_data import graphql

LIST = """{ publications%s { items { title } pagination {
  total count perPage currentPage totalPages nextPage prevPage } } }"""


def titles(client, field: str, arguments: str = "") -> list[str]:
    data = graphql(client, f"{{ {field}{arguments} {{ items {{ title }} }} }}")
    assert "errors" not in data, data
    return [item["title"] for item in data["data"][field]["items"]]


def test_publications_are_listed_newest_first_with_unknown_dates_last(client, catalogue):
    assert titles(client, "publications") == [
        "Preventing drug harm",
        "Night-time guide",
        "Undated report",
    ]


@pytest.mark.parametrize(
    "order, expected",
    [
        ("date", ["Night-time guide", "Preventing drug harm", "Undated report"]),
        ("title", ["Night-time guide", "Preventing drug harm", "Undated report"]),
        ("-title", ["Undated report", "Preventing drug harm", "Night-time guide"]),
    ],
)
def test_publications_follow_an_allowed_order(client, catalogue, order, expected):
    assert titles(client, "publications", f'(order: "{order}")') == expected


@pytest.mark.parametrize(
    "arguments, expected",
    [
        ('(topic: "drugs")', ["Preventing drug harm"]),
        ('(topic: "no-such-topic")', []),
        ("(year: 2019)", ["Night-time guide"]),
        ('(language: "fr")', ["Preventing drug harm"]),
        ('(language: "de")', []),
        ('(type: "guide")', ["Night-time guide"]),
        ('(project: "pactesur")', ["Preventing drug harm"]),
        ('(site: "localhost")', ["Preventing drug harm", "Night-time guide", "Undated report"]),
        ("(inSite: true)", ["Preventing drug harm", "Night-time guide", "Undated report"]),
        ('(locale: "fr")', ["Prévenir les dommages des drogues"]),
        ('(locale: "de")', []),
    ],
)
def test_publications_filters(client, catalogue, arguments, expected):
    assert titles(client, "publications", arguments) == expected


def test_position_papers_filter_by_kind(client, catalogue):
    assert titles(client, "positionPapers", '(kind: "declaration")') == ["Brussels Declaration"]
    assert titles(client, "positionPapers", '(kind: "resolution")') == []


def test_press_releases_filter_by_year(client, catalogue):
    assert titles(client, "pressReleases", "(year: 2024)") == ["Cities gather in Brussels"]


def test_pagination_describes_the_page(client, catalogue):
    data = graphql(client, LIST % "(perPage: 2, page: 2)")
    page = data["data"]["publications"]
    assert [item["title"] for item in page["items"]] == ["Undated report"]
    assert page["pagination"] == {
        "total": 3,
        "count": 1,
        "perPage": 2,
        "currentPage": 2,
        "totalPages": 2,
        "nextPage": None,
        "prevPage": 1,
    }


def test_a_page_past_the_end_is_empty(client, catalogue):
    data = graphql(client, LIST % "(perPage: 2, page: 5)")
    assert data["data"]["publications"]["items"] == []
    assert data["data"]["publications"]["pagination"]["total"] == 3


@pytest.mark.parametrize(
    "arguments, argument, message",
    [
        (
            '(order: "date; DROP TABLE")',
            "order",
            "order must be one of: -date, date, title, -title",
        ),
        ('(order: "document__file")', "order", "order must be one of"),
        ("(perPage: 101)", "perPage", "perPage must be between 1 and 100"),
        ("(perPage: 0)", "perPage", "perPage must be between 1 and 100"),
        ("(page: 0)", "page", "page starts at 1"),
        ('(type: "pamphlet")', "type", "type must be one of: guide, report"),
        ('(locale: "xx")', "locale", "locale must be one of: en, fr, es, it, de, pt"),
        ('(language: "klingon")', "language", "language must be an ISO 639-1 code"),
        ('(site: "nowhere.example")', "site", "There is no site with hostname"),
        ("(year: 99999)", "year", "year must be a four-digit year"),
    ],
)
def test_a_refused_argument_is_a_bad_user_input_error(
    client, catalogue, arguments, argument, message
):
    data = graphql(client, LIST % arguments)
    [error] = data["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["argument"] == argument
    assert message in error["message"]
    assert data["data"] is None
    # The message names allowed values, never the models behind them.
    assert "publication_type" not in error["message"] and "__" not in error["message"]


@pytest.mark.parametrize(
    "arguments",
    [
        '(slug: "preventing-drug-harm")',
        '(urlPath: "/publications/preventing-drug-harm/")',
        '(urlPath: "publications/preventing-drug-harm")',
        '(urlPath: "/publications/preventing-drug-harm/", site: "localhost")',
    ],
)
def test_one_publication_by_slug_or_path(client, catalogue, arguments):
    data = graphql(client, f"{{ publication{arguments} {{ title }} }}")
    assert data == {"data": {"publication": {"title": "Preventing drug harm"}}}


def test_one_publication_by_id(client, catalogue):
    data = graphql(client, f'{{ publication(id: "{catalogue.drug_guide.pk}") {{ title }} }}')
    assert data["data"]["publication"]["title"] == "Preventing drug harm"


def test_a_translation_by_its_localized_path(client, catalogue):
    path = catalogue.french_drug_guide.get_url_parts()[2]
    assert path.startswith("/fr/")
    data = graphql(client, f'{{ publication(urlPath: "{path}") {{ title locale }} }}')
    assert data["data"]["publication"] == {
        "title": "Prévenir les dommages des drogues",
        "locale": "fr",
    }


@pytest.mark.parametrize(
    "arguments", ['(slug: "no-such-page")', '(id: "999999")', '(urlPath: "/nowhere/")', ""]
)
def test_an_unknown_item_is_null_not_an_error(client, catalogue, arguments):
    assert graphql(client, f"{{ publication{arguments} {{ title }} }}") == {
        "data": {"publication": None}
    }


def test_a_non_numeric_id_is_a_bad_user_input(client, catalogue):
    data = graphql(client, '{ publication(id: "abc") { title } }')
    assert data["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert data["data"] == {"publication": None}


def test_an_item_exposes_what_editors_author(client, catalogue):
    query = """{ publication(slug: "preventing-drug-harm") {
      title subtitle type date datePrecision displayDate year pageCount isbn
      summary url urlPath locale
      body { blockType ... on HeadingBlock { text level } ... on QuoteBlock { text attribution } }
      topics { name slug } project { ... on Project { acronym } }
      authors { name affiliation } isbns { isbn note }
      downloads { language label title url fileSize mimeType fileExtension }
      relatedPublications { title }
      translations { locale url }
      coverImage { width height rendition(fill: "300x424") { width height url } }
    } }"""
    item = graphql(client, query)["data"]["publication"]
    assert item["type"] == "report" and item["subtitle"] == "A guide for cities"
    assert (item["date"], item["datePrecision"], item["displayDate"], item["year"]) == (
        "2021-01-01",
        "year",
        "2021",
        2021,
    )
    assert item["summary"] == "<p>Demo summary.</p>"
    assert item["urlPath"] == "/publications/preventing-drug-harm/"
    assert item["url"] == "http://localhost:3000/publications/preventing-drug-harm/"
    assert item["body"] == [
        {"blockType": "HeadingBlock", "text": "Why", "level": "h2"},
        {"blockType": "QuoteBlock", "text": "Prevention first.", "attribution": "Demo"},
    ]
    assert item["topics"] == [{"name": "drugs", "slug": "drugs"}]
    assert item["project"] == {"acronym": "PACTESUR"}
    assert item["authors"] == [{"name": "Efus", "affiliation": "Paris"}]
    assert item["isbn"] == "978-2-913181-55-7"
    assert [d["language"] for d in item["downloads"]] == ["en", "fr"]
    download = item["downloads"][0]
    assert download["url"].startswith("http://testserver/documents/")
    assert download["fileSize"] > 0 and download["label"] == "full report"
    assert download["mimeType"] and download["fileExtension"]
    assert item["relatedPublications"] == [{"title": "Night-time guide"}]
    assert item["translations"] == [
        {"locale": "fr", "url": "http://localhost:3000/fr/publications/preventing-drug-harm/"}
    ]
    assert "fill-300x424" in item["coverImage"]["rendition"]["url"]


def test_a_rendition_outside_the_allowlist_is_refused(client, catalogue):
    data = graphql(
        client,
        '{ publication(slug: "preventing-drug-harm") '
        '{ coverImage { rendition(fill: "5x5") { url } } } }',
    )
    assert data["errors"]
    assert data["data"]["publication"]["coverImage"]["rendition"] is None


def test_position_paper_with_its_signatories(client, catalogue):
    query = """{ positionPaper(slug: "brussels-declaration") {
      title kind place displayDate signatories { name country } downloads { language } } }"""
    assert graphql(client, query)["data"]["positionPaper"] == {
        "title": "Brussels Declaration",
        "kind": "declaration",
        "place": "Brussels",
        "displayDate": "2022-11-23",
        "signatories": [{"name": "Brussels", "country": "BE"}],
        "downloads": [{"language": "fr"}],
    }


def test_press_release_with_its_related_position(client, catalogue):
    query = """{ pressReleases { items { title displayDate mediaContactName
      relatedPositions { title } } } }"""
    [item] = graphql(client, query)["data"]["pressReleases"]["items"]
    assert item == {
        "title": "Cities gather in Brussels",
        "displayDate": "2024-03",
        "mediaContactName": "Press office",
        "relatedPositions": [{"title": "Brussels Declaration"}],
    }


def test_topics_count_their_live_items(client, catalogue):
    data = graphql(client, "{ topics { slug liveItemCount } }")
    assert data["data"]["topics"] == [
        {"slug": "drugs", "liveItemCount": 2},
        {"slug": "public-spaces", "liveItemCount": 2},
    ]


def test_projects_and_members(client, catalogue):
    data = graphql(client, '{ projects { acronym } members(country: "be") { name } }')
    assert data["data"] == {
        "projects": [{"acronym": "PACTESUR"}],
        "members": [{"name": "Brussels"}],
    }


def test_page_by_path_for_routing(client, catalogue):
    data = graphql(
        client, '{ page(urlPath: "/publications/") { title children(limit: 2) { title } } }'
    )
    assert data["data"]["page"]["title"] == "Publications"
    assert len(data["data"]["page"]["children"]) == 2


def test_tree_lists_refuse_a_limit_above_100(client, catalogue):
    data = graphql(client, '{ page(urlPath: "/publications/") { children(limit: 101) { title } } }')
    assert data["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_language_filter_ignores_files_nobody_may_download(client, catalogue):
    private = Collection.get_first_root_node().add_child(name="Private")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    french = catalogue.drug_guide.downloads.get(language="fr").document
    french.collection = private
    french.save()

    assert titles(client, "publications", '(language: "fr")') == []
    assert titles(client, "publications", '(language: "en")') == [
        "Preventing drug harm",
        "Night-time guide",
    ]


def test_a_request_creates_at_most_a_few_new_renditions(client, catalogue):
    sizes = ['fill: "300x424"', 'fill: "600x848"', 'fill: "400x300"', 'fill: "800x600"']
    fields = " ".join(f"r{i}: rendition({size}) {{ url }}" for i, size in enumerate(sizes))
    query = '{ publication(slug: "preventing-drug-harm") { coverImage { %s } } }'
    renditions = catalogue.drug_guide.cover_image.renditions

    data = graphql(client, query % (fields + " r4: rendition(width: 320) { url }"))

    assert renditions.count() == 4  # the budget, MAX_NEW_RENDITIONS
    assert [e["extensions"]["code"] for e in data["errors"]] == ["RENDITION_LIMIT"]
    # Existing renditions are free: the same four again create nothing and pass.
    assert "errors" not in graphql(client, query % fields)
    assert renditions.count() == 4


def test_an_image_size_outside_the_allowlist_is_a_bad_user_input(client, catalogue):
    query = '{ publication(slug: "preventing-drug-harm") { coverImage { %s } } }'
    data = graphql(client, query % 'rendition(fill: "5x5") { url }')
    assert data["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "fill-300x424" in data["errors"][0]["message"]


def test_id_and_slug_together_must_both_match(client, catalogue):
    other = catalogue.night_guide.pk
    data = graphql(
        client, f'{{ publication(id: "{other}", slug: "preventing-drug-harm") {{ title }} }}'
    )
    assert data == {"data": {"publication": None}}
