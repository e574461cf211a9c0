"""Hybrid search through GraphQL: pages found by meaning across languages, with the filters,
totals, facets, highlights and visibility of a lexical search."""

from __future__ import annotations

import pytest
from wagtail.models import PageViewRestriction

from tests.api.catalogue_data import graphql

SEARCH = """
query Search($q: String!, $types: [String!], $locale: String, $mode: SearchMode,
             $sort: SearchSort) {
  search(query: $q, types: $types, locale: $locale, mode: $mode, sort: $sort) {
    total
    hits { id title score highlights { field fragments } }
    facets { name values { value count } }
  }
}
"""


def search(client, q: str, **variables) -> dict:
    result = graphql(client, SEARCH, {"q": q, **variables})
    assert "errors" not in result, result["errors"]
    return result["data"]["search"]


def titles(found: dict) -> list[str]:
    return [hit["title"] for hit in found["hits"]]


def facet(found: dict, name: str) -> dict[str, int]:
    facets = {f["name"]: f["values"] for f in found["facets"]}
    return {value["value"]: value["count"] for value in facets[name]}


def test_a_french_word_finds_the_english_page_by_its_meaning(client, hybrid, indexed):
    assert search(client, "drogues", mode="LEXICAL")["total"] == 0
    assert "Preventing drug harm" in titles(search(client, "drogues"))


def test_hybrid_is_the_default_mode(client, hybrid, indexed):
    assert search(client, "drogues") == search(client, "drogues", mode="HYBRID")


def test_a_hit_found_by_meaning_shows_its_summary(client, hybrid, indexed):
    hits = {hit["title"]: hit for hit in search(client, "drogues")["hits"]}
    assert hits["Preventing drug harm"]["highlights"] == [
        {"field": "summary", "fragments": ["Harm reduction in nightlife."]}
    ]


def test_a_hit_found_by_its_words_keeps_their_highlights(client, hybrid, indexed):
    hits = {hit["title"]: hit for hit in search(client, "drug")["hits"]}
    assert hits["Preventing drug harm"]["highlights"][0] == {
        "field": "title",
        "fragments": ["Preventing <mark>drug</mark> harm"],
    }


def test_totals_and_facets_count_the_pages_found_either_way(client, hybrid, indexed):
    found = search(client, "drogues")
    assert found["total"] == len(found["hits"]) > 0
    assert sum(facet(found, "type").values()) == found["total"]


def test_filters_apply_to_pages_found_by_meaning(client, hybrid, indexed):
    found = search(client, "drogues", types=["position_paper"])
    assert "Preventing drug harm" not in titles(found)
    assert all(hit["title"] != "Cities meet on drug prevention" for hit in found["hits"])
    # The type facet still counts the other types (counted without its own filter).
    assert facet(found, "type").get("publication", 0) >= 1


def test_pages_found_by_meaning_stay_in_their_locale(client, hybrid, indexed):
    assert "Preventing drug harm" not in titles(search(client, "drogues", locale="fr"))


@pytest.mark.parametrize("query", ['"drogues nuit"', "drogues -police"])
def test_quotes_and_exclusions_keep_the_search_lexical(client, hybrid, indexed, query):
    assert search(client, query)["total"] == 0


def test_a_restricted_page_found_by_meaning_is_never_shown(client, hybrid, indexed):
    PageViewRestriction.objects.create(
        page=indexed["drugs"], restriction_type="password", password="x"
    )
    assert "Preventing drug harm" not in titles(search(client, "drogues"))


def test_an_unpublished_page_found_by_meaning_is_never_shown(client, hybrid, indexed):
    indexed["drugs"].unpublish()  # the index still has it: no worker ran
    assert "Preventing drug harm" not in titles(search(client, "drogues"))


def test_without_vectors_hybrid_searches_lexically(client, indexed):
    assert search(client, "drogues")["total"] == 0
    assert titles(search(client, "drug", mode="HYBRID")) == titles(
        search(client, "drug", mode="LEXICAL")
    )
