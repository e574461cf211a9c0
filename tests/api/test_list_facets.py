"""The catalogue lists' `facets` (cms/api/facets.py): exact, disjunctive counts of the visible
pages of the list's site and locale, topics in the list's language, in a constant number of
SQL queries, and kept up to date by the response cache's invalidation."""

from __future__ import annotations

import datetime
import itertools
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction, Site

from cms.factories import HomePageFactory, TopicFactory
from positions.factories import PositionDownloadFactory, PositionPaperPageFactory
from publications.factories import (
    PublicationDownloadFactory,
    PublicationIndexPageFactory,
    PublicationPageFactory,
)
from tests.api.catalogue_data import graphql

FACETS = "facets { name values { value label count } }"
PUBLICATIONS = (
    "query ($type: String, $topic: String, $year: Int, $language: String, $locale: String,"
    " $site: String, $project: String) {"
    " publications(type: $type, topic: $topic, year: $year, language: $language,"
    " locale: $locale, site: $site, project: $project, perPage: 2) {"
    " pagination { total } " + FACETS + " } }"
)


def facets(client: Client, query: str = PUBLICATIONS, field: str = "publications", **variables):
    """The list's facets as {name: {value: count}} and its total."""
    result = graphql(client, query, variables)
    assert "errors" not in result, result
    answer = result["data"][field]
    counts = {
        facet["name"]: {value["value"]: value["count"] for value in facet["values"]}
        for facet in answer["facets"]
    }
    return counts, answer["pagination"]["total"]


def labels(client: Client, name: str, **variables) -> list[tuple[str, str]]:
    result = graphql(client, PUBLICATIONS, variables)
    assert "errors" not in result, result
    [facet] = [f for f in result["data"]["publications"]["facets"] if f["name"] == name]
    return [(value["value"], value["label"]) for value in facet["values"]]


def nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {value: count for value, count in counts.items() if count}


@pytest.fixture
def topics(locales):
    drugs = TopicFactory(name="Drugs", slug="drugs")
    french = drugs.copy_for_translation(locales["fr"])
    french.name, french.slug = "Drogues", "drogues"
    french.save()
    spaces = TopicFactory(name="Public spaces", slug="public-spaces")  # never translated
    return {"drugs": drugs, "spaces": spaces}


@pytest.fixture
def shelf(publication_index, topics, locales):
    """Four visible English publications, and pages no anonymous client may see."""
    drugs, spaces = topics["drugs"], topics["spaces"]

    def publication(title, kind, date, linked, languages=()):
        page = PublicationPageFactory(
            parent=publication_index,
            title=title,
            publication_type=kind,
            date=date,
            topics=linked,
        )
        for language in languages:
            PublicationDownloadFactory(page=page, language=language)
        return page

    a = publication("A", "report", datetime.date(2021, 3, 1), [drugs], ["en", "fr"])
    publication("B", "report", datetime.date(2019, 5, 1), [spaces], ["en"])
    publication("C", "guide", datetime.date(2021, 9, 1), [drugs, spaces], ["fr"])
    publication("D", "guide", None, [])
    # A file in a restricted collection: its language is not offered.
    secret = Collection.get_first_root_node().add_child(name="Members only")
    CollectionViewRestriction.objects.create(collection=secret, restriction_type="login")
    PublicationDownloadFactory(page=a, language="de", document__collection=secret)
    # Never counted: a draft, an expired page and a restricted page, all on every facet.
    hidden = [
        PublicationPageFactory(
            parent=publication_index,
            title=title,
            publication_type="manifesto",
            date=datetime.date(2018, 1, 1),
            topics=[drugs],
        )
        for title in ("Draft", "Expired", "Restricted")
    ]
    for page in hidden:
        PublicationDownloadFactory(page=page, language="it")
    hidden[0].unpublish()
    Page.objects.filter(pk=hidden[1].pk).update(expire_at=timezone.now() - timedelta(days=1))
    PageViewRestriction.objects.create(page=hidden[2], restriction_type="password", password="x")
    french = a.copy_for_translation(locales["fr"], copy_parents=True)
    french.title = "A en français"
    french.save_revision().publish()
    return a


