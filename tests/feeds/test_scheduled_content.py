"""Go-live and expiry dates hold on every public path: a page appears in GraphQL, search, the
feeds and the sitemap only between them. The tests move the clock (`clock_at`) and run
`publish_scheduled` and the search worker as cron and `make run` would."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from unittest import mock

import feedparser
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from publications.factories import PublicationPageFactory
from publications.models import PublicationPage
from search import indexing
from search.engines import reset_engines
from tests.api.catalogue_data import graphql
from tests.search.conftest import run_worker

TITLE = "Nocturnal mediation in Lyon"
HOUR = datetime.timedelta(hours=1)


@contextmanager
def clock_at(moment: datetime.datetime) -> Iterator[None]:
    """Django's clock (`timezone.now`, which Wagtail, the visibility rules and the task queue
    read) stopped at `moment`.

    The response cache is emptied on entering: its entries expire on the real clock, which
    this one does not move (in production both clocks move together, and no entry outlives
    the next expiry date: cms/api/cache.py).
    """
    with mock.patch("django.utils.timezone.now", return_value=moment):
        cache.clear()
        yield


def in_graphql() -> bool:
    answer = graphql(Client(), "{ publications { items { title } } }")
    return TITLE in [item["title"] for item in answer["data"]["publications"]["items"]]


def in_search() -> bool:
    run_worker()  # the index updates that are due, as the worker beside the server runs them
    answer = graphql(Client(), '{ search(query: "mediation") { hits { title } } }')
    assert "errors" not in answer, answer
    return TITLE in [hit["title"] for hit in answer["data"]["search"]["hits"]]


def in_feed(ending: str) -> Callable[[], bool]:
    def check() -> bool:
        parsed = feedparser.parse(
            Client().get(f"/feeds/localhost/en/publications.{ending}").content
        )
        assert parsed.bozo == 0
        return TITLE in [entry.title for entry in parsed.entries]

    return check


def in_sitemap() -> bool:
    root = ET.fromstring(Client().get("/sitemaps/localhost.xml").content)
    return any(
        loc.text.endswith("/nocturnal-mediation-in-lyon/")
        for loc in root.iter()
        if loc.tag.endswith("loc")
    )


PATHS = {
    "graphql": in_graphql,
    "search": in_search,
    "rss": in_feed("rss"),
    "atom": in_feed("atom"),
    "sitemap": in_sitemap,
}


@pytest.fixture(autouse=True)
def own_search_index(db, settings, tmp_path) -> Iterator[None]:
    """An empty embedded index for each test (built, as `search_reindex` would, before any page
    exists: the worker fills it)."""
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    settings.ELASTICSEARCH_URL = ""
    reset_engines()
    indexing.rebuild()
    yield
    reset_engines()


def new_page(publication_index, **dates) -> PublicationPage:
    page = PublicationPageFactory(
        parent=publication_index,
        title=TITLE,
        slug="nocturnal-mediation-in-lyon",
        live=False,
        **dates,
    )
    page.save_revision().publish()
    return PublicationPage.objects.get(pk=page.pk)


# A page with a go-live or an expiry date an hour ahead: whether a path shows it half an hour
# before that date (publish_scheduled has run), an hour after it before publish_scheduled runs,
# and after; then whether it is live and expired. The go-live waits for cron; the expiry does
# not (the visibility rules hide the page at its expiry time, though it is still live).
SCHEDULES = {
    "go_live_at": ((False, False, True), {"live": True, "expired": False}),
    "expire_at": ((True, False, False), {"live": False, "expired": True}),
}


@pytest.mark.parametrize("date_field", SCHEDULES)
@pytest.mark.parametrize("path", PATHS)
def test_page_shows_only_between_its_go_live_and_expiry_dates_once_due(
    publication_index, path, date_field
) -> None:
    (before, due, after_cron), final = SCHEDULES[date_field]
    appears = PATHS[path]
    start = timezone.now()
    page = new_page(publication_index, **{date_field: start + HOUR})

    with clock_at(start + HOUR / 2):
        call_command("publish_scheduled")
        assert appears() is before
    with clock_at(start + 2 * HOUR):
        assert appears() is due
        call_command("publish_scheduled")
        assert appears() is after_cron
    page.refresh_from_db()
    assert {"live": page.live, "expired": page.expired} == final
