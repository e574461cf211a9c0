"""The public search through GraphQL, on the embedded engine: what a front end sees."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from publications.factories import PublicationPageFactory
from search import indexing
from tests.api.catalogue_data import graphql

SEARCH = """
query Search($q: String!, $types: [String!], $topics: [String!], $years: YearRange,
             $languages: [String!], $locale: String, $sort: SearchSort, $page: Int,
             $perPage: Int) {
  search(query: $q, types: $types, topics: $topics, years: $years, languages: $languages,
         locale: $locale, sort: $sort, page: $page, perPage: $perPage) {
    total page perPage totalPages
    hits { id type title url date score highlights { field fragments } item { title } }
    facets { name values { value label count } }
    suggestion
  }
}
"""


def search(client, q: str, **variables) -> dict:
    return graphql(client, SEARCH, {"q": q, **variables})


def titles(result: dict) -> list[str]:
    return [hit["title"] for hit in result["data"]["search"]["hits"]]


def facet(result: dict, name: str) -> dict[str, int]:
    facets = {f["name"]: f["values"] for f in result["data"]["search"]["facets"]}
    return {value["value"]: value["count"] for value in facets[name]}


def error_code(result: dict) -> str:
    return result["errors"][0]["extensions"]["code"]


def test_stemming_finds_police_for_policing(client, indexed):
    result = search(client, "police")
    assert titles(result)[0] == "Community policing in European cities"


def test_accents_are_folded_in_french(client, indexed):
    result = search(client, "securite", locale="fr")
    assert titles(result) == ["La sécurité urbaine et la police de proximité"]


def test_search_covers_the_text_of_pdf_downloads(client, indexed):
    result = search(client, "naloxone")
    hit = result["data"]["search"]["hits"][0]
    assert hit["title"] == "Preventing drug harm"
    assert {
        "field": "pdf",
        "fragments": ["<mark>Naloxone</mark> distribution saves lives in Marseille"],
    } in hit["highlights"]


def test_highlights_name_the_field_and_mark_the_words(client, indexed):
    hit = search(client, "residents")["data"]["search"]["hits"][0]
    assert hit["highlights"] == [
        {"field": "summary", "fragments": ["How local police work with <mark>residents</mark>"]}
    ]


def test_title_match_ranks_above_a_pdf_only_match(client, indexed, search_catalogue):
    search_catalogue["undated"].title = "Marseille and its neighbourhoods"
    search_catalogue["undated"].save_revision().publish()
    indexing.rebuild()
    assert titles(search(client, "marseille")) == [
        "Marseille and its neighbourhoods",
        "Preventing drug harm",
    ]


def test_a_typo_still_finds_the_page(client, indexed):
    assert "Community policing in European cities" in titles(search(client, "polcing"))


def test_a_misspelt_word_gets_a_suggestion(client, indexed):
    result = search(client, "residnts")
    assert result["data"]["search"]["suggestion"] == "residents"


def test_well_spelt_words_get_no_suggestion(client, indexed):
    assert search(client, "residents")["data"]["search"]["suggestion"] is None


def test_a_quoted_phrase_must_match_in_order(client, indexed):
    assert titles(search(client, '"drug harm"')) == ["Preventing drug harm"]
    assert titles(search(client, '"harm drug"')) == []


def test_an_excluded_word_removes_its_pages(client, indexed):
    assert titles(search(client, "drug -cities")) == ["Preventing drug harm"]


def test_an_excluded_word_is_stemmed_too(client, indexed):
    # "preventing" and "prevention" share a stem: excluding one excludes both.
    assert titles(search(client, "drug -prevention")) == []


def test_facets_count_with_the_other_filters_applied(client, indexed):
    result = search(client, "drug", types=["press_release"])
    assert titles(result) == ["Cities meet on drug prevention"]
    # The type facet ignores its own filter, so a front end can offer the other types...
    assert facet(result, "type") == {"publication": 1, "press_release": 1}
    # ...and every other facet counts only what the type filter lets through.
    assert facet(result, "year") == {"2024": 1}


def test_facet_values_have_labels(client, indexed):
    result = search(client, "drug")
    facets = {f["name"]: f["values"] for f in result["data"]["search"]["facets"]}
    assert {"value": "drugs", "label": "Drugs", "count": 2} in facets["topic"]
    assert {"value": "press_release", "label": "Press release", "count": 1} in facets["type"]


def test_unknown_years_are_counted_as_unknown(client, indexed):
    result = search(client, "urban security")
    assert facet(result, "year").get("unknown") == 1


def test_year_range_filter(client, indexed):
    result = search(client, "drug", years={"from": 2023, "to": 2025})
    assert titles(result) == ["Cities meet on drug prevention"]


def test_topic_and_language_filters(client, indexed):
    assert titles(search(client, "drug", topics=["drugs"], languages=["en"])) == [
        "Preventing drug harm"
    ]


def test_sort_by_date_puts_newest_first(client, indexed):
    result = search(client, "drug", sort="DATE")
    assert titles(result) == ["Cities meet on drug prevention", "Preventing drug harm"]


def test_pagination(client, indexed):
    result = search(client, "drug", perPage=1, page=2)["data"]["search"]
    assert (result["total"], result["page"], result["totalPages"], len(result["hits"])) == (
        2,
        2,
        2,
        1,
    )


def test_hit_carries_the_page_as_its_graphql_type(client, indexed):
    hit = search(client, "naloxone")["data"]["search"]["hits"][0]
    assert hit["item"] == {"title": "Preventing drug harm"}


@pytest.mark.parametrize(
    ("q", "argument"),
    [("x" * 257, "query"), ("+ - | * ( )", "query"), ('"" -', "query")],
)
def test_bad_queries_are_refused_before_any_engine_call(client, indexed, q, argument, monkeypatch):
    def no_engine():
        raise AssertionError("the engine was asked")

    monkeypatch.setattr("search.schema.get_engine", no_engine)
    result = graphql(client, SEARCH, {"q": q})
    assert error_code(result) == "BAD_USER_INPUT"
    assert result["errors"][0]["extensions"]["argument"] == argument


@pytest.mark.parametrize("per_page", [0, 51])
def test_per_page_is_at_most_50(client, indexed, per_page):
    query = 'query($n: Int) { search(query: "drug", perPage: $n) { total } }'
    result = graphql(client, query, {"n": per_page})
    assert error_code(result) == "BAD_USER_INPUT"
    assert result["errors"][0]["extensions"]["argument"] == "perPage"


def test_unknown_type_filter_is_refused(client, indexed):
    assert error_code(search(client, "drug", types=["blog"])) == "BAD_USER_INPUT"


def test_a_page_hidden_since_it_was_indexed_is_never_returned(client, indexed, search_catalogue):
    # The index still has it (no worker ran), the database says it is restricted.
    PageViewRestriction.objects.create(
        page=search_catalogue["drugs"], restriction_type="password", password="x"
    )
    assert "Preventing drug harm" not in titles(search(client, "drug"))


def test_an_unpublished_page_is_never_returned(client, indexed, search_catalogue):
    search_catalogue["press"].unpublish()
    assert titles(search(client, "drug")) == ["Preventing drug harm"]


def test_search_when_the_index_is_missing_is_a_clear_error(client, search_catalogue):
    result = search(client, "drug")
    assert error_code(result) == "SEARCH_UNAVAILABLE"
    assert "unavailable" in result["errors"][0]["message"]


def test_other_fields_keep_working_when_search_is_unavailable(client, search_catalogue):
    result = graphql(client, "{ publications { items { title } } }")
    assert "errors" not in result


def test_search_runs_a_constant_number_of_queries(client, search_catalogue, publication_index):
    for number in range(6):
        PublicationPageFactory(parent=publication_index, title=f"Drug report {number}")
    indexing.rebuild()
    with CaptureQueriesContext(connection) as few:
        search(client, "drug", types=["publication"], perPage=2)
    with CaptureQueriesContext(connection) as many:
        search(client, "drug", types=["publication"], perPage=7)
    assert len(titles(search(client, "drug", types=["publication"], perPage=7))) == 7
    assert len(few) == len(many)


SUGGEST = "query($p: String!, $l: String) { suggest(prefix: $p, locale: $l) { title url type } }"


def test_suggest_completes_the_last_word_of_titles(client, indexed):
    result = graphql(client, SUGGEST, {"p": "preven"})
    assert {s["title"] for s in result["data"]["suggest"]} == {
        "Preventing drug harm",
        "Cities meet on drug prevention",
    }


def test_suggest_needs_the_earlier_words_whole(client, indexed):
    result = graphql(client, SUGGEST, {"p": "community pol"})
    assert [s["title"] for s in result["data"]["suggest"]] == [
        "Community policing in European cities"
    ]


def test_suggest_stays_in_its_locale(client, indexed):
    result = graphql(client, SUGGEST, {"p": "sécu", "l": "fr"})
    assert [s["title"] for s in result["data"]["suggest"]] == [
        "La sécurité urbaine et la police de proximité"
    ]


def test_many_aliased_searches_are_refused_before_any_engine_call(client, indexed, monkeypatch):
    def no_engine():
        raise AssertionError("the engine was asked")

    monkeypatch.setattr("search.schema.get_engine", no_engine)
    aliases = " ".join(f'q{n}: search(query: "word{n}") {{ total }}' for n in range(30))
    result = graphql(client, "{ " + aliases + " }")

    assert error_code(result) == "GRAPHQL_VALIDATION_FAILED"
    assert result["errors"][0]["extensions"]["cost"] > 1000


@pytest.mark.parametrize("locale", [None, "fr"])
def test_search_reads_no_locale_row(client, indexed, locale):
    # The engine matches on the language code: the code asked for, or the default one.
    with CaptureQueriesContext(connection) as queries:
        result = search(client, "drug", **({"locale": locale} if locale else {}))
    assert "errors" not in result
    assert not [q["sql"] for q in queries if 'FROM "wagtailcore_locale"' in q["sql"]]