def test_counts_are_exact_for_the_visible_pages(client: Client, shelf) -> None:
    counts, total = facets(client)

    assert total == 4
    assert list(counts) == ["type", "topic", "year", "language"]
    assert nonzero(counts["type"]) == {"guide": 2, "report": 2}
    assert counts["topic"] == {"drugs": 2, "public-spaces": 2}
    assert counts["year"] == {"2021": 2, "2019": 1}  # the undated page has no year
    assert counts["language"] == {"en": 2, "fr": 2}  # not "de" (restricted), not "it" (hidden)
    assert counts["type"]["manifesto"] == 0  # the hidden pages' type


def test_types_are_listed_in_the_documented_order_years_newest_first(client: Client, shelf) -> None:
    counts, _total = facets(client)

    assert list(counts["type"]) == [
        "guide",
        "report",
        "manifesto",
        "methodological tool",
        "policy paper",
        "activity report",
        "proceedings",
        "newsletter",
        "other",
    ]
    assert list(counts["year"]) == ["2021", "2019"]
    assert ("report", "Report") in labels(client, "type")
    assert ("fr", "French") in labels(client, "language")


def test_each_facet_ignores_its_own_filter_and_applies_the_others(client: Client, shelf) -> None:
    counts, total = facets(client, type="report")

    assert total == 2
    assert nonzero(counts["type"]) == {"guide": 2, "report": 2}  # its own filter left out
    assert counts["topic"] == {"drugs": 1, "public-spaces": 1}
    assert counts["year"] == {"2021": 1, "2019": 1}
    assert counts["language"] == {"en": 2, "fr": 1}

    counts, total = facets(client, type="report", year=2021)

    assert total == 1
    assert nonzero(counts["type"]) == {"guide": 1, "report": 1}  # the year applies
    assert counts["year"] == {"2021": 1, "2019": 1}  # the type applies, not the year
    assert counts["topic"] == {"drugs": 1}
    assert counts["language"] == {"en": 1, "fr": 1}


def test_topic_and_language_filters_count_like_the_list(client: Client, shelf) -> None:
    counts, total = facets(client, topic="drugs", language="fr")

    assert total == 2  # A and C
    assert nonzero(counts["type"]) == {"guide": 1, "report": 1}
    assert counts["topic"] == {"drugs": 2, "public-spaces": 1}  # in French: A, C; C
    assert counts["language"] == {"en": 1, "fr": 2}  # on drugs: A (en, fr), C (fr)
    assert counts["year"] == {"2021": 2}


def test_an_active_value_nothing_matches_is_still_listed_at_zero(client: Client, shelf) -> None:
    counts, total = facets(client, topic="drugs", year=2019)

    assert total == 0
    assert list(counts["year"].items()) == [("2021", 2), ("2019", 0)]  # still newest first
    assert list(counts["topic"].items()) == [("drugs", 0), ("public-spaces", 1)]  # by name
    assert ("drugs", "Drugs") in labels(client, "topic", topic="drugs", year=2019)


def test_topics_are_labelled_and_filtered_in_the_lists_locale(client: Client, shelf) -> None:
    counts, total = facets(client, locale="fr")

    assert total == 1  # the French translation of A
    # The French page links the English topic (Wagtail copied it): counted as its French
    # translation, by the slug the filter takes in French.
    assert labels(client, "topic", locale="fr") == [("drogues", "Drogues")]
    assert counts["language"] == {"en": 1, "fr": 1}
    assert nonzero(counts["type"]) == {"report": 1}
    assert facets(client, locale="fr", topic="drogues")[1] == 1
    # In English, the English names, alphabetically.
    assert labels(client, "topic") == [("drugs", "Drugs"), ("public-spaces", "Public spaces")]


def test_a_site_counts_its_own_pages_only(client: Client, shelf) -> None:
    conference = HomePageFactory(parent=Page.get_first_root_node(), slug="conference")
    Site.objects.create(hostname="conference.localhost", root_page=conference)
    index = PublicationIndexPageFactory(parent=conference)
    PublicationPageFactory(
        parent=index, publication_type="proceedings", date=datetime.date(2015, 1, 1)
    )

    everywhere, total = facets(client)
    conference_only, conference_total = facets(client, site="conference.localhost")

    assert total == 5
    assert everywhere["year"] == {"2021": 2, "2019": 1, "2015": 1}
    assert conference_total == 1
    assert nonzero(conference_only["type"]) == {"proceedings": 1}
    assert conference_only["year"] == {"2015": 1}
    assert conference_only["topic"] == {}
    assert nonzero(facets(client, site="localhost")[0]["type"]) == {"guide": 2, "report": 2}


