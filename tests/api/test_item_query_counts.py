"""No N+1 on an item page (issue 19): one publication, position paper, press release or page by
path costs as many SQL queries with no topic, file or related page as with one or many, and
at most six; what it shows of its related pages and translations is theirs.

Three of each item: an empty one (no topic, download or related publication), a small one
(one of each) and a big one (six topics, four downloads, five related publications); each has
a live French translation linking the English topics, as Wagtail's translation leaves them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Page
from wagtail_factories import DocumentFactory, ImageFactory

from cms.factories import MemberFactory, ProjectFactory, TopicFactory, make_home_page
from positions.factories import (
    PositionIndexPageFactory,
    PositionPaperPageFactory,
    PressReleaseIndexPageFactory,
    PressReleasePageFactory,
)
from positions.models import (
    PositionDownload,
    PositionRelatedPublication,
    PositionSignatory,
    PressReleaseAttachment,
    PressReleaseRelatedPosition,
    PressReleaseRelatedPublication,
)
from publications.factories import PublicationIndexPageFactory, PublicationPageFactory
from publications.models import PublicationAuthor, PublicationDownload, RelatedPublication

from .worlds import rolled_back, without_query_limits  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

# Issue 19's ceiling. A publication costs 3: the view restrictions, the page with its rows
# (cms.inline_rows), its related publications with its translations; a position paper 4 (its
# related publications are of another type), a press release 5 (related positions too),
# `page(urlPath)` one more than its type's (the path lookup).
MAX_ITEM_QUERIES = 6
SIZES = {"none": (0, 0, 0), "small": (1, 1, 1), "big": (6, 4, 5)}  # topics, files, related
TOPICS = "topics { name slug }"
FILES = "language label url fileSize mimeType"
RELATED = f"relatedPublications {{ title url displayDate {TOPICS} }}"
BODY = "body { blockType ... on RichTextBlock { value } }"
PUBLICATION = f"""
    id title subtitle type url summary {BODY}
    coverImage {{ rendition(fill: "300x424") {{ url }} srcSet(sizes: [320, 640]) }}
    authors {{ name }} {TOPICS} project {{ ... on Project {{ acronym }} }}
    downloads {{ {FILES} }} {RELATED}
    translations {{ locale url title ... on PublicationPage {{ {TOPICS} }} }}
