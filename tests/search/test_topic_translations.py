"""A translated page is indexed with its topics in its own language (cms/topic_translations.py),
and found by either slug of a topic."""

from __future__ import annotations

import pytest

from cms.factories import TopicFactory
from publications.factories import PublicationPageFactory
from publications.models import PublicationPage
from search import indexing
from search.documents import documents_of
from search.engines import get_engine
from search.query import SearchRequest, parse_query
from tests.api.catalogue_data import graphql

SEARCH = """query ($topics: [String!]) {
  search(query: "rapport", locale: "fr", topics: $topics) {
    hits { title }
    facets { name values { value label count } }
  }
}"""


def translate_topic(topic, locale, name: str, slug: str):
    french = topic.copy_for_translation(locale)
    french.name, french.slug = name, slug
    french.save()
    return french


@pytest.fixture
def drugs():
    return TopicFactory(name="Drugs", slug="drugs")


@pytest.fixture
def french_report(publication_index, drugs, locales):
    report = PublicationPageFactory(parent=publication_index, title="Drug report", topics=[drugs])
    french = report.copy_for_translation(locales["fr"], copy_parents=True)
    french.title = "Rapport sur les drogues"
    french.save_revision().publish()
    return french


def test_a_translated_page_is_indexed_with_its_topics_in_its_language(
    french_report, drugs, locales
) -> None:
    translate_topic(drugs, locales["fr"], "Drogues", "drogues")

    [document] = documents_of([PublicationPage.objects.get(pk=french_report.pk)])

    assert document.topics == ["drogues"]
    assert "Drogues" in document.tags


@pytest.mark.parametrize("slug", ["drogues", "drugs"])
def test_either_slug_of_a_topic_finds_the_translated_page(
    client, french_report, drugs, locales, slug
) -> None:
    translate_topic(drugs, locales["fr"], "Drogues", "drogues")
    indexing.rebuild()

    result = graphql(client, SEARCH, {"topics": [slug]})["data"]["search"]

    assert [hit["title"] for hit in result["hits"]] == ["Rapport sur les drogues"]
    [topics] = [facet["values"] for facet in result["facets"] if facet["name"] == "topic"]
    assert topics == [{"value": "drogues", "label": "Drogues", "count": 1}]


def test_translating_a_topic_later_reindexes_the_pages_that_link_it(
    french_report, drugs, locales, worker
) -> None:
    worker()
    translate_topic(drugs, locales["fr"], "Drogues", "drogues")
    worker()

    found = get_engine().search(
        SearchRequest(query=parse_query("rapport"), locale="fr", topics=("drogues",))
    )
    assert [hit.id for hit in found.hits] == [french_report.pk]
