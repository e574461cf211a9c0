"""/healthz and /readyz: each part up, down and hung, what an anonymous client may see, and
that neither is cached nor rate-limited (cms/health.py, search/monitoring.py)."""

from __future__ import annotations

import datetime
import json
import os
import threading
import time

import redis
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from search import indexing
from search.engines import reset_engines
from tests.cms.test_settings import run

from .conftest import TOKEN, HangingServer, redis_cache


def readyz(client: Client, **headers: str) -> tuple[int, dict]:
    response = client.get("/readyz", headers=headers)
    assert "no-store" in response["Cache-Control"]
    return response.status_code, response.json()


def test_healthz_answers_without_touching_the_database(client):
    # No `db` fixture: pytest-django makes any database access raise here.
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_readyz_is_ok_when_every_part_is_up(client, db, embedded_index):
    status, body = readyz(client)

    assert status == 200
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "search", "search_queue"}
    for check in body["checks"].values():
        assert check["status"] == "ok"
        assert check["latency_ms"] >= 0
        assert "detail" not in check  # anonymous: statuses and latencies only
    assert body["checks"]["database"]["required"] is True
    assert body["checks"]["search"]["required"] is False


def test_an_operator_sees_why(client, db, embedded_index, operator):
    _status, body = readyz(client, **operator)

    assert body["checks"]["search"]["detail"] == "embedded"
    assert body["checks"]["search_queue"]["detail"] == "0 due, the oldest for 0 s"


def test_a_superuser_sees_why(client, db, embedded_index, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)

    _status, body = readyz(client)

    assert body["checks"]["database"]["detail"] == connection.vendor


def test_a_wrong_token_sees_no_details(client, db, embedded_index, settings):
    settings.METRICS_TOKEN = TOKEN

    _status, body = readyz(client, Authorization=f"Bearer {TOKEN[:-1]}x")

    assert all("detail" not in check for check in body["checks"].values())


def test_redis_up_passes(client, db, embedded_index, redis_url, settings, operator):
    settings.CACHES = redis_cache(redis_url)

    status, body = readyz(client, **operator)

    assert status == 200
    assert body["checks"]["cache"] == {**body["checks"]["cache"], "status": "ok"}
    assert body["checks"]["cache"]["detail"] == "RedisCache"
    assert redis.Redis.from_url(redis_url).keys("*cms-health:*")  # it did reach this server


def test_redis_down_degrades_and_hides_the_address(
    client, db, embedded_index, closed_port, settings
):
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{closed_port}/0")

    status, body = readyz(client)

    assert status == 200  # not required by default: the API serves without its cache
    assert body["status"] == "degraded"
    assert body["checks"]["cache"]["status"] == "fail"
    assert str(closed_port) not in json.dumps(body)
    assert "Error" not in json.dumps(body)


def test_redis_down_is_503_when_the_cache_is_required(
    client, db, embedded_index, closed_port, settings, operator
):
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{closed_port}/0")
    settings.HEALTH_REQUIRED_CHECKS = ["database", "cache"]

    status, body = readyz(client, **operator)

    assert status == 503
    assert body["status"] == "fail"
    assert "ConnectionError" in body["checks"]["cache"]["detail"]


def test_elasticsearch_down_fails_the_search_check(client, db, closed_port, settings, operator):
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{closed_port}"
    settings.SEARCH_TIMEOUT_SECONDS = 1
    reset_engines()
    try:
        anonymous_status, anonymous = readyz(client)
        _status, body = readyz(client, **operator)
    finally:
        reset_engines()

    assert anonymous_status == 200
    assert anonymous["status"] == "degraded"
    assert anonymous["checks"]["search"] == {
        "status": "fail",
        "required": False,
        "latency_ms": anonymous["checks"]["search"]["latency_ms"],
    }
    assert str(closed_port) not in json.dumps(anonymous)
    assert body["checks"]["search"]["detail"].startswith("SearchUnavailable")


def test_elasticsearch_down_is_503_when_search_is_required(client, db, closed_port, settings):
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{closed_port}"
    settings.HEALTH_REQUIRED_CHECKS = ["database", "search"]
    reset_engines()
    try:
        status, body = readyz(client)
    finally:
        reset_engines()

    assert status == 503
    assert body["status"] == "fail"