def test_position_papers_count_kinds_and_press_releases_topics_and_years(
    client: Client, position_index, press_release_index, topics
) -> None:
    PositionPaperPageFactory(
        parent=position_index,
        kind="declaration",
        date=datetime.date(2022, 1, 1),
        topics=[topics["spaces"]],
    )
    paper = PositionPaperPageFactory(
        parent=position_index, kind="statement", date=datetime.date(2023, 1, 1)
    )
    PositionDownloadFactory(page=paper, language="es")
    positions = "query ($kind: String) { positionPapers(kind: $kind) { pagination { total } %s } }"
    releases = "{ pressReleases { pagination { total } %s } }"

    counts, _total = facets(client, positions % FACETS, "positionPapers", kind="statement")
    assert list(counts) == ["kind", "topic", "year", "language"]
    assert list(counts["kind"]) == [
        "position paper",
        "declaration",
        "manifesto",
        "statement",
        "resolution",
    ]
    assert nonzero(counts["kind"]) == {"declaration": 1, "statement": 1}
    assert counts["year"] == {"2023": 1}
    assert counts["language"] == {"es": 1}
    assert counts["topic"] == {}

    counts, total = facets(client, releases % FACETS, "pressReleases")
    assert (list(counts), total) == (["topic", "year"], 0)


def test_facets_cost_no_query_unless_selected(client: Client, shelf) -> None:
    without = '{ publications(type: "report") { pagination { total } } }'
    with_facets = without.replace("} }", "} " + FACETS + " }", 1)

    def queries(query: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert "errors" not in graphql(Client(), query)
        return len(captured)

    # One GROUP BY per facet, and the ids of the restricted collections' subtrees (the
    # shelf has one), read for the language facet only.
    assert queries(with_facets) == queries(without) + 4 + 1


@pytest.mark.parametrize("filters", [{}, {"topic": "drugs", "year": 2000, "language": "fr"}])
def test_the_number_of_queries_does_not_grow_with_pages_or_topics(
    client: Client, publication_index, topics, filters
) -> None:
    made = itertools.count()

    def world_of(size: int) -> None:
        for n in range(size):
            topic = TopicFactory(name=f"Topic {next(made)}")
            page = PublicationPageFactory(
                parent=publication_index,
                publication_type=["report", "guide", "other"][n % 3],
                date=datetime.date(2000 + n, 1, 1),
                topics=[topics["drugs"], topic],
            )
            PublicationDownloadFactory(page=page, language=["fr", "en", "de"][n % 3])

    def queries() -> tuple[int, dict]:
        with CaptureQueriesContext(connection) as captured:
            counts, _total = facets(Client(), **filters)
        return len(captured), counts

    world_of(2)
    small, counts = queries()
    assert sum(counts["topic"].values()) >= 1
    world_of(12)
    large, counts = queries()

    assert len(counts["year"]) >= 2 and len(counts["topic"]) >= 2
    assert large == small


def test_publishing_a_page_updates_cached_facets(client: Client, shelf, publication_index) -> None:
    body = json.dumps({"query": "{ publications { " + FACETS + " } }"})

    def year_counts() -> dict[str, int]:
        answer = Client().post("/graphql/", body, content_type="application/json").json()
        [year] = [f for f in answer["data"]["publications"]["facets"] if f["name"] == "year"]
        return {value["value"]: value["count"] for value in year["values"]}

    assert year_counts() == {"2021": 2, "2019": 1}
    with CaptureQueriesContext(connection) as captured:
        assert year_counts() == {"2021": 2, "2019": 1}
    assert len(captured) == 0  # served from the response cache

    draft = PublicationPageFactory(
        parent=publication_index, date=datetime.date(2019, 2, 2), live=False
    )
    draft.save_revision().publish()

    assert year_counts() == {"2021": 2, "2019": 2}
