"""The id of the request (or background task) being served, for every log line and a masked
error's message. Kept apart from cms/logs.py so the logging configuration, read before the
apps are loaded, imports nothing else."""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar

from django.http import HttpRequest

REQUEST_ID_HEADER = "X-Request-ID"
# A proxy's or a front end's id is kept only when it is a short token (no spaces, quotes or
# control characters that could forge a log line or a header); anything else is replaced.
_SANE_ID = re.compile(r"[A-Za-z0-9._:@+=-]{8,128}")

request_id: ContextVar[str | None] = ContextVar("cms_request_id", default=None)


def current_request_id() -> str | None:
    """The id of the request (or task) being served in this thread, if any."""
    return request_id.get()


def incoming_id(request: HttpRequest) -> str:
    """The client's or proxy's X-Request-ID if sane, else a new id."""
    sent = request.headers.get(REQUEST_ID_HEADER, "")
    return sent if _SANE_ID.fullmatch(sent) else uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (None outside a request or a task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True
