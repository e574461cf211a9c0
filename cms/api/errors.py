"""GraphQL errors with the `extensions.code` clients understand (Apollo's convention).

Every error a client sees carries a code. An error the API raised on purpose (a GraphQLError)
keeps its message; anything else is a bug or an outage, so its message (which may name a
host, a table or a value) is replaced by an error id, and the traceback goes to the log.
"""

import logging
import time
import uuid
from typing import Any

from django.db import InterfaceError, OperationalError
from graphql import GraphQLError

BAD_USER_INPUT = "BAD_USER_INPUT"
GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
# The HTTP request itself is refused before any GraphQL is read: wrong method, media type,
# Accept header, a body that is not a JSON object, no `query`, `variables` not an object...
BAD_REQUEST = "BAD_REQUEST"
# The document is valid but names no operation to run: an unknown `operationName`, or
# several operations and no `operationName`.
OPERATION_RESOLUTION_FAILURE = "OPERATION_RESOLUTION_FAILURE"

# The database cannot be reached (restarting, failing over, out of connections): 503 with
# Retry-After, so clients and load balancers retry instead of reporting a bug.
SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
RETRY_AFTER_SECONDS = 5

logger = logging.getLogger("cms.api")


class BadUserInput(GraphQLError):
    """A refused argument: the message says what is allowed, never how the data is stored."""

    def __init__(self, message: str, *, argument: str | None = None):
        extensions = {"code": BAD_USER_INPUT}
        if argument:
            extensions["argument"] = argument
        super().__init__(message, extensions=extensions)


def with_code(error: GraphQLError, code: str) -> GraphQLError:
    """Give `error` the code `code` unless it already has one; returns the same error."""
    extensions = dict(error.extensions or {})
    extensions.setdefault("code", code)
    error.extensions = extensions
    return error


def is_expected(error: BaseException) -> bool:
    """Whether the client may read `error`'s message: an error raised on purpose.

    graphql-core wraps whatever a resolver raises in a GraphQLError with the same message
    and the raised exception as `original_error`, so a wrapped ValueError or database error
    looks like a GraphQLError: what counts is what was raised.
    """
    if not isinstance(error, GraphQLError):
        return False
    if (error.extensions or {}).get("code"):
        # Coded by the API itself, e.g. a variable coercion error whose original error is a
        # scalar's ValueError about the client's own value.
        return True
    original = error.original_error
    return original is None or isinstance(original, GraphQLError)


def format_error(error: BaseException) -> dict[str, Any]:
    """The error as the client sees it, always with `extensions.code`.

    An unexpected error is masked: the message becomes "Internal server error (error id …)",
    `extensions` has the code INTERNAL_SERVER_ERROR and the `errorId`, and the traceback is
    logged on "cms.api" with the same id so a report from a front end can be traced.
    """
    if is_expected(error):
        formatted: dict[str, Any] = dict(error.formatted)  # type: ignore[union-attr]
        formatted["extensions"] = {"code": INTERNAL_SERVER_ERROR, **formatted.get("extensions", {})}
        return formatted

    error_id = uuid.uuid4().hex
    # The exception the code raised, not graphql-core's wrapper: its traceback is the one
    # that points at the bug.
    original = getattr(error, "original_error", None) or error
    path = getattr(error, "path", None)
    logger.error(
        "GraphQL internal error (error id %s) at path %s: %s",
        error_id,
        path,
        original,
        exc_info=(type(original), original, original.__traceback__),
    )
    masked: dict[str, Any] = {"message": f"Internal server error (error id {error_id})"}
    if isinstance(error, GraphQLError):
        # Where the error happened in the client's own document is safe to give back.
        if error.locations is not None:
            masked["locations"] = [location.formatted for location in error.locations]
        if path is not None:
            masked["path"] = path
    masked["extensions"] = {"code": INTERNAL_SERVER_ERROR, "errorId": error_id}
    return masked


def is_database_outage(error: BaseException | None) -> bool:
    """Whether `error` is (or wraps) the database failing to answer, not a bug.

    Django raises OperationalError for a server gone away, refused, restarting, out of
    connections, or a lock it could not get, InterfaceError for a connection already closed;
    graphql-core wraps a resolver's in a GraphQLError (`original_error`).
    """
    for _ in range(5):  # a short chain of wrappers
        if error is None:
            return False
        if isinstance(error, OperationalError | InterfaceError):
            return True
        error = getattr(error, "original_error", None) or error.__cause__
    return False


_outage_logged_at = -float("inf")


def log_database_outage(error: BaseException) -> None:
    """One log line (no traceback) per RETRY_AFTER_SECONDS, however many requests meet the
    outage."""
    global _outage_logged_at
    now = time.monotonic()
    if now - _outage_logged_at >= RETRY_AFTER_SECONDS:
        _outage_logged_at = now
        original = getattr(error, "original_error", None) or error
        logger.warning(
            "Database unavailable (%s: %s): answering 503 %s",
            type(original).__name__,
            str(original).strip().splitlines()[0] if str(original).strip() else "",
            SERVICE_UNAVAILABLE,
        )


def service_unavailable(error: BaseException) -> dict[str, Any]:
    """The GraphQL body of a 503 for a database outage (logged by log_database_outage)."""
    log_database_outage(error)
    return {
        "errors": [
            {
                "message": "The service is briefly unavailable (its database does not answer): "
                f"try again in {RETRY_AFTER_SECONDS} seconds.",
                "extensions": {"code": SERVICE_UNAVAILABLE, "retryAfter": RETRY_AFTER_SECONDS},
            }
        ]
    }
