"""The embedding model preloaded by each gunicorn worker as it starts (gunicorn.conf.py's
`post_worker_init`, SEARCH_EMBEDDER_PRELOAD), for real: gunicorn, one worker, the production
settings; the worker logs the load before any request reaches it. With the setting off,
the model waits for the first hybrid search.

No database is needed: nothing here is a request that reads one (`/healthz` answers alone).
"""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from search.embeddings import preload_in_background

from .conftest import free_port, spawn_gunicorn
from .test_production_server import HOST, production_env

LOADING = "loading in the background"


@contextmanager
def gunicorn(folder: Path, preload: bool) -> Iterator[tuple[int, Path, int]]:
    """A gunicorn master and its one worker; yields the master's pid, the log file, the port."""
    port = free_port()
    env = production_env(folder, port)
    env.update(
        WEB_WORKERS="1",
        SEARCH_VECTORS_ENABLED="1",
        SEARCH_EMBEDDER_PRELOAD="1" if preload else "0",
        SEARCH_INDEX_DIR=str(folder / "search"),
    )
    env.pop("PROMETHEUS_MULTIPROC_DIR")
    log = folder / "server.log"
    process = spawn_gunicorn(env, log)
    try:
        yield process.pid, log, port
    finally:
        process.terminate()
        process.wait(timeout=30)


def embedder_lines(log: Path) -> list[dict]:
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    return [line for line in lines if line.get("logger") == "search.embeddings"]


def healthy(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/healthz", headers={"Host": HOST})
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def test_each_worker_loads_the_model_as_it_starts(tmp_path):
    with gunicorn(tmp_path, preload=True) as (master, log, _port):
        deadline = time.monotonic() + 120
        while not any("loaded in" in line["message"] for line in embedder_lines(log)):
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        lines = embedder_lines(log)
    loading, loaded = lines[0], lines[-1]
    assert LOADING in loading["message"]
    assert "search.embeddings.USEM3Embedder loaded in" in loaded["message"]
    # In the worker (forked: the master never holds the model), once, with no request made.
    assert loading["pid"] == loaded["pid"] != master
    assert len(lines) == 2


def test_without_preload_the_worker_starts_without_the_model(tmp_path):
    with gunicorn(tmp_path, preload=False) as (_master, log, port):
        deadline = time.monotonic() + 60
        # post_worker_init runs before the worker serves: once it answers, it has decided.
        while not healthy(port):
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        assert embedder_lines(log) == []


def test_nothing_is_preloaded_when_vectors_are_off(settings):
    settings.SEARCH_EMBEDDER_PRELOAD = True
    settings.SEARCH_VECTORS_ENABLED = False
    assert preload_in_background() is None


def test_nothing_is_preloaded_when_the_setting_is_off(settings):
    settings.SEARCH_EMBEDDER_PRELOAD = False
    settings.SEARCH_VECTORS_ENABLED = True
    assert preload_in_background() is None
