"""The request id and the one log line per request and per task (cms/logs.py), in process.
The JSON rendering of the same lines by the production settings: test_production_server.py."""

from __future__ import annotations

import json
import logging

import pytest

from publications.factories import PublicationPageFactory
from search import indexing
from tests.search.conftest import run_worker

KEY = "front-end-key-0123456789abcdef0123456789"
JSON = "application/json"


def request_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "cms.requests"]


def test_every_answer_carries_a_new_request_id(client, db):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]

    assert len(first) == 32
    assert first != second


def test_a_sane_incoming_request_id_is_kept(client, db):
    sent = "lb-5f1c2a9e:req.42"

    assert client.get("/healthz", headers={"X-Request-ID": sent})["X-Request-ID"] == sent


@pytest.mark.parametrize(
    "sent", ["short", "has space in it", "x" * 129, 'quote"inside-it', "é" * 10]
)
def test_an_odd_incoming_request_id_is_replaced(client, db, sent):
    returned = client.get("/healthz", headers={"X-Request-ID": sent})["X-Request-ID"]

    assert returned != sent
    assert len(returned) == 32


def test_one_line_per_graphql_request_with_its_id_and_nothing_secret(client, db, settings, caplog):
    settings.GRAPHQL_CLIENT_KEYS = {"network-site": KEY}
    query = "query Listing($secretWord: String) { __typename @include(if: true) }"
    body = {"query": query, "variables": {"secretWord": "hunter2"}, "operationName": "Listing"}

    with caplog.at_level(logging.INFO, logger="cms.requests"):
        response = client.post(
            "/graphql/?token=also-secret", body, JSON, headers={"X-Api-Key": KEY}
        )

    [line] = request_lines(caplog)
    assert line.request_id == response["X-Request-ID"]
    assert (line.method, line.path, line.status) == ("POST", "/graphql/", response.status_code)
    assert (line.operation, line.client, line.cache) == ("Listing", "network-site", "miss")
    assert line.cost is not None
    assert line.duration_ms > 0
    everything = json.dumps(line.__dict__, default=str) + line.getMessage()
    for secret in (KEY, "hunter2", "secretWord", "__typename", "also-secret"):
        assert secret not in everything


def test_a_cache_hit_and_a_get_are_logged_as_such(client, db, caplog):
    params = {"query": "query Hit { __typename }", "operationName": "Hit"}
    with caplog.at_level(logging.INFO, logger="cms.requests"):
        client.get("/graphql/", params)
        client.get("/graphql/", params)

    first, second = request_lines(caplog)
    assert (first.cache, second.cache) == ("miss", "hit")
    assert second.operation == "Hit"
    assert "__typename" not in second.path


def test_a_masked_error_names_the_request_id(client, db, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("password=letmein at db.internal:5432")

    monkeypatch.setattr("cms.api.steps.run", broken)
    with caplog.at_level(logging.INFO):
        response = client.post("/graphql/", {"query": "{ __typename }"}, JSON)

    request_id = response["X-Request-ID"]
    [error] = response.json()["errors"]
    assert response.status_code == 500
    assert f"request id {request_id}" in error["message"]
    assert error["extensions"]["requestId"] == request_id
    assert "letmein" not in response.content.decode()
    # The traceback is logged with the same id, found by the id a user reports.
    [logged] = [record for record in caplog.records if record.name == "cms.api"]
    assert error["extensions"]["errorId"] in logged.getMessage()
    assert [line.request_id for line in request_lines(caplog)] == [request_id]


def test_one_line_per_task_run(publication_index, embedded_index, caplog):
    page = PublicationPageFactory(parent=publication_index)
    run_worker()
    indexing.queue_pages([page.pk])
    [task] = indexing.pending_tasks()

    with caplog.at_level(logging.INFO, logger="cms.tasks"):
        run_worker()

    [line] = [record for record in caplog.records if record.name == "cms.tasks"]
    assert (line.task, line.outcome, line.page_id, line.attempt) == (
        "search.sync_page",
        "indexed",
        page.pk,
        0,
    )
    assert line.request_id == str(task.pk)
    assert line.duration_ms > 0
