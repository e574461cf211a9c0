"""Fixtures for the operations tests: ports, a Redis server of their own, a server that
hangs, an embedded index in a temporary folder, and the operator's token."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings

from search.engines import get_engine, reset_engines

TOKEN = "ops-test-token-0123456789abcdef0123456789"


def spawn_gunicorn(env: dict[str, str], log: Path) -> subprocess.Popen:
    """gunicorn serving the project as in production (gunicorn.conf.py) with `env`, its
    output written to `log`."""
    with log.open("w") as output:
        return subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "cms.wsgi:application"],
            cwd=Path(settings.BASE_DIR),
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def free_port() -> int:
    """A port nothing listens on: bound once to learn a free number, then closed."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def closed_port() -> int:
    return free_port()


class HangingServer:
    """Accepts every connection on a free port and never sends a byte. Redis, PostgreSQL and
    HTTP clients all speak first and wait for an answer: to each this is a server that hangs.

    After `seconds` it closes every connection, so code that waits on it without a deadline of
    its own fails a test instead of hanging the suite.
    """

    def __init__(self, seconds: float = 30.0) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._clients: list[socket.socket] = []
        self.accepted = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()
        self._timer = threading.Timer(seconds, self.close)
        self._timer.daemon = True
        self._timer.start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # closed
            self._clients.append(client)
            self.accepted.set()

    def close(self) -> None:
        self._timer.cancel()
        for sock in [self._listener, *self._clients]:
            with contextlib.suppress(OSError):
                sock.close()


def wait_for_health_threads(seconds: float = 30.0) -> None:
    """Until no /readyz check is still running: a hung one would be joined by the next test's
    probe (cms/health.py runs a check once at a time)."""
    deadline = time.monotonic() + seconds
    while any(t.name.startswith("health-check-") for t in threading.enumerate()):
        if time.monotonic() > deadline:
            raise TimeoutError("a health check thread is still running")
        time.sleep(0.05)


@pytest.fixture
def hanging_server() -> Iterator[HangingServer]:
    server = HangingServer()
    try:
        yield server
    finally:
        server.close()
        wait_for_health_threads()


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A redis-server of the test's own on a free port (never the machine's shared one)."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir"]
        + [str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis.from_url(url, socket_timeout=1).ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def embedded_index(settings, tmp_path: Path) -> Iterator[Path]:
    """An empty embedded index of the test's own, built as `search_reindex` builds it."""
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    settings.ELASTICSEARCH_URL = ""
    reset_engines()
    get_engine().rebuild(iter([]))
    yield settings.SEARCH_INDEX_DIR
    reset_engines()


@pytest.fixture
def operator(settings) -> dict[str, str]:
    """The headers of a monitoring system that holds the metrics token."""
    settings.METRICS_TOKEN = TOKEN
    return {"Authorization": f"Bearer {TOKEN}"}


def redis_cache(url: str) -> dict[str, dict[str, str]]:
    return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}
