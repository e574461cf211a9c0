"""PostgreSQL restarted under a running server and task worker: during the outage the API
answers 503 SERVICE_UNAVAILABLE with Retry-After (not a 500); the first request after the
restart is answered (CONN_HEALTH_CHECKS replaces the dead connection); the worker waits the
outage out and runs the next task. Real processes on a cluster of the test's own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from .postgres import Cluster
from .servers import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
MANAGE = [sys.executable, str(ROOT / "manage.py")]


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    cluster = Cluster()
    try:
        cluster.start()
        cluster.create_database()
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture(scope="module")
def environment(cluster: Cluster, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The server's and the worker's environment: the test settings on the cluster, one
    search index folder for both, the schema migrated."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.faults.settings",
        "DATABASE_URL": cluster.url,
        "SEARCH_INDEX_DIR": str(tmp_path_factory.mktemp("search")),
        "PYTHONUNBUFFERED": "1",
    }
    for command in (["migrate", "--noinput"], ["search_reindex"]):
        subprocess.run([*MANAGE, *command], env=env, check=True, capture_output=True, timeout=600)
    return env


def spawn(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("w") as out:
        return subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)


def graphql(port: int, per_page: int) -> tuple[int, dict[str, str], dict]:
    """An anonymous query over HTTP; `per_page` varies it, so no answer comes from the
    response cache (which would keep serving during the outage, as it should)."""
    body = json.dumps({"query": f"{{ publications(perPage: {per_page}) {{ items {{ title }} }} }}"})
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql/",
        data=body.encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


def enqueue(env: dict[str, str]) -> str:
    """Queue one index update as a deletion does (django-tasks' database backend): the page
    is gone, so the worker removes it from the index."""
    code = "from search.tasks import sync_page; print(sync_page.enqueue(999999).id)"
    done = subprocess.run(
        [*MANAGE, "shell", "-c", code], env=env, check=True, capture_output=True, timeout=120
    )
    return done.stdout.decode().strip().splitlines()[-1]


def wait_for_status(cluster: Cluster, task_id: str, seconds: float = 60.0) -> str:
    deadline = time.monotonic() + seconds
    status = ""
    while time.monotonic() < deadline:
        with psycopg.connect(cluster.url.replace("postgres://", "postgresql://")) as db:
            row = db.execute(
                "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = %s", (task_id,)
            ).fetchone()
        status = row[0] if row else ""
        if status in {"SUCCESSFUL", "FAILED"}:
            return status
        time.sleep(0.2)
    return status


def test_a_postgres_restart_is_a_503_then_service_resumes(
    cluster: Cluster, environment: dict[str, str], tmp_path: Path
) -> None:
    port = free_port()
    # One thread: every request on the same persistent connection, the one that dies.
    server = spawn(
        [*MANAGE, "runserver", "--noreload", "--nothreading", f"127.0.0.1:{port}"],
        environment,
        tmp_path / "server.log",
    )
    worker = spawn(
        [*MANAGE, "tasks_worker", "--backend", "search", "--queue-name", "search"]
        + ["--interval", "0.2", "--no-startup-delay", "--no-reload", "-v", "1"],
        environment,
        tmp_path / "worker.log",
    )
    try:
        wait_for_port(port, 60)
        status, _, body = graphql(port, 1)
        assert (status, body.get("errors")) == (200, None), body
        assert wait_for_status(cluster, enqueue(environment)) == "SUCCESSFUL"

        cluster.stop()
        status, headers, body = graphql(port, 2)
        assert status == 503, body
        assert headers["Retry-After"] == "5"
        assert [error["extensions"]["code"] for error in body["errors"]] == ["SERVICE_UNAVAILABLE"]
        assert "data" not in body
        # Any other page that needs the database (Wagtail serving a page looks up its site).
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30)
        except urllib.error.HTTPError as error:
            assert (error.code, error.headers["Retry-After"]) == (503, "5")
        else:
            pytest.fail("a page was served while the database was down")
        time.sleep(2)  # the worker polls every 0.2 s: it meets the outage
        assert worker.poll() is None, (tmp_path / "worker.log").read_text()

        cluster.start()
        status, _, body = graphql(port, 3)  # the very next request
        assert (status, body.get("errors")) == (200, None), body
        assert wait_for_status(cluster, enqueue(environment)) == "SUCCESSFUL"
        assert worker.poll() is None
        worker_log = (tmp_path / "worker.log").read_text()
        assert "lost the database" in worker_log and "answers again" in worker_log, worker_log
        assert "Traceback" not in worker_log, worker_log
        server_log = (tmp_path / "server.log").read_text()
        assert server_log.count("Database unavailable") == 1, server_log
        assert "Service Unavailable:" not in server_log, server_log  # not a line per 503
        assert "Traceback" not in server_log, server_log
    finally:
        for process in (server, worker):
            process.terminate()
            process.wait(timeout=20)
