"""`manage.py search_reindex` on Elasticsearch: every request it sends, in order, compared with
`expected/reindex_requests.json`.

The requests go over real HTTP, from the real client, to a recorder on a free port that
answers each as Elasticsearch 8 does (by hand, as in test_elastic_requests.py): what is tested
is what the command sends, not what a cluster does with it (that is the live tier,
test_elastic_reindex_live.py). The sequence is the zero-downtime one: a new index named for
its time, filled with refreshes off, refreshed, then ONE `_aliases` call moving the alias from
the old index to the new one, and only then the old index deleted.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command

from search.engines import reset_engines

EXPECTED = Path(__file__).parent / "expected"
ALIAS = "catalogue"
OLD = "catalogue-20240101000000000000"
NEW = re.compile(rf"{ALIAS}-\d{{20}}")


class Recorder(BaseHTTPRequestHandler):
    """Records each request, and answers as Elasticsearch 8 would the calls a reindex makes."""

    requests: list[dict[str, Any]]

    def _handle(self) -> None:
        url = urlsplit(self.path)
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        lines = [json.loads(line) for line in raw.splitlines() if line.strip()]
        self.requests.append(
            {
                "method": self.command,
                "path": url.path,
                "query": parse_qs(url.query),
                "body": lines,
                "at": time.monotonic(),
            }
        )
        status, answer = self._answer(self.command, url.path, lines)
        body = b"" if self.command == "HEAD" else json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle

    @staticmethod
    def _answer(method: str, path: str, lines: list[Any]) -> tuple[int, Any]:
        if path == f"/_alias/{ALIAS}":
            return 200, {OLD: {"aliases": {ALIAS: {}}}}
        if path == "/_bulk":
            items = [
                {"index": {"_index": line["index"]["_index"], "_id": line["index"]["_id"],
                           "status": 201, "result": "created", "_version": 1}}
                for line in lines if "index" in line
            ]  # fmt: skip
            return 200, {"took": 1, "errors": False, "items": items}
        if path.endswith("/_refresh"):
            return 200, {"_shards": {"total": 1, "successful": 1, "failed": 0}}
        if method == "PUT" and path.count("/") == 1:
            return 200, {"acknowledged": True, "shards_acknowledged": True, "index": path[1:]}
        if path == "/_aliases" or path.endswith("/_settings") or method == "DELETE":
            return 200, {"acknowledged": True}
        return 400, {"error": {"type": "unexpected_request", "reason": f"{method} {path}"}}

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the test reads the recording, not a log


@pytest.fixture
def recorder() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    requests: list[dict[str, Any]] = []
    handler = type("Handler", (Recorder,), {"requests": requests})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def normalised(requests: list[dict[str, Any]], pages: dict[str, Any]) -> list[dict[str, Any]]:
    """The recording with the index names as <old> and <new> (a timestamp), page ids as <key>, and
    each bulk document reduced to its title and locale (documents' bodies are pinned whole in
    document_*.json); the index definition is compared with index.json by the test."""
    keys = {page.pk: key for key, page in pages.items()}

    def names(value: Any) -> Any:
        return json.loads(NEW.sub("<new>", json.dumps(value).replace(OLD, "<old>")))

    result = []
    for request in requests:
        entry = {"method": request["method"], "path": request["path"], "query": request["query"]}
        body = request["body"]
        if request["path"] == "/_bulk":
            pairs = list(zip(body[::2], body[1::2], strict=True))
            entry["body"] = sorted(
                (
                    [
                        {"index": {**meta["index"], "_id": f"<{keys[int(meta['index']['_id'])]}>"}},
                        {"title": source["title"], "locale": source["locale"]},
                    ]
                    for meta, source in pairs
                ),
                key=json.dumps,
            )
        elif request["method"] == "PUT" and request["path"].count("/") == 1:
            entry["body"] = "<index.json, refresh_interval -1>"
        elif body:
            [entry["body"]] = body
        result.append(names(entry))
    return result


def test_search_reindex_sends_exactly_the_expected_requests(search_catalogue, recorder, settings):
    url, requests = recorder
    settings.ELASTICSEARCH_URL = url
    settings.SEARCH_INDEX_NAME = ALIAS
    reset_engines()
    output = StringIO()
    try:
        call_command("search_reindex", stdout=output)
    finally:
        reset_engines()

    expected = json.loads((EXPECTED / "reindex_requests.json").read_text())
    assert normalised(requests, search_catalogue) == expected
    # The new index is created with the definition pinned in index.json, refreshes off.
    [create] = [r for r in requests if r["method"] == "PUT" and NEW.fullmatch(r["path"][1:])]
    definition = json.loads((EXPECTED / "index.json").read_text())
    refresh_off = {**definition["settings"], "refresh_interval": "-1"}
    assert create["body"] == [{"settings": refresh_off, "mappings": definition["mappings"]}]
    assert f"into {create['path'][1:]}" in output.getvalue()


def test_the_old_index_is_deleted_only_after_the_grace_period(search_catalogue, recorder, settings):
    """Searches that found the old index just before the swap finish before it goes."""
    url, requests = recorder
    settings.ELASTICSEARCH_URL = url
    settings.SEARCH_INDEX_NAME = ALIAS
    settings.SEARCH_REINDEX_GRACE_SECONDS = 0.5
    reset_engines()
    try:
        call_command("search_reindex", stdout=StringIO())
    finally:
        reset_engines()

    [swap] = [r for r in requests if r["path"] == "/_aliases"]
    [delete] = [r for r in requests if r["method"] == "DELETE"]
    assert delete["path"] == f"/{OLD}"
    assert delete["at"] - swap["at"] >= 0.5
