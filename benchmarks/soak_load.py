"""The soak run's load: a fixed number of client threads on 127.0.0.1, each with one
keep-alive connection, cycling through catalogue lists, single items, search, suggest and
persisted-query GETs, and recording every answer (time, kind, status, GraphQL codes, latency).
Also the GraphQL calls the change checker makes (benchmarks/soak_changes.py).
"""

from __future__ import annotations

import hashlib
import http.client
import json
import random
import threading
import time
import urllib.parse

HEADERS = {"Accept": "application/json", "Host": "localhost"}
TIMEOUT = 30.0

LIST_QUERY = (
    "query List($page: Int, $topic: String) { publications(page: $page, perPage: 10, "
    "topic: $topic) { items { id title date topics { name } } pagination { total } } }"
)
ITEM_QUERY = "query Item($id: ID) { publication(id: $id) { id title subtitle date } }"
SEARCH_QUERY = (
    "query Search($query: String!) { search(query: $query, perPage: 10) "
    "{ total hits { id title } } }"
)
SUGGEST_QUERY = "query Suggest($prefix: String!) { suggest(prefix: $prefix) { id title } }"
PERSISTED_QUERY = (
    'query Persisted($page: Int) { publications(page: $page, perPage: 5, order: "title") '
    "{ items { id title } } }"
)
PERSISTED_HASH = hashlib.sha256(PERSISTED_QUERY.encode()).hexdigest()
WORDS = ["prevention", "police", "drug", "security", "radicalisation", "youth", "nightlife",
         "victims", "cities", "mediation", "sécurité", "prevención", "Polizei"]  # fmt: skip
PREFIXES = ["pre", "pol", "sec", "dru", "you", "nig", "urb", "vic", "com", "rad"]
TOPICS = [None, "drugs", "police", "prevention", "youth", "nightlife"]
KINDS = ("list", "item", "search", "suggest", "persisted")


def graphql_path(query: str, variables: dict | None = None, extensions: dict | None = None) -> str:
    params = {"query": query} if query else {}
    if variables:
        params["variables"] = json.dumps(variables, separators=(",", ":"))
    if extensions:
        params["extensions"] = json.dumps(extensions, separators=(",", ":"))
    return "/graphql/?" + urllib.parse.urlencode(params)


def persisted_path(page: int) -> str:
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": PERSISTED_HASH}}
    return graphql_path("", {"page": page}, extensions)


def request_path(kind: str, rng: random.Random, item_ids: list[int]) -> str:
    if kind == "list":
        return graphql_path(LIST_QUERY, {"page": rng.randint(1, 10), "topic": rng.choice(TOPICS)})
    if kind == "item":
        return graphql_path(ITEM_QUERY, {"id": str(rng.choice(item_ids))})
    if kind == "search":
        return graphql_path(SEARCH_QUERY, {"query": rng.choice(WORDS)})
    if kind == "suggest":
        return graphql_path(SUGGEST_QUERY, {"prefix": rng.choice(PREFIXES)})
    return persisted_path(rng.randint(1, 20))


def fetch(
    connection: http.client.HTTPConnection, method: str, path: str, body: bytes | None = None
):
    """(status, parsed JSON body or None); status 0 when no answer came."""
    headers = dict(HEADERS)
    if body is not None:
        headers["Content-Type"] = "application/json"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        raw = response.read()
        if response.getheader("Connection", "").lower() == "close":
            connection.close()
    except (OSError, http.client.HTTPException):
        connection.close()
        return 0, None
    try:
        return response.status, json.loads(raw)
    except ValueError:
        return response.status, None


def error_codes(body: dict | None) -> list[str]:
    if not isinstance(body, dict):
        return []
    return [
        str((error.get("extensions") or {}).get("code", "NO_CODE"))
        for error in body.get("errors") or []
    ]


def graphql(port: int, query: str, variables: dict) -> tuple[int, dict | None]:
    """One GET on a fresh connection (the change checker's calls)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        return fetch(connection, "GET", graphql_path(query, variables))
    finally:
        connection.close()


def register_persisted_query(port: int) -> None:
    """Automatic persisted queries: the query sent once with its hash registers it."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    body = json.dumps(
        {
            "query": PERSISTED_QUERY,
            "variables": {"page": 1},
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": PERSISTED_HASH}},
        }
    ).encode()
    try:
        status, answer = fetch(connection, "POST", "/graphql/", body)
    finally:
        connection.close()
    if status != 200 or error_codes(answer):
        raise RuntimeError(f"registering the persisted query failed: {status} {answer}")


class Load:
    """`clients` threads sending one request after another until stop(); samples in `samples`."""

    def __init__(self, port: int, clients: int, item_ids: list[int], started: float) -> None:
        self.port = port
        self.item_ids = item_ids
        self.started = started  # time.monotonic() of the run's start: samples' t is relative
        self.samples: list[dict] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._client, args=(number,), daemon=True)
            for number in range(clients)
        ]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=TIMEOUT + 5)

    def _client(self, number: int) -> None:
        rng = random.Random(number)
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        count = number
        while not self._stop.is_set():
            kind = KINDS[count % len(KINDS)]
            count += 1
            path = request_path(kind, rng, self.item_ids)
            begun = time.monotonic()
            status, body = fetch(connection, "GET", path)
            elapsed = time.monotonic() - begun
            sample = {
                "t": round(begun - self.started, 3),
                "kind": kind,
                "status": status,
                "codes": error_codes(body),
                "ms": round(elapsed * 1000, 2),
            }
            with self._lock:
                self.samples.append(sample)
            if status == 0:
                time.sleep(0.2)  # no answer: the server is away, do not spin

    def counts(self) -> tuple[int, int]:
        """(requests, answers that were not a clean 200) so far."""
        with self._lock:
            samples = list(self.samples)
        bad = sum(1 for s in samples if s["status"] != 200 or s["codes"])
        return len(samples), bad
