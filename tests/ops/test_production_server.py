"""The production shape, for real: gunicorn with gunicorn.conf.py and two workers, the
production settings, Prometheus' multiprocess mode, WhiteNoise and the JSON log lines.

One server for the module, on a SQLite file of its own (never the machine's shared
database): migrating and collecting the static files take ~20 s, once.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from prometheus_client.parser import text_string_to_metric_families

from .conftest import TOKEN, free_port, spawn_gunicorn

PROJECT_ROOT = Path(settings.BASE_DIR)
HOST = "cms.example.org"
# The suite's own services and secret stay out: the server gets its own.
NOT_PASSED = {"DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL", "SECRET_KEY"}
PING = json.dumps({"query": "query Ping { __typename }", "operationName": "Ping"})


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log: Path
    static_root: Path

    def request(
        self, method: str, path: str, body: str | None = None, **headers: str
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            headers = {"Host": HOST, **headers}
            if body is not None:
                headers["Content-Type"] = "application/json"
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def graphql(self, body: str = PING, **headers: str) -> tuple[int, dict[str, str], bytes]:
        # Behind the TLS-terminating proxy production expects (SECURE_SSL_REDIRECT).
        return self.request("POST", "/graphql/", body, **{"X-Forwarded-Proto": "https", **headers})

    def json_lines(self) -> list[dict]:
        lines = []
        for line in self.log.read_text().splitlines():
            if line.startswith("{"):
                lines.append(json.loads(line))  # a line that is not valid JSON fails here
        return lines

    def request_lines(self) -> list[dict]:
        return [line for line in self.json_lines() if line.get("logger") == "cms.requests"]

    def metrics(self) -> dict[tuple[str, frozenset], float]:
        status, _headers, body = self.request(
            "GET", "/metrics", Authorization=f"Bearer {TOKEN}", **{"X-Forwarded-Proto": "https"}
        )
        assert status == 200, body
        return {
            (sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(body.decode())
            for sample in family.samples
        }


def production_env(folder: Path, port: int) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in NOT_PASSED}
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS=HOST,
        CMS_VAR_DIR=str(folder),
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        STATIC_ROOT=str(folder / "static"),
        PROMETHEUS_MULTIPROC_DIR=str(folder / "metrics"),
        METRICS_TOKEN=TOKEN,
        WEB_WORKERS="2",
        WEB_BIND=f"127.0.0.1:{port}",
        WEB_GRACEFUL_TIMEOUT="5",
    )
    return env


def _dead_pid() -> int:
    """The pid of a process that has ended."""
    process = subprocess.Popen(["true"])
    process.wait(timeout=10)
    return process.pid


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("production")
    port = free_port()
    env = production_env(folder, port)
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput", "-v", "0"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            check=True,
            timeout=300,
        )
    # A file left by a worker of an earlier run (its process gone): gunicorn.conf.py clears it.
    (folder / "metrics").mkdir(exist_ok=True)
    stale = folder / "metrics" / f"counter_{_dead_pid()}.db"
    stale.write_bytes(b"left over")
    log = folder / "server.log"
    process = spawn_gunicorn(env, log)
    running = Server(process, port, log, folder / "static")
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log.read_text()
            try:
                if running.request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not answer in 60 s"
            time.sleep(0.2)
        yield running
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_health_checks_answer_over_plain_http(server):
    """A load balancer's probe is not redirected to HTTPS, and needs no token."""
    status, headers, body = server.request("GET", "/healthz")
    assert (status, json.loads(body)) == (200, {"status": "ok"})
    assert "no-store" in headers["Cache-Control"]

    status, _headers, body = server.request("GET", "/readyz")
    ready = json.loads(body)
    assert status == 200
    assert ready["checks"]["database"]["status"] == "ok"
    # Never built in this folder: search is down, which degrades the API but is not required.
    assert (ready["status"], ready["checks"]["search"]["status"]) == ("degraded", "fail")


def test_the_files_of_workers_gone_are_cleared_on_start(server):
    metrics = server.static_root.parent / "metrics"
    assert not [path for path in metrics.iterdir() if path.read_bytes() == b"left over"]
    assert list(metrics.glob("counter_*.db"))  # the running workers' own


def test_metrics_add_up_across_workers(server):
    """Requests served by both workers are all counted, whichever worker is scraped."""
    pings = "cms_graphql_requests_total", frozenset({("operation", "Ping"), ("status", "200")})
    before = server.metrics().get(pings, 0)
    sent = 0
    with ThreadPoolExecutor(max_workers=4) as pool:
        # Until both workers have answered some (bounded: 20 rounds of 20 requests).
        for _round in range(20):
            statuses = list(pool.map(lambda _n: server.graphql()[0], range(20)))
            assert statuses == [200] * 20
            sent += 20
            pids = {line["pid"] for line in server.request_lines() if line["path"] == "/graphql/"}
            if len(pids) >= 2:
                break
    assert len(pids) == 2, "one worker answered every request"

    scrapes = [server.metrics().get(pings, 0) for _ in range(6)]

    assert scrapes == [before + sent] * 6
    assert server.request("GET", "/metrics", **{"X-Forwarded-Proto": "https"})[0] == 401


def test_one_json_line_per_request_with_the_id_of_its_header(server):
    status, headers, _body = server.graphql(**{"X-Request-ID": "support-ticket-4711"})
    assert status == 200
    assert headers["X-Request-ID"] == "support-ticket-4711"

    deadline = time.monotonic() + 10
    while not (
        found := [x for x in server.request_lines() if x["request_id"] == "support-ticket-4711"]
    ):
        assert time.monotonic() < deadline
        time.sleep(0.1)

    [line] = found
    assert line["level"] == "INFO"
    assert (line["method"], line["path"], line["status"], line["operation"]) == (
        "POST",
        "/graphql/",
        200,
        "Ping",
    )
    assert line["cache"] is None  # no Redis: the response cache is off in production
    assert {"time", "duration_ms", "cost", "client", "pid"} <= set(line)
    assert "__typename" not in json.dumps(line)


def test_static_files_are_served_compressed_with_hashed_names(server):
    manifest = json.loads((server.static_root / "staticfiles.json").read_text())["paths"]
    hashed = manifest["wagtailadmin/css/core.css"]
    assert hashed != "wagtailadmin/css/core.css"

    status, headers, body = server.request(
        "GET", f"/static/{hashed}", **{"Accept-Encoding": "gzip", "X-Forwarded-Proto": "https"}
    )

    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]
    assert body[:2] == b"\x1f\x8b"


def test_a_graceful_reload_keeps_answering(server):
    """SIGHUP: new workers take over, no request fails meanwhile."""
    old = {line["pid"] for line in server.request_lines()}
    server.process.send_signal(signal.SIGHUP)
    statuses = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        statuses.append(server.graphql()[0])
        if {line["pid"] for line in server.request_lines()} - old:
            break
        time.sleep(0.05)

    assert {line["pid"] for line in server.request_lines()} - old, "no new worker answered"
    assert set(statuses) == {200}
