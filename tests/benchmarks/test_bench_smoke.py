"""The benchmark's seeding and one measurement through the WSGI stack, on a tiny catalogue."""

import json

import pytest
from django.core import signals
from django.db import close_old_connections

from benchmarks import seed
from benchmarks.harness import Plan, WSGIClient, count_queries, measure
from benchmarks.queries import LISTING_QUERY
from publications.models import PublicationPage


@pytest.fixture
def wsgi_client(db):
    # As Django's test Client does: the test's connection (inside its transaction) must
    # survive the end of each request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield WSGIClient()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_seed_and_measure_the_listing(wsgi_client):
    timings = seed.seed(5, lambda line: None)

    assert PublicationPage.objects.live().count() == 5
    assert timings["total"] > 0
    nonces = iter(range(1000, 2000))  # a new one per request: each misses the response cache
    queries, response = count_queries(
        lambda: wsgi_client.graphql(LISTING_QUERY, {"perPage": 20, "benchNonce": next(nonces)})
    )
    items = json.loads(response.body)["data"]["publications"]["items"]
    assert len(items) == 5
    assert all(item["coverImage"]["rendition"]["url"] for item in items)
    assert all(len(item["downloads"]) == 3 for item in items)
    assert queries > 0
    timing = measure(
        lambda i: wsgi_client.graphql(LISTING_QUERY, {"perPage": 20, "benchNonce": i}),
        Plan(warmup=1, min_reps=3, max_reps=3, budget_s=0),
    )
    assert timing["reps"] == 3
    assert 0 < timing["median_ms"] <= timing["p95_ms"]