"""
QUERIES = {
    "publication": f"""query ($slug: String!) {{
        item: publication(slug: $slug) {{ {PUBLICATION} }} }}""",
    "page": f"""query ($path: String!) {{
        item: page(urlPath: $path) {{ ... on PublicationPage {{ {PUBLICATION} }} }} }}""",
    "positionPaper": f"""query ($slug: String!) {{ item: positionPaper(slug: $slug) {{
        id title summary {BODY} signatories {{ name }} {TOPICS} downloads {{ {FILES} }} {RELATED}
        translations {{ locale url ... on PositionPaperPage {{ {TOPICS} }} }}
    }} }}""",
    "pressRelease": f"""query ($slug: String!) {{ item: pressRelease(slug: $slug) {{
        id title summary {BODY} {TOPICS} attachments {{ {FILES} }}
        relatedPositions {{ title url }} {RELATED}
        translations {{ locale url ... on PressReleasePage {{ {TOPICS} }} }}
    }} }}""",
}


def ask(query: str, variables: dict) -> tuple[int, dict, list[str]]:
    """SQL queries of one uncached answer, and the answer: the second of two, the first
    having made the renditions and cached the site's root paths. Each carries an unused
    variable of its own, which the response cache keys on, so the second misses it too."""
    client = Client()
    for nonce in ("warm", "counted"):
        data = {"query": query, "variables": {**variables, "nonce": nonce}}
        with CaptureQueriesContext(connection) as captured:
            response = client.post("/graphql/", data, content_type="application/json")
    return len(captured), response.json(), [q["sql"] for q in captured]


def translate(page, french: Locale):
    translation = page.copy_for_translation(french, copy_parents=True)
    translation.save_revision().publish()
    ancestors = translation.get_ancestors().filter(depth__gte=2).values_list("pk", flat=True)
    Page.objects.filter(pk__in=list(ancestors)).update(live=True)
    return translation


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[dict]:
    with rolled_back(django_db_blocker):
        yield build_world()


def build_world() -> dict:
    french, _ = Locale.objects.get_or_create(language_code="fr")
    home = make_home_page()
    topics = [TopicFactory(name=f"Topic {n}") for n in range(6)]
    documents = [DocumentFactory(title=f"File {n}") for n in range(4)]
    cover = ImageFactory(title="Cover")
    project = ProjectFactory()
    members = [MemberFactory() for _ in range(3)]
    publication_index = PublicationIndexPageFactory(parent=home)
    position_index = PositionIndexPageFactory(parent=home)
    press_index = PressReleaseIndexPageFactory(parent=home)
    targets = []
    for number in range(5):
        target = PublicationPageFactory(
            parent=publication_index, title=f"Related {number}", date=datetime.date(2020, 1, 1)
        )
        target.topics.set(topics[: number + 1])
        target.save()  # a ParentalManyToManyField is written when its page is saved
        targets.append(target)
    summary = '<p>A <b>summary</b>.</p><script>alert("no")</script>'
    body = [{"type": "paragraph", "value": "<p>Some <i>text</i>.</p>"}]
    made: dict = {}
    for size, (n_topics, n_files, n_related) in SIZES.items():
        day = datetime.date(2024, 1, 1 + len(made))
        publication = PublicationPageFactory(
            parent=publication_index, slug=f"{size}-publication", project=project,
            cover_image=cover, summary=summary, body=body, date=day, date_precision="day",
        )  # fmt: skip
        position = PositionPaperPageFactory(
            parent=position_index,
            slug=f"{size}-position",
            summary=summary,
            body=body,
            date=day,
            date_precision="day",
        )
        release = PressReleasePageFactory(
            parent=press_index,
            slug=f"{size}-release",
            summary=summary,
            body=body,
            date=day,
            date_precision="day",
        )
        for page in (publication, position, release):
            page.topics.set(topics[:n_topics])
            page.save()
        PublicationAuthor.objects.bulk_create(
            PublicationAuthor(page=publication, name=f"Author {n}", sort_order=n)
            for n in range(n_files)
        )
        for model, page in (
            (PublicationDownload, publication),
            (PositionDownload, position),
            (PressReleaseAttachment, release),
        ):
            model.objects.bulk_create(
                model(page=page, language=lang, document=doc, sort_order=k)
                for k, (lang, doc) in enumerate(
                    zip(["en", "fr", "de", "es"][:n_files], documents, strict=False)
                )
            )
        for model, page in (
            (RelatedPublication, publication),
            (PositionRelatedPublication, position),
            (PressReleaseRelatedPublication, release),
        ):
            model.objects.bulk_create(
                model(page=page, publication=target, sort_order=k)
                for k, target in enumerate(targets[:n_related])
            )
        PositionSignatory.objects.bulk_create(
            PositionSignatory(page=position, member=member, sort_order=k)
            for k, member in enumerate(members[:n_files])
        )
        PressReleaseRelatedPosition.objects.create(page=release, position=position)
        for page in (publication, position, release):
            translate(type(page).objects.get(pk=page.pk), french)
        made[size] = {"publication": publication, "position": position, "release": release}
    return made


def variables(world: dict, field: str, size: str) -> dict:
    pages = world[size]
    if field == "page":
        return {"path": pages["publication"].get_url_parts()[2]}
    key = {"publication": "publication", "positionPaper": "position", "pressRelease": "release"}
    return {"slug": pages[key[field]].slug}


@pytest.mark.parametrize("field", list(QUERIES))
def test_item_costs_as_many_queries_with_many_relations_as_with_one(world, field) -> None:
    asked = {size: ask(QUERIES[field], variables(world, field, size)) for size in SIZES}

    for size, (_count, answer, _sql) in asked.items():
        item = answer["data"]["item"]
        assert item, answer
        assert len(item["topics"]) == SIZES[size][0]
        assert len(item["relatedPublications"]) == SIZES[size][2]
    counts = {size: count for size, (count, _answer, _sql) in asked.items()}
    # No related page of a type: no query for that type (Django runs none for `pk__in=[]`).
    assert counts["none"] <= counts["small"] == counts["big"], counts
    assert counts["big"] <= MAX_ITEM_QUERIES, "\n".join(asked["big"][2])


@pytest.mark.parametrize("field", list(QUERIES))
def test_item_costs_few_queries(world, field) -> None:
    count, answer, sql = ask(QUERIES[field], variables(world, field, "big"))

    assert "errors" not in answer
    assert count <= MAX_ITEM_QUERIES, "\n".join(sql)


def test_item_shows_its_related_pages_and_translations_with_their_own_topics(world) -> None:
    _count, answer, _sql = ask(QUERIES["publication"], variables(world, "publication", "big"))

    item = answer["data"]["item"]
    related = item["relatedPublications"]
    assert [r["title"] for r in related] == [f"Related {n}" for n in range(5)]
    assert [len(r["topics"]) for r in related] == [1, 2, 3, 4, 5]
    assert [t["locale"] for t in item["translations"]] == ["fr"]
    assert [t["name"] for t in item["translations"][0]["topics"]] == [
        f"Topic {n}" for n in range(6)
    ]
    assert "<script>" not in item["summary"] and "<b>summary</b>" in item["summary"]
    assert len(item["downloads"]) == 4 and len(item["authors"]) == 4


def test_item_read_inline_shows_what_a_list_shows_of_it(world) -> None:
    # The list reads the same relations with one prefetch query each (cms/prefetch.py); the
    # item reads them as JSON in its own query (cms/inline_rows.py): both build the same rows.
    listed = f"""query {{ publications(perPage: 100) {{ items {{ slug {PUBLICATION} }} }} }}"""
    _count, answer, _sql = ask(listed, {})
    items = {item["slug"]: item for item in answer["data"]["publications"]["items"]}

    for size in SIZES:
        _count, one, _sql = ask(QUERIES["publication"], variables(world, "publication", size))
        listed_item = items[f"{size}-publication"]
        del listed_item["slug"]
        assert one["data"]["item"] == listed_item
