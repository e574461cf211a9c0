"""One log line per request and per task, and the request id that ties a user's report to it.

`RequestLogMiddleware` (first in MIDDLEWARE) gives every request an id (the incoming
X-Request-ID when it is a sane token, else a new one: cms/request_id.py), returns it in the
X-Request-ID header and logs one line on "cms.requests" when the response is ready.
`RequestIdFilter` stamps the id on every record logged meanwhile (a masked error's traceback
included), and `task_logged` does the same for a background task. Production formats the
records as JSON (cms/settings/production.py); development keeps plain text.

What a line holds is chosen here, never the whole request: the path without its query string
(a GET's query and variables live there), no header, no body, no client address.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from . import metrics
from .api.context import api_context
from .api.ratelimit import UnknownKey, keyed_client
from .request_id import REQUEST_ID_HEADER, incoming_id
from .request_id import request_id as _request_id

_record: ContextVar[RequestRecord | None] = ContextVar("cms_request_record", default=None)

request_logger = logging.getLogger("cms.requests")
task_logger = logging.getLogger("cms.tasks")


@dataclass
class RequestRecord:
    """What the API learns about a request while serving it, for its log line and metrics."""

    operation: str | None = None
    cache: str | None = None  # "hit" or "miss" when the response cache was consulted


def current_record() -> RequestRecord:
    """The record of the request being served; a throwaway one outside a request."""
    return _record.get() or RequestRecord()


def note_operation(name: str | None) -> None:
    """Remember the GraphQL operation name the client sent (cms/api/view.py)."""
    current_record().operation = name


def note_cache(result: str) -> None:
    """Remember and count a response-cache hit or miss (cms/api/view.py); with the cache off
    (GRAPHQL_CACHE_TIMEOUT = 0) nothing is looked up, so nothing is a miss."""
    if int(getattr(settings, "GRAPHQL_CACHE_TIMEOUT", 0)) <= 0:
        return
    current_record().cache = result
    metrics.RESPONSE_CACHE.labels(result).inc()


class RequestLogMiddleware:
    """The request id, one log line per request and the GraphQL request metrics."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = incoming_id(request)
        record = RequestRecord()
        id_token, record_token = _request_id.set(request_id), _record.set(record)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration = time.perf_counter() - started
            response[REQUEST_ID_HEADER] = request_id
            try:
                self.log(request, response, record, duration)
            except Exception:  # a log line or a metric never costs the client its answer
                request_logger.exception("Request log line failed")
            return response
        finally:
            _request_id.reset(id_token)
            _record.reset(record_token)

    def log(
        self, request: HttpRequest, response: HttpResponse, record: RequestRecord, seconds: float
    ) -> None:
        graphql = request.path == "/graphql/"
        name = (record.operation or _sent_operation(request, record)) if graphql else None
        if graphql:
            label = metrics.operation_label(name)
            metrics.GRAPHQL_REQUESTS.labels(label, str(response.status_code)).inc()
            metrics.GRAPHQL_DURATION.labels(label).observe(seconds)
        fields: dict[str, Any] = {
            "request_id": _request_id.get(),
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round(seconds * 1000, 2),
        }
        if graphql:
            fields.update(
                operation=name[:100] if name else None,  # the client's choice: bounded
                cost=_cost(request),
                cache=record.cache,
                client=_client_name(request),
            )
        request_logger.info(
            "%s %s %s %.1f ms",
            request.method,
            request.path,
            response.status_code,
            fields["duration_ms"],
            extra=fields,
        )


def _sent_operation(request: HttpRequest, record: RequestRecord) -> str | None:
    """The operationName the client sent, when the view did not note it: an answer from the
    response cache's byte-for-byte lookup, given before the view decodes the body. From a
    GET's parameters, or that POST body: the same bytes as an answer that was decoded and
    kept, so valid JSON. A refused request's body is never decoded here."""
    name: Any = request.GET.get("operationName")
    if request.method == "POST" and record.cache == "hit":
        try:
            name = json.loads(request.body).get("operationName")
        except Exception:
            name = None
    return name if isinstance(name, str) and name else None


def _cost(request: HttpRequest) -> float | None:
    return api_context(request).cost


def _client_name(request: HttpRequest) -> str | None:
    """The front end's key name (never the key), "unknown" for a key the server refused."""
    try:
        return keyed_client(request)
    except UnknownKey:
        return "unknown"


@contextmanager
def task_logged(task: str, task_id: str | None = None, **fields: Any) -> Iterator[dict[str, Any]]:
    """Log one line and count one run of a background task; yields a dict for its outcome.

    The task's id stands in for a request id on everything logged while it runs.
    """
    result: dict[str, Any] = {"outcome": "done"}
    token = _request_id.set(task_id or uuid.uuid4().hex)
    started = time.perf_counter()
    try:
        yield result
    except BaseException:
        result["outcome"] = "failed"
        raise
    finally:
        seconds = time.perf_counter() - started
        metrics.TASKS.labels(task, result["outcome"]).inc()
        metrics.TASK_DURATION.labels(task).observe(seconds)
        task_logger.info(
            "task %s %s %.1f ms",
            task,
            result["outcome"],
            seconds * 1000,
            extra={
                "request_id": _request_id.get(),
                "task": task,
                "outcome": result["outcome"],
                "duration_ms": round(seconds * 1000, 2),
                **fields,
            },
        )
        _request_id.reset(token)
