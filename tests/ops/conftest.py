"""Fixtures for the operations tests: ports, a Redis server of their own, an embedded index
in a temporary folder, and the operator's token."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from search.engines import get_engine, reset_engines

TOKEN = "ops-test-token-0123456789abcdef0123456789"


def free_port() -> int:
    """A port nothing listens on: bound once to learn a free number, then closed."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def closed_port() -> int:
    return free_port()


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