def test_a_missing_embedded_index_fails_the_search_check(client, db, settings, tmp_path, operator):
    settings.SEARCH_INDEX_DIR = tmp_path / "never-built"
    settings.ELASTICSEARCH_URL = ""
    reset_engines()
    try:
        _status, body = readyz(client, **operator)
    finally:
        reset_engines()

    assert body["checks"]["search"]["status"] == "fail"
    assert "search_reindex" in body["checks"]["search"]["detail"]


def _age(task: DBTaskResult, seconds: int, *, field: str = "enqueued_at") -> None:
    DBTaskResult.objects.filter(pk=task.pk).update(
        **{field: timezone.now() - datetime.timedelta(seconds=seconds)}
    )


def test_a_stuck_queue_fails_its_check(
    client, transactional_db, embedded_index, settings, operator
):
    settings.HEALTH_QUEUE_MAX_AGE_SECONDS = 300
    settings.HEALTH_REQUIRED_CHECKS = ["database", "search_queue"]
    indexing.queue_pages([1, 2])
    _fresh, old = indexing.pending_tasks().order_by("enqueued_at")
    _age(old, 10)

    assert readyz(client, **operator)[1]["checks"]["search_queue"]["status"] == "ok"

    _age(old, 301)
    status, body = readyz(client, **operator)

    assert status == 503
    assert body["checks"]["search_queue"]["status"] == "fail"
    assert body["checks"]["search_queue"]["detail"].startswith("CheckFailed: 2 due, the oldest")


def test_a_retry_counts_from_when_it_is_due_not_when_it_was_queued(
    client, transactional_db, embedded_index, operator
):
    """A retry queued long ago to run in 10 minutes is not late; one due 10 minutes ago is.

    (Checks run in threads of their own, on connections of their own: the tasks they read
    must be committed, hence transactional_db.)"""
    indexing.queue_pages([1])
    [task] = indexing.pending_tasks()
    _age(task, 3600)
    DBTaskResult.objects.filter(pk=task.pk).update(
        run_after=timezone.now() + datetime.timedelta(seconds=600)
    )
    assert readyz(client, **operator)[1]["checks"]["search_queue"]["detail"] == (
        "0 due, the oldest for 0 s"
    )

    _age(task, 600, field="run_after")

    assert readyz(client, **operator)[1]["checks"]["search_queue"]["status"] == "fail"


def test_a_hung_redis_times_out_and_the_answer_comes_in_time(
    client, db, embedded_index, hanging_server: HangingServer, settings, operator
):
    # Django's plain RedisCache: no socket timeout at all, only /readyz's own deadline.
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{hanging_server.port}/0")
    settings.HEALTH_REQUIRED_CHECKS = ["database", "cache"]
    settings.HEALTH_CHECK_TIMEOUT_SECONDS = 0.5

    started = time.monotonic()
    status, body = readyz(client, **operator)
    elapsed = time.monotonic() - started

    assert hanging_server.accepted.is_set()  # the check did reach the hung server
    assert status == 503
    assert body["status"] == "fail"
    assert body["checks"]["cache"]["status"] == "timeout"
    assert body["checks"]["cache"]["latency_ms"] >= 450  # about the deadline
    assert body["checks"]["cache"]["detail"].startswith("no answer after 0.")
    assert body["checks"]["database"]["status"] == "ok"  # the other checks ran meanwhile
    assert elapsed < 10  # the server hangs for 30 s


def test_a_hung_check_is_not_started_again_by_the_next_probe(
    client, db, embedded_index, hanging_server: HangingServer, settings
):
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{hanging_server.port}/0")
    settings.HEALTH_CHECK_TIMEOUT_SECONDS = 0.3

    first = readyz(client)[1]["checks"]["cache"]
    second = readyz(client)[1]["checks"]["cache"]
    cache_threads = [t for t in threading.enumerate() if t.name == "health-check-cache"]

    assert first["status"] == second["status"] == "timeout"
    assert len(cache_threads) == 1
    # The second probe waited for the first one's run: its latency counts from the start.
    assert second["latency_ms"] >= first["latency_ms"] + 300


