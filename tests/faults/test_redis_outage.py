"""Redis refused and Redis hanging: the API answers at once, uncached, logs one line per outage
(never a traceback per request), counts the rate limit per process, and caches again once
Redis is back. Real sockets: a closed port, a redis-server of our own, a proxy that hangs."""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from cms import cache_breaker
from cms.api import ratelimit
from publications.factories import PublicationPageFactory
from publications.models import PublicationIndexPage

from .servers import HangingProxy, free_port, redis_server

pytestmark = pytest.mark.django_db

QUERY = json.dumps({"query": "{ publications { items { title } } }"})
PAUSE = 0.5  # the breaker's pause, short so the test waits little for the probe
# The brief's bound for an answer while Redis is away: no wait for any Redis timeout.
ANSWER_WITHIN = 0.2


def redis_cache(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "cms.cache_breaker.BreakerRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "KEY_PREFIX": f"faults-{uuid.uuid4().hex}",
            "OPTIONS": {
                "socket_connect_timeout": 0.05,
                "socket_timeout": 0.05,
                "BREAKER_SECONDS": PAUSE,
            },
        }
    }


@pytest.fixture(autouse=True)
def fresh_local_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rate limit's per-process fallback starts empty (it lives as long as the process)."""
    monkeypatch.setattr(ratelimit, "local_windows", ratelimit.LocalWindows())


@pytest.fixture
def publications(publication_index: PublicationIndexPage) -> None:
    """Three publications, and a process that has answered the query once (the schema
    built, the code imported), so the timings below measure the outage, not a cold start."""
    for number in range(3):
        PublicationPageFactory(parent=publication_index, title=f"Report {number}")
    ask("192.0.2.1")


def ask(ip: str = "198.51.100.7") -> tuple[int, float, int]:
    """One anonymous query over HTTP: its status, its seconds, its SQL queries."""
    client = Client(REMOTE_ADDR=ip)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.post("/graphql/", QUERY, content_type="application/json")
        seconds = time.perf_counter() - started
    assert "errors" not in response.json(), response.json()
    return response.status_code, seconds, len(queries)


def wait_until_closed(port: int, seconds: float = 5.0) -> None:
    breaker = cache_breaker.breaker_for(f"redis://127.0.0.1:{port}/0", PAUSE)
    deadline = time.monotonic() + seconds
    while breaker.is_open and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not breaker.is_open, f"the breaker was still open after {seconds} s"


def outage_lines(caplog: pytest.LogCaptureFixture, port: int) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "cms.cache" and f":{port}/" in record.getMessage()
    ]


def assert_cached_again(ip: str) -> None:
    """Two identical queries: the first runs (a new generation began), the second is a hit."""
    status, _, first_queries = ask(ip)
    assert status == 200 and first_queries > 0
    status, _, second_queries = ask(ip)
    assert (status, second_queries) == (200, 0)


@pytest.fixture
def at_warning(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    with caplog.at_level(logging.WARNING):
        yield caplog


def test_a_refused_redis_is_skipped_then_used_again(
    publications: None, at_warning: pytest.LogCaptureFixture
) -> None:
    port = free_port()  # nothing listens there: every connection is refused
    with override_settings(CACHES=redis_cache(port), GRAPHQL_RATE_LIMIT_POINTS=1000):
        answers = [ask() for _ in range(5)]

        assert [status for status, _, _ in answers] == [200] * 5
        assert max(seconds for _, seconds, _ in answers) < ANSWER_WITHIN, answers
        # Uncached: every answer ran its SQL.
        assert all(queries > 0 for _, _, queries in answers)
        lines = outage_lines(at_warning, port)
        assert len(lines) == 1 and "unavailable" in lines[0], lines
        assert not any(record.exc_info for record in at_warning.records)

        with redis_server(port):
            wait_until_closed(port)
            lines = outage_lines(at_warning, port)
            assert len(lines) == 2 and "answers again" in lines[1], lines
            assert_cached_again("198.51.100.8")


def test_the_rate_limit_counts_per_process_while_redis_is_away(publications: None) -> None:
    port = free_port()
    with override_settings(CACHES=redis_cache(port), GRAPHQL_RATE_LIMIT_POINTS=3):
        client = Client(REMOTE_ADDR="198.51.100.9")
        statuses = [
            client.post("/graphql/", QUERY, content_type="application/json").status_code
            for _ in range(4)
        ]
        # The first answer's cost spends the budget of 3 points: the next one is refused.
        assert statuses[0] == 200
        assert statuses[-1] == 429
        with redis_server(port):
            wait_until_closed(port)  # no probe left running for the rest of the session


def test_a_hanging_redis_costs_one_timeout_then_nothing(
    publications: None, at_warning: pytest.LogCaptureFixture
) -> None:
    port = free_port()
    with redis_server(port):
        proxy = HangingProxy(port)
        try:
            with override_settings(CACHES=redis_cache(proxy.port)):
                assert_cached_again("198.51.100.10")  # Redis works through the proxy

                proxy.hang.set()
                answers = [ask("198.51.100.11") for _ in range(5)]
                assert [status for status, _, _ in answers] == [200] * 5
                # The first pays one 50 ms timeout; the others none.
                assert max(seconds for _, seconds, _ in answers) < ANSWER_WITHIN, answers
                assert all(queries > 0 for _, _, queries in answers)  # uncached
                lines = outage_lines(at_warning, proxy.port)
                assert len(lines) == 1 and "TimeoutError" in lines[0], lines
                assert not any(record.exc_info for record in at_warning.records)

                proxy.hang.clear()
                wait_until_closed(proxy.port)
                assert len(outage_lines(at_warning, proxy.port)) == 2
                assert_cached_again("198.51.100.12")
        finally:
            proxy.close()


def test_an_unpublish_while_redis_hangs_is_not_hidden_by_old_answers(
    publication_index: PublicationIndexPage,
) -> None:
    """The unpublish's invalidation is dropped with every other write while Redis hangs; the
    answers kept before still sit in Redis. Once Redis answers, a new generation drops them."""
    page = PublicationPageFactory(parent=publication_index, title="Withdrawn report")
    ask("192.0.2.1")  # warm
    port = free_port()
    with redis_server(port):
        proxy = HangingProxy(port)
        try:
            with override_settings(CACHES=redis_cache(proxy.port)):
                client = Client(REMOTE_ADDR="198.51.100.20")

                def titles() -> list[str]:
                    body = client.post("/graphql/", QUERY, content_type="application/json")
                    return [item["title"] for item in body.json()["data"]["publications"]["items"]]

                assert titles() == ["Withdrawn report"]  # kept in Redis
                proxy.hang.set()
                page.unpublish()
                assert titles() == []  # uncached, from the database
                proxy.hang.clear()
                wait_until_closed(proxy.port)
                assert titles() == []  # not the answer kept before the unpublish
        finally:
            proxy.close()
