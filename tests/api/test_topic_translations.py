"""A translated page's topics are shown, filtered and counted in the page's own language.

Wagtail copies a page's topics as they are when it translates the page: the French page
links the English topic. cms/topic_translations.py maps it to the topic's French translation.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.factories import TopicFactory
from publications.factories import PublicationPageFactory
from tests.api.catalogue_data import graphql

LIST = """query ($topic: String) {
  publications(locale: "fr", topic: $topic) { items { title topics { name slug locale } } }
}"""


def translated(page, locale, title: str):
    french = page.copy_for_translation(locale, copy_parents=True)
    french.title = title
    french.save_revision().publish()
    return french


@pytest.fixture
def drugs(locales):
    """An English topic with a French translation."""
    english = TopicFactory(name="Drugs", slug="drugs")
    french = english.copy_for_translation(locales["fr"])
    french.name, french.slug = "Drogues", "drogues"
    french.save()
    return english


@pytest.fixture
def french_report(publication_index, drugs, locales):
    report = PublicationPageFactory(parent=publication_index, title="Drug report", topics=[drugs])
    return translated(report, locales["fr"], "Rapport sur les drogues")


def items(client, **variables) -> list[dict]:
    result = graphql(client, LIST, variables)
    assert "errors" not in result, result
    return result["data"]["publications"]["items"]


def test_a_translated_page_shows_its_topics_in_its_language(client, french_report) -> None:
    [item] = items(client)
    assert item["topics"] == [{"name": "Drogues", "slug": "drogues", "locale": "fr"}]


def test_a_topic_not_yet_translated_is_shown_as_linked(client, publication_index, locales) -> None:
    spaces = TopicFactory(name="Public spaces", slug="public-spaces")
    report = PublicationPageFactory(parent=publication_index, title="Squares", topics=[spaces])
    translated(report, locales["fr"], "Les places")

    [item] = items(client)
    assert item["topics"] == [{"name": "Public spaces", "slug": "public-spaces", "locale": "en"}]


@pytest.mark.parametrize("slug", ["drogues", "drugs"])
def test_either_slug_of_a_topic_filters_the_translated_page(client, french_report, slug) -> None:
    assert [item["title"] for item in items(client, topic=slug)] == ["Rapport sur les drogues"]


def test_a_translated_topic_counts_the_pages_of_its_language(client, french_report) -> None:
    result = graphql(client, '{ topics(locale: "fr") { slug liveItemCount } }')
    assert result["data"]["topics"] == [{"slug": "drogues", "liveItemCount": 1}]


def test_topics_in_the_pages_language_cost_one_query_for_the_whole_list(
    client, publication_index, drugs, locales
) -> None:
    made = 0

    def queries_with(count: int) -> int:
        nonlocal made
        while made < count:
            report = PublicationPageFactory(
                parent=publication_index, title=f"Report {made}", topics=[drugs]
            )
            translated(report, locales["fr"], f"Rapport {made}")
            made += 1
        with CaptureQueriesContext(connection) as queries:
            assert len(items(client)) == count
        return len(queries)

    assert queries_with(1) == queries_with(3)


def test_a_slug_means_the_topic_of_the_lists_language_first(
    client, publication_index, french_report, locales
) -> None:
    # An unrelated French topic whose slug is the English topic's.
    homonym = TopicFactory(name="Drugs (a French series)", slug="drugs", locale=locales["fr"])
    other = PublicationPageFactory(parent=publication_index, title="Other", topics=[homonym])
    translated(other, locales["fr"], "Autre")

    assert [item["title"] for item in items(client, topic="drugs")] == ["Autre"]