def test_a_hung_elasticsearch_times_out(
    client, db, hanging_server: HangingServer, settings, operator
):
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{hanging_server.port}"
    settings.SEARCH_TIMEOUT_SECONDS = 60  # longer than the server hangs: /readyz must not wait
    settings.HEALTH_REQUIRED_CHECKS = ["database", "search"]
    settings.HEALTH_CHECK_TIMEOUT_SECONDS = 0.5
    reset_engines()
    try:
        started = time.monotonic()
        status, body = readyz(client, **operator)
        elapsed = time.monotonic() - started
    finally:
        reset_engines()

    assert hanging_server.accepted.is_set()
    assert status == 503
    assert body["checks"]["search"]["status"] == "timeout"
    assert body["checks"]["search"]["latency_ms"] >= 450  # about the deadline
    assert elapsed < 10


def test_readyz_is_not_rate_limited(client, db, embedded_index, settings):
    settings.GRAPHQL_RATE_LIMIT_POINTS = 0  # every GraphQL request refused

    assert (
        client.post("/graphql/", {"query": "{ __typename }"}, "application/json").status_code == 429
    )
    assert [readyz(client)[0] for _ in range(5)] == [200] * 5


def test_the_database_down_is_503(tmp_path, closed_port):
    """In a process of its own, pointed at a PostgreSQL port where nothing listens."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": f"postgres://cms:secret@127.0.0.1:{closed_port}/cms",
        "METRICS_TOKEN": TOKEN,
    }
    script = (
        "import django, json; django.setup()\n"
        "from django.test import Client\n"
        "for headers in ({}, {'Authorization': 'Bearer " + TOKEN + "'}):\n"
        "    r = Client().get('/readyz', headers=headers)\n"
        "    print(json.dumps([r.status_code, r.json()]))\n"
        "r = Client().get('/metrics', headers={'Authorization': 'Bearer " + TOKEN + "'})\n"
        "print(json.dumps([r.status_code, r.content.decode()]))\n"
    )
    result = run(["-c", script], env)

    assert result.returncode == 0, result.stderr
    anonymous, operator, metrics = (
        json.loads(line) for line in result.stdout.strip().splitlines()[-3:]
    )
    assert anonymous[0] == 503
    assert anonymous[1]["status"] == "fail"
    assert anonymous[1]["checks"]["database"]["status"] == "fail"
    assert str(closed_port) not in json.dumps(anonymous)
    assert "OperationalError" in operator[1]["checks"]["database"]["detail"]
    # The scrape still answers, without the figures read from the database.
    assert metrics[0] == 200
    assert "cms_graphql_requests_total" in metrics[1]
    assert "cms_search_queue_depth" not in metrics[1]


def test_a_hung_database_times_out(hanging_server: HangingServer):
    """In a process of its own, pointed at a PostgreSQL port that accepts and never answers."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": f"postgres://cms:secret@127.0.0.1:{hanging_server.port}/cms",
        "HEALTH_CHECK_TIMEOUT_SECONDS": "0.5",
        "METRICS_TOKEN": TOKEN,
    }
    script = (
        "import django, json, time; django.setup()\n"
        "from django.test import Client\n"
        "for headers in ({}, {'Authorization': 'Bearer " + TOKEN + "'}):\n"
        "    started = time.monotonic()\n"
        "    r = Client().get('/readyz', headers=headers)\n"
        "    print(json.dumps([r.status_code, r.json(), time.monotonic() - started]))\n"
    )
    result = run(["-c", script], env)

    assert result.returncode == 0, result.stderr
    assert hanging_server.accepted.is_set()
    anonymous, operator = (json.loads(line) for line in result.stdout.strip().splitlines()[-2:])
    assert anonymous[0] == 503
    assert anonymous[1]["checks"]["database"] == {
        "status": "timeout",
        "required": True,
        "latency_ms": anonymous[1]["checks"]["database"]["latency_ms"],
    }
    assert str(hanging_server.port) not in json.dumps(anonymous)
    assert operator[1]["checks"]["database"]["status"] == "timeout"
    # Both answers came within the deadline (the connection attempt alone waits 5 s).
    assert anonymous[2] < 2 and operator[2] < 2
