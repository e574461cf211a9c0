"""`search_reindex` while the web processes serve searches: not one search fails or misses a
page, and the index in use is a new one afterwards.

gunicorn (gunicorn.conf.py, two workers) serves the `search` field to two clients in a loop,
on a SQLite file of its own, while `manage.py search_reindex` runs twice in another process.
On the embedded index every run; on Elasticsearch with `-m elasticsearch` where
ELASTICSEARCH_URL is set (CI's `elasticsearch` job), where the rebuild fills a new index and
moves the alias to it in one call (the requests: tests/search/test_elastic_reindex_requests.py).
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from .conftest import free_port, spawn_gunicorn

PROJECT_ROOT = Path(settings.BASE_DIR)
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
# The suite's own services and secret stay out: the server gets its own.
NOT_PASSED = {"DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL", "SECRET_KEY", "SEARCH_INDEX_NAME"}
PAGES = 60
WORD = "reindexword"
SEARCH = json.dumps(
    {"query": f'{{ search(query: "{WORD}", locale: "en") {{ total hits {{ id }} }} }}'}
)
MAKE_PAGES = f"""
from cms.factories import make_home_page
from publications.factories import PublicationIndexPageFactory, PublicationPageFactory
index = PublicationIndexPageFactory(parent=make_home_page())
for n in range({PAGES}):
    PublicationPageFactory(parent=index, title=f"{WORD} {{n}}")
print("made")
"""

ENGINES = [
    pytest.param(
        "embedded",
        id="embedded",
        # Its server runs on a SQLite file of its own whatever the suite's database: once per
        # CI run (the SQLite pass) is enough for a test this long.
        marks=pytest.mark.skipif(
            connection.vendor != "sqlite", reason="runs on its own SQLite file: the SQLite pass"
        ),
    ),
    pytest.param(
        "elasticsearch",
        id="elasticsearch",
        marks=[
            pytest.mark.elasticsearch,
            pytest.mark.skipif(not ELASTICSEARCH_URL, reason="ELASTICSEARCH_URL is not set"),
        ],
    ),
]


@dataclass
class Site:
    """A folder with its database and index, and the commands and server run on it."""

    engine: str
    folder: Path
    port: int
    index_name: str = field(default_factory=lambda: f"test-reindex-{uuid.uuid4().hex[:8]}")

    def env(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if key not in NOT_PASSED}
        env.update(
            DJANGO_SETTINGS_MODULE="cms.settings.dev",
            CMS_VAR_DIR=str(self.folder),
            DATABASE_URL=f"sqlite:///{self.folder / 'db.sqlite3'}",
            SEARCH_INDEX_DIR=str(self.folder / "search"),
            # Every search reaches the engine: no cached answers, no rate limit.
            GRAPHQL_CACHE_TIMEOUT="0",
            GRAPHQL_RATE_LIMIT_POINTS=str(10**9),
            WEB_WORKERS="2",
            WEB_BIND=f"127.0.0.1:{self.port}",
            WEB_GRACEFUL_TIMEOUT="5",
        )
        if self.engine == "elasticsearch":
            env.update(
                ELASTICSEARCH_URL=ELASTICSEARCH_URL,
                SEARCH_INDEX_NAME=self.index_name,
                # A cold single-node cluster in CI can be slow to create an index.
                SEARCH_TIMEOUT_SECONDS="10",
                SEARCH_WRITE_TIMEOUT_SECONDS="60",
            )
        return env

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=PROJECT_ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout.strip().splitlines()[-1]

    def index_in_use(self) -> str:
        if self.engine == "embedded":
            return os.readlink(self.folder / "search" / "current")
        from elasticsearch import Elasticsearch

        with Elasticsearch(ELASTICSEARCH_URL, request_timeout=30) as client:
            [name] = client.indices.get_alias(name=self.index_name)
            return name

    def index_exists(self, name: str) -> bool:
        if self.engine == "embedded":
            return (self.folder / "search" / name).exists()
        from elasticsearch import Elasticsearch

        with Elasticsearch(ELASTICSEARCH_URL, request_timeout=30) as client:
            return bool(client.indices.exists(index=name))

    def drop_indexes(self) -> None:
        if self.engine != "elasticsearch":
            return  # the folder goes with tmp_path
        from elasticsearch import Elasticsearch

        with Elasticsearch(ELASTICSEARCH_URL, request_timeout=30) as client:
            # Clusters refuse wildcard deletes by default: each concrete index by name.
            for index in client.indices.get(index=f"{self.index_name}-*", ignore_unavailable=True):
                client.indices.delete(index=index)


@dataclass
class Searches:
    """Clients searching in a loop until stopped; every answer is kept with its time."""

    port: int
    answers: list[tuple[float, int, dict | str]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def search(self) -> tuple[int, dict | str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("POST", "/graphql/", SEARCH, {"Content-Type": "application/json"})
            response = connection.getresponse()
            body = response.read().decode()
            try:
                return response.status, json.loads(body)
            except ValueError:
                return response.status, body
        except OSError as error:
            return 0, repr(error)
        finally:
            connection.close()

    def loop(self) -> None:
        while not self.stop.is_set():
            status, body = self.search()
            self.answers.append((time.monotonic(), status, body))

    def failed(self) -> list[tuple[float, int, dict | str]]:
        def ok(status: int, body: dict | str) -> bool:
            return (
                status == 200
                and isinstance(body, dict)
                and "errors" not in body
                and body["data"]["search"]["total"] == PAGES
            )

        return [answer for answer in self.answers if not ok(answer[1], answer[2])]


@pytest.fixture
def site(request, tmp_path: Path) -> Iterator[Site]:
    site = Site(engine=request.param, folder=tmp_path, port=free_port())
    try:
        yield site
    finally:
        site.drop_indexes()


@pytest.fixture
def server(site: Site) -> Iterator[subprocess.Popen]:
    site.manage("migrate", "--noinput")
    assert site.manage("shell", "-c", MAKE_PAGES) == "made"
    site.manage("search_reindex")
    process = spawn_gunicorn(site.env(), site.folder / "server.log")
    try:
        probe = Searches(site.port)
        deadline = time.monotonic() + 90
        while probe.search()[0] != 200:
            assert process.poll() is None, (site.folder / "server.log").read_text()
            assert time.monotonic() < deadline, "gunicorn did not answer in 90 s"
            time.sleep(0.2)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.parametrize("site", ENGINES, indirect=True)
def test_searches_never_fail_while_the_index_is_rebuilt(site: Site, server):
    first_index = site.index_in_use()
    searches = Searches(site.port)
    clients = [threading.Thread(target=searches.loop) for _ in range(2)]
    for client in clients:
        client.start()
    try:
        windows = []
        for _ in range(2):
            started = time.monotonic()
            summary = site.manage("search_reindex")
            windows.append((started, time.monotonic()))
            assert summary.startswith(f"Indexed {PAGES} documents into ")
        time.sleep(0.5)  # and a few searches after the last swap
    finally:
        searches.stop.set()
        for client in clients:
            client.join(timeout=60)

    during = [a for a in searches.answers if any(s <= a[0] <= e for s, e in windows)]
    assert len(during) >= 10, f"only {len(during)} searches while the index was rebuilt"
    assert searches.failed() == [], (site.folder / "server.log").read_text()[-3000:]
    # The index in use is the second rebuild's; the ones before it are gone.
    assert site.index_in_use() != first_index
    assert not site.index_exists(first_index)
    print(json.dumps({"engine": site.engine, "searches": len(searches.answers),
                      "during_rebuilds": len(during)}))  # fmt: skip
