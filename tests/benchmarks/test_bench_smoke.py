"""The benchmark's seeding and one measurement through the WSGI stack, on a tiny catalogue."""

import json

import pytest
from django.core import signals
from django.db import close_old_connections

from benchmarks import items, seed
from benchmarks.harness import Plan, WSGIClient, count_queries, measure
from benchmarks.queries import ITEM_QUERIES, LISTING_QUERY
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


def test_seed_the_item_pages_and_ask_for_each(wsgi_client):
    seed.seed(8, lambda line: None)
    ids = items.seed_items(lambda line: None)

    nonces = iter(range(1000, 2000))
    for case, spec in items._item_specs(ids).items():
        queries, response = count_queries(
            lambda q=ITEM_QUERIES[case], v=spec["variables"]: wsgi_client.graphql(
                q, {**v, "benchNonce": next(nonces)}
            )
        )
        item = json.loads(response.body)["data"]["item"]
        assert item["title"] and item["topics"] and item["translations"], case
        assert len(item["relatedPublications"]) == 3, case
        assert 0 < queries <= 10, case
