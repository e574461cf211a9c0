"""Rate limit of /graphql/: a budget of points per client and fixed window.

A client is its IP address, or, for a server-side front end that sends a key of
GRAPHQL_CLIENT_KEYS in the X-Api-Key header, that key: such a front end sends all its
visitors' queries from one address and has a budget of its own
(GRAPHQL_CLIENT_RATE_LIMIT_POINTS). A key changes nothing else: the same public content, the
same response cache. An unknown key is refused (401), not quietly counted by address.

A request costs its query cost when cms.api.limits has computed one before execution
(`api_context(request).cost`), else 1 point. The cost is only known once the view has run, so a
request is let in while the client's window has points left and charged afterwards: the last
request of a window may overdraw it, and the next one is refused until the window turns.

Counters live in Django's default cache (Redis in production, so every worker shares them),
one key per client and window, expiring with the window. While Redis is away (the cache's
breaker is open, cms/cache_breaker.py) each process counts in a bounded window of its own
memory: the limit holds per process instead of being dropped.
"""

import contextlib
import hmac
import json
import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from cms import cache_breaker
from cms.metrics import rate_limited
from cms.security import client_ip

from .context import api_context

RATE_LIMITED = "RATE_LIMITED"
INVALID_API_KEY = "INVALID_API_KEY"
API_KEY_HEADER = "X-Api-Key"
GRAPHQL_PATH = "/graphql/"

logger = logging.getLogger("cms.api")


def _now() -> float:
    """The clock, one function so tests can move it."""
    return time.time()


def request_cost(request: HttpRequest) -> int:
    """Points a served request costs: its query cost if one was computed, at least 1."""
    cost = api_context(request).cost
    try:
        return max(1, math.ceil(float(cost))) if cost is not None else 1
    except (TypeError, ValueError):
        return 1


class UnknownKey(Exception):
    """The request carries an API key that is not one of GRAPHQL_CLIENT_KEYS."""


def keyed_client(request: HttpRequest) -> str | None:
    """The name of the front end whose key the request carries, or None without a key."""
    sent = (request.headers.get(API_KEY_HEADER) or "").strip()
    if not sent:  # a front end whose key variable is unset sends an empty header
        return None
    found = None
    for name, key in settings.GRAPHQL_CLIENT_KEYS.items():
        # Every key compared, in constant time: the answer's timing tells nothing of them.
        if hmac.compare_digest(sent.encode(), key.encode()):
            found = name
    if found is None:
        raise UnknownKey
    return found


def budget(request: HttpRequest) -> tuple[str, int]:
    """Who is charged for the request, and their points per window."""
    client = keyed_client(request)
    if client is not None:
        return f"key:{client}", int(settings.GRAPHQL_CLIENT_RATE_LIMIT_POINTS)
    return client_ip(request), int(settings.GRAPHQL_RATE_LIMIT_POINTS)


class LocalWindows:
    """Per-process counters for when the shared cache is away: at most `size` (client,
    window) pairs, the least recently charged dropped first."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._spent: OrderedDict[str, int] = OrderedDict()
        self._lock = threading.Lock()

    def spent(self, key: str) -> int:
        with self._lock:
            return self._spent.get(key, 0)

    def charge(self, key: str, points: int) -> None:
        with self._lock:
            self._spent[key] = self._spent.get(key, 0) + points
            self._spent.move_to_end(key)
            while len(self._spent) > self.size:
                self._spent.popitem(last=False)


local_windows = LocalWindows()


def _shared_spent(key: str) -> int | None:
    """Points spent in the shared cache, or None when it cannot be read now."""
    try:
        spent = cache.get(key)
    except Exception as error:
        # A cache without a breaker (not the project's Redis): one line, no traceback.
        logger.warning("Rate limit cache unavailable (%s); counting per process", error)
        return None
    return (spent or 0) if cache_breaker.available(cache) else None


def _charge_shared(key: str, spent: int, cost: int, window: int) -> bool:
    """Charge `cost` in the shared cache; False when it could not be done."""
    try:
        if not spent:
            # add() is a no-op when the key exists, and incr() is atomic on Redis:
            # concurrent workers never lose a charge. The key outlives its window a
            # little, never less. A key already seen with points on it exists: one round
            # trip fewer for every request but a window's first.
            cache.add(key, 0, timeout=window + 1)
        # ValueError: the key expired since, so the window is over and there is nothing
        # left to charge (or the cache went away: then available() says so below).
        with contextlib.suppress(ValueError):
            cache.incr(key, cost)
    except Exception as error:
        logger.warning("Rate limit cache unavailable (%s); request charged per process", error)
        return False
    return cache_breaker.available(cache)


class GraphQLRateLimitMiddleware:
    """Answers 429 with Retry-After and a GraphQL error body once a client's window is spent."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path != GRAPHQL_PATH or request.method == "OPTIONS":
            return self.get_response(request)

        try:
            client, points = budget(request)
        except UnknownKey:
            return self.refuse_key()
        window = max(1, int(settings.GRAPHQL_RATE_LIMIT_WINDOW))
        now = _now()
        window_index = int(now // window)
        key = f"graphql-rate:{window}:{window_index}:{client}"
        retry_after = max(1, math.ceil((window_index + 1) * window - now))

        shared = _shared_spent(key)
        spent = local_windows.spent(key) if shared is None else shared
        if spent >= points:
            rate_limited(client)
            return self.refuse(retry_after)

        response = self.get_response(request)
        cost = request_cost(request)
        if shared is None or not _charge_shared(key, shared, cost, window):
            local_windows.charge(key, cost)
        return response

    @staticmethod
    def refuse_key() -> HttpResponse:
        """401 for a key the server does not know: a front end misconfigured, told so."""
        body = {
            "errors": [
                {
                    "message": f"Unknown API key: check the {API_KEY_HEADER} header, or send none.",
                    "extensions": {"code": INVALID_API_KEY},
                }
            ]
        }
        response = HttpResponse(json.dumps(body), status=401, content_type="application/json")
        response["WWW-Authenticate"] = f'ApiKey header="{API_KEY_HEADER}"'
        add_never_cache_headers(response)
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
