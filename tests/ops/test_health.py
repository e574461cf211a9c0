"""/healthz and /readyz: each part up and down, what an anonymous client may see, and that
neither is cached nor rate-limited (cms/health.py, search/monitoring.py)."""

from __future__ import annotations

import datetime
import json
import os

import redis
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from search import indexing
from search.engines import reset_engines
from tests.cms.test_settings import run

from .conftest import TOKEN, redis_cache


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


def test_a_stuck_queue_fails_its_check(client, db, embedded_index, settings, operator):
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
    client, db, embedded_index, operator
):
    """A retry queued long ago to run in 10 minutes is not late; one due 10 minutes ago is."""
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
