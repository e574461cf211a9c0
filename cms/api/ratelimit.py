"""Rate limit of /graphql/: a budget of points per client IP and fixed window.

A request costs its query cost when cms.api.limits has computed one before execution
(`request.graphql_cost`), else 1 point. The cost is only known once the view has run, so a
request is let in while the client's window has points left and charged afterwards: the last
request of a window may overdraw it, and the next one is refused until the window turns.

Counters live in Django's default cache (Redis in production, so every worker shares them),
one key per client and window, expiring with the window.
"""

import contextlib
import json
import logging
import math
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from cms.security import client_ip

RATE_LIMITED = "RATE_LIMITED"
GRAPHQL_PATH = "/graphql/"

logger = logging.getLogger("cms.api")


def _now() -> float:
    """The clock, one function so tests can move it."""
    return time.time()


def request_cost(request: HttpRequest) -> int:
    """Points a served request costs: its query cost if one was computed, at least 1."""
    cost = getattr(request, "graphql_cost", None)
    try:
        return max(1, math.ceil(float(cost))) if cost is not None else 1
    except (TypeError, ValueError):
        return 1


class GraphQLRateLimitMiddleware:
    """Answers 429 with Retry-After and a GraphQL error body once a client's window is spent."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path != GRAPHQL_PATH or request.method == "OPTIONS":
            return self.get_response(request)

        points = int(settings.GRAPHQL_RATE_LIMIT_POINTS)
        window = max(1, int(settings.GRAPHQL_RATE_LIMIT_WINDOW))
        now = _now()
        window_index = int(now // window)
        key = f"graphql-rate:{window}:{window_index}:{client_ip(request)}"
        retry_after = max(1, math.ceil((window_index + 1) * window - now))

        try:
            spent = cache.get(key) or 0
        except Exception:
            # Fail open: a cache outage (Redis down) must not take the whole API down with it.
            logger.exception("Rate limit cache unavailable; request let through")
            return self.get_response(request)
        if spent >= points:
            return self.refuse(retry_after)

        response = self.get_response(request)
        try:
            if not spent:
                # add() is a no-op when the key exists, and incr() is atomic on Redis:
                # concurrent workers never lose a charge. The key outlives its window a
                # little, never less. A key already seen with points on it exists: one round
                # trip fewer for every request but a window's first.
                cache.add(key, 0, timeout=window + 1)
            # ValueError: the key expired since, so the window is over and there is nothing
            # left to charge.
            with contextlib.suppress(ValueError):
                cache.incr(key, request_cost(request))
        except Exception:
            logger.exception("Rate limit cache unavailable; request not charged")
        return response

    @staticmethod
    def refuse(retry_after: int) -> HttpResponse:
        """429 in the shape every other API error has: a GraphQL error with a code."""
        body = {
            "errors": [
                {
                    "message": (f"Too many requests: try again in {retry_after} seconds."),
                    "extensions": {"code": RATE_LIMITED, "retryAfter": retry_after},
                }
            ]
        }
        response = HttpResponse(json.dumps(body), status=429, content_type="application/json")
        response["Retry-After"] = str(retry_after)
        add_never_cache_headers(response)
        return response
