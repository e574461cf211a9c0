"""Requests through Django's WSGI handler (the whole middleware stack), timed and counted."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from urllib.parse import urlencode, urlsplit

from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .queries import graphql_path


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


class WSGIClient:
    """Calls Django's WSGI application as a server would: environ in, status and body out."""

    def __init__(self) -> None:
        self.app = WSGIHandler()

    def request(
        self, method: str, path: str, *, body: bytes = b"", headers: dict | None = None
    ) -> Response:
        parts = urlsplit(path)
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": parts.path,
            "QUERY_STRING": parts.query,
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "localhost",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_ACCEPT": "application/json",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": BytesIO(body),
            "wsgi.errors": BytesIO(),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        if body:
            environ["CONTENT_TYPE"] = "application/json"
            environ["CONTENT_LENGTH"] = str(len(body))
        for name, value in (headers or {}).items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        captured: dict = {}

        def start_response(status, response_headers, exc_info=None):
            captured["status"] = int(status.split()[0])
            captured["headers"] = dict(response_headers)

        result = self.app(environ, start_response)
        try:
            content = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        return Response(captured["status"], captured["headers"], content)

    def get(self, path: str, params: dict | None = None, **kwargs) -> Response:
        if params:
            path = f"{path}?{urlencode(params)}"
        return self.request("GET", path, **kwargs)

    def graphql(self, query: str, variables: dict | None = None) -> Response:
        """A GraphQL query over GET, as a front end (and a CDN) sends it."""
        return self.get(graphql_path(query, variables))


def count_queries(send: Callable[[], Response]) -> tuple[int, Response]:
    """SQL queries one request runs, once warm (two untimed requests of their own).

    The first request of a process fills per-process caches (sites, locales, content types);
    a client of a running server never pays for them.
    """
    check(send())
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        response = send()
    return len(captured.captured_queries), response


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile (no interpolation): a value that was actually measured."""
    ordered = sorted(samples)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


@dataclass
class Plan:
    """How long one case runs: at least min_reps, then until budget_s or max_reps."""

    warmup: int = 3
    min_reps: int = 30
    max_reps: int = 400
    budget_s: float = 2.0


def measure(send: Callable[[int], Response], plan: Plan) -> dict:
    """Time `send(i)` repeatedly; milliseconds, median and p95 (nearest rank)."""
    for i in range(plan.warmup):
        check(send(-1 - i))
    samples: list[float] = []
    started = time.perf_counter()
    i = 0
    while i < plan.max_reps and (
        i < plan.min_reps or time.perf_counter() - started < plan.budget_s
    ):
        t0 = time.perf_counter()
        response = send(i)
        samples.append((time.perf_counter() - t0) * 1000)
        check(response)
        i += 1
    return _summary(samples)


def measure_side_by_side(sends: dict[str, Callable[[int], Response]], plan: Plan) -> dict:
    """`measure` of several cases at once, their requests interleaved round by round (the
    order turned each round): a machine that slows down or speeds up during the run moves
    every case alike, so their ratios hold. Each case gets the plan's repetitions and budget.
    """
    for send in sends.values():
        for i in range(plan.warmup):
            check(send(-1 - i))
    names = list(sends)
    samples: dict[str, list[float]] = {name: [] for name in names}
    started = time.perf_counter()
    budget = plan.budget_s * len(names)
    i = 0
    while i < plan.max_reps and (i < plan.min_reps or time.perf_counter() - started < budget):
        for name in names if i % 2 == 0 else reversed(names):
            t0 = time.perf_counter()
            response = sends[name](i)
            samples[name].append((time.perf_counter() - t0) * 1000)
            check(response)
        i += 1
    return {name: _summary(values) for name, values in samples.items()}


def _summary(samples: list[float]) -> dict:
    return {
        "reps": len(samples),
        "median_ms": statistics.median(samples),
        "p95_ms": percentile(samples, 0.95),
        "min_ms": min(samples),
        "mean_ms": statistics.fmean(samples),
    }


class CaseFailed(RuntimeError):
    pass


def check(response: Response) -> Response:
    if response.status != 200:
        raise CaseFailed(f"HTTP {response.status}: {response.body[:300]!r}")
    if response.body.startswith(b"{") and b'"errors"' in response.body[:20]:
        raise CaseFailed(f"GraphQL errors: {response.body[:300]!r}")
    return response
