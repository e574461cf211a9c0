"""/metrics: who may read it, and that each figure counts what it says (cms/metrics.py).

Each test reads the endpoint before and after what it does: the counters live as long as
the process, so they are compared, not read as absolute values."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult
from prometheus_client.parser import text_string_to_metric_families

from publications.factories import PublicationPageFactory
from search import indexing
from search.engines import reset_engines
from tests.search.conftest import run_worker

from .conftest import TOKEN

JSON = "application/json"


def scrape(client: Client, headers: dict[str, str]) -> dict[tuple[str, frozenset], float]:
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    assert "no-store" in response["Cache-Control"]
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def post(client: Client, query: str, operation: str | None = None, **headers: str):
    body = {"query": query} if operation is None else {"query": query, "operationName": operation}
    return client.post("/graphql/", body, JSON, headers=headers)


def test_metrics_are_refused_without_the_token(client, settings):
    settings.METRICS_TOKEN = TOKEN

    for headers in ({}, {"Authorization": f"Bearer {TOKEN}x"}, {"Authorization": TOKEN[:8]}):
        response = client.get("/metrics", headers=headers)
        assert response.status_code == 401
        assert "cms_" not in response.content.decode()
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_metrics_are_refused_when_no_token_is_set(client, settings):
    settings.METRICS_TOKEN = ""

    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 401


def test_an_allowed_address_needs_no_token(client, db, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = ["127.0.0.1"]

    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 401


def test_a_request_is_counted_by_operation_name(client, db, operator):
    before = scrape(client, operator)

    assert post(client, "query Ping { __typename }", "Ping").status_code == 200
    after = scrape(client, operator)

    requests = "cms_graphql_requests_total"
    assert value(after, requests, operation="Ping", status="200") == (
        value(before, requests, operation="Ping", status="200") + 1
    )
    duration = "cms_graphql_request_duration_seconds_count"
    assert value(after, duration, operation="Ping") == value(before, duration, operation="Ping") + 1


def test_unknown_and_absent_operation_names_get_fixed_labels(client, db, operator, settings):
    settings.METRICS_OPERATION_NAMES = ["Known"]
    before = scrape(client, operator)

    post(client, "query Known { __typename }", "Known")
    post(client, "query Rogue123 { __typename }", "Rogue123")
    post(client, "{ __typename }")
    after = scrape(client, operator)

    def delta(operation: str) -> float:
        labels = {"operation": operation, "status": "200"}
        name = "cms_graphql_requests_total"
        return value(after, name, **labels) - value(before, name, **labels)

    assert (delta("Known"), delta("other"), delta("anonymous"), delta("Rogue123")) == (1, 1, 1, 0)


def test_response_cache_hits_and_misses_are_counted(client, db, operator):
    before = scrape(client, operator)

    first = post(client, "query Cached { __typename }", "Cached")
    second = post(client, "query Cached { __typename }", "Cached")
    after = scrape(client, operator)

    assert first.content == second.content
    name = "cms_graphql_response_cache_total"
    assert value(after, name, result="miss") == value(before, name, result="miss") + 1
    assert value(after, name, result="hit") == value(before, name, result="hit") + 1
    # The hit, answered before the view reads the body, still has its operation's label.
    requests, labels = "cms_graphql_requests_total", {"operation": "Cached", "status": "200"}
    assert value(after, requests, **labels) == value(before, requests, **labels) + 2


def test_a_refused_query_is_counted(client, db, operator, settings):
    settings.GRAPHQL_RATE_LIMIT_POINTS = 1
    before = scrape(client, operator)

    statuses = [post(client, "{ __typename }").status_code for _ in range(3)]
    after = scrape(client, operator)

    assert statuses == [200, 429, 429]
    name = "cms_graphql_rate_limited_total"
    assert value(after, name, client="ip") == value(before, name, client="ip") + 2
    requests = "cms_graphql_requests_total"
    assert value(after, requests, operation="anonymous", status="429") == (
        value(before, requests, operation="anonymous", status="429") + 2
    )


@pytest.fixture
def broken_engine(settings, tmp_path):
    """An Elasticsearch engine at a port where nothing listens."""
    from .conftest import free_port

    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{free_port()}"
    settings.SEARCH_WRITE_TIMEOUT_SECONDS = 1
    reset_engines()
    yield
    reset_engines()


@pytest.fixture
def publication(publication_index):
    return PublicationPageFactory(parent=publication_index, title="Urban security")


def test_tasks_and_the_queue_are_counted(client, publication, embedded_index, operator):
    run_worker()  # whatever the fixtures queued
    before = scrape(client, operator)
    indexing.queue_pages([publication.pk])
    queued = scrape(client, operator)

    assert run_worker() == 1
    after = scrape(client, operator)

    assert value(queued, "cms_search_queue_depth") == value(before, "cms_search_queue_depth") + 1
    assert value(after, "cms_search_queue_depth") == value(before, "cms_search_queue_depth")
    runs = "cms_tasks_total"
    labels = {"task": "search.sync_page", "outcome": "indexed"}
    assert value(after, runs, **labels) == value(before, runs, **labels) + 1
    assert value(after, "cms_task_duration_seconds_count", task="search.sync_page") == (
        value(before, "cms_task_duration_seconds_count", task="search.sync_page") + 1
    )


def test_a_failed_task_and_its_retry_are_counted(client, publication, broken_engine, operator):
    DBTaskResult.objects.all().delete()  # whatever the fixtures queued
    before = scrape(client, operator)
    indexing.queue_pages([publication.pk])

    assert run_worker() == 1  # fails, and queues its retry for later
    after = scrape(client, operator)

    failed = {"task": "search.sync_page", "outcome": "failed"}
    assert (
        value(after, "cms_tasks_total", **failed) == value(before, "cms_tasks_total", **failed) + 1
    )
    retries = "cms_task_retries_total"
    assert value(after, retries, task="search.sync_page") == (
        value(before, retries, task="search.sync_page") + 1
    )
    assert indexing.pending_tasks().count() == 1


def test_search_latency_is_counted_per_engine(client, embedded_index, operator, home_page):
    before = scrape(client, operator)

    result = post(client, '{ search(query: "security") { total } }').json()
    post(client, '{ suggest(prefix: "secu") { title } }')
    after = scrape(client, operator)

    assert result["data"]["search"]["total"] == 0
    name = "cms_search_duration_seconds_count"
    for operation in ("search", "suggest"):
        labels = {"engine": "embedded", "operation": operation}
        assert value(after, name, **labels) == value(before, name, **labels) + 1


def test_webhook_deliveries_are_declared_for_each_outcome(client, db, operator):
    # Declared before any delivery, so a dashboard's series exist from the start (counting
    # itself is tested in tests/webhooks/test_delivery.py).
    samples = scrape(client, operator)

    for outcome in ("delivered", "failed", "retried"):
        assert ("cms_webhook_deliveries_total", frozenset({("outcome", outcome)})) in samples
