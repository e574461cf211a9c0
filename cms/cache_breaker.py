"""Django's Redis cache behind a circuit breaker: a Redis that is down or hangs costs one short
timeout, then is skipped for a few seconds at a time until it answers again.

Every caller of the cache (the response cache, the rate limit, persisted queries, Wagtail's
own lookups) gets it, as with Django's memcached backends, which also treat a dead server as
an empty cache: while Redis is away a read is a miss, a write is dropped, `incr` finds no key.
Callers that must know (the rate limit falls back to a per-process window) ask `available()`.

One warning when an outage starts, one when it ends; never a traceback per request. While the
breaker is open a background probe pings Redis every pause, so even an idle process notices
the end of an outage and sends `redis_recovered` (the response cache starts a new generation
then: an invalidation may have been lost while Redis was away).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import BaseCache
from django.core.cache.backends.redis import RedisCache
from django.dispatch import Signal
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger("cms.cache")

# A refused or reset connection, a timeout, a server still loading its data (a subclass).
OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError)
DEFAULT_PAUSE_SECONDS = 5.0
# redis-py waits 5 s by default; a cache that slow is worse than none.
DEFAULT_TIMEOUT_SECONDS = 0.05

# Sent (sender: the breaker's location) when Redis answers again after an outage.
redis_recovered = Signal()

T = TypeVar("T")


class Breaker:
    """Open after a failure; a background probe closes it once Redis answers. Thread-safe."""

    def __init__(self, location: str, pause: float) -> None:
        self.location = location
        self.pause = pause
        self._lock = threading.Lock()
        self._open = False
        self._opened_at = 0.0
        self._skipped = 0
        self._ping: Callable[[], Any] | None = None
        # The thread telling `redis_recovered`'s receivers, for which Redis is in use again.
        self._recovering: int | None = None
        self._recovery_failed = False

    @property
    def is_open(self) -> bool:
        return self._open and self._recovering != threading.get_ident()

    def skip(self) -> None:
        """Count a call not made (reported when the outage ends)."""
        self._skipped += 1

    def failed(self, error: BaseException, ping: Callable[[], Any]) -> None:
        """A call met an outage: open, log once, and start probing."""
        with self._lock:
            if self._recovering == threading.get_ident():
                self._recovery_failed = True
            if self._open:
                return
            self._open = True
            self._opened_at = time.monotonic()
            self._skipped = 0
            self._ping = ping
        logger.warning(
            "Redis at %s unavailable (%s: %s): the cache is skipped, answers are not cached "
            "and the rate limit counts per process; trying again every %g s.",
            self.location,
            type(error).__name__,
            error,
            self.pause,
        )
        self._schedule_probe()

    def _schedule_probe(self) -> None:
        timer = threading.Timer(self.pause, self._probe)
        timer.daemon = True
        timer.name = "redis-breaker-probe"
        timer.start()

    def _probe(self) -> None:
        ping = self._ping
        try:
            if ping is not None:
                ping()
        except Exception:
            # Still away (or refusing us): probe again after another pause.
            self._schedule_probe()
            return
        self.close()

    def close(self) -> None:
        """Redis answered: tell the receivers of `redis_recovered`, then use it again, log once.

        The receivers run first, the breaker open for every thread but this one: the response
        cache's new generation must be in Redis before another request reads the answers kept
        from before the outage. If Redis fails them, the breaker stays open and probes again.
        """
        with self._lock:
            if not self._open or self._recovering is not None:
                return
            self._recovering = threading.get_ident()
            self._recovery_failed = False
        try:
            redis_recovered.send(sender=self.location)
        finally:
            with self._lock:
                self._recovering = None
                failed = self._recovery_failed
                if not failed:
                    self._open = False
                down_for = time.monotonic() - self._opened_at
                skipped = self._skipped
        if failed:
            self._schedule_probe()
            return
        logger.warning(
            "Redis at %s answers again after %.1f s (%d cache calls skipped meanwhile).",
            self.location,
            down_for,
            skipped,
        )


_breakers: dict[str, Breaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(location: str, pause: float) -> Breaker:
    """The process's one breaker for a Redis location (Django makes a backend per thread)."""
    with _breakers_lock:
        if location not in _breakers:
            _breakers[location] = Breaker(location, pause)
        return _breakers[location]


def available(cache: BaseCache) -> bool:
    """Whether `cache` is in use now: False only for a breaker cache that is skipping Redis.

    Read through an attribute, not isinstance(): `django.core.cache.cache` is a proxy.
    """
    breaker = getattr(cache, "breaker", None)
    return not isinstance(breaker, Breaker) or not breaker.is_open


class BreakerRedisCache(RedisCache):
    """Django's RedisCache with bounded waits and a breaker (module docstring).

    OPTIONS as RedisCache's (passed to redis-py's connection pool), plus BREAKER_SECONDS, the
    pause before Redis is tried again. socket_connect_timeout and socket_timeout default to
    50 ms here, and redis-py's retries are off: the breaker is the retry policy.
    """

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        pause = float(options.pop("BREAKER_SECONDS", DEFAULT_PAUSE_SECONDS))
        options.setdefault("socket_connect_timeout", DEFAULT_TIMEOUT_SECONDS)
        options.setdefault("socket_timeout", DEFAULT_TIMEOUT_SECONDS)
        options.setdefault("retry", Retry(NoBackoff(), 0))
        super().__init__(server, {**params, "OPTIONS": options})
        location = server if isinstance(server, str) else ",".join(server)
        self.breaker = breaker_for(location, pause)

    def _ping(self) -> None:
        self._cache.get_client(write=True).ping()

    def _guarded(self, call: Callable[[], T], fallback: T) -> T:
        if self.breaker.is_open:
            self.breaker.skip()
            return fallback
        try:
            return call()
        except OUTAGE_ERRORS as error:
            self.breaker.failed(error, self._ping)
            return fallback

    # Each public method of RedisCache, with what an empty cache that keeps nothing answers.
    # BaseCache builds the rest (get_or_set, decr, incr_version...) on these.

    def add(self, key: Any, value: Any, timeout: Any = None, version: Any = None) -> bool:
        return self._guarded(
            lambda: super(BreakerRedisCache, self).add(key, value, timeout, version), False
        )

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self._guarded(
            lambda: super(BreakerRedisCache, self).get(key, default, version), default
        )

    def set(self, key: Any, value: Any, timeout: Any = None, version: Any = None) -> None:
        self._guarded(
            lambda: super(BreakerRedisCache, self).set(key, value, timeout, version), None
        )

    def touch(self, key: Any, timeout: Any = None, version: Any = None) -> bool:
        return self._guarded(
            lambda: super(BreakerRedisCache, self).touch(key, timeout, version), False
        )

    def delete(self, key: Any, version: Any = None) -> bool:
        return self._guarded(lambda: super(BreakerRedisCache, self).delete(key, version), False)

    def get_many(self, keys: Any, version: Any = None) -> dict[Any, Any]:
        return self._guarded(lambda: super(BreakerRedisCache, self).get_many(keys, version), {})

    def has_key(self, key: Any, version: Any = None) -> bool:
        return self._guarded(lambda: super(BreakerRedisCache, self).has_key(key, version), False)

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        missing = object()
        result = self._guarded(
            lambda: super(BreakerRedisCache, self).incr(key, delta, version), missing
        )
        if result is missing:
            # What Django's caches raise for a key they do not hold.
            raise ValueError(f"Key '{key}' not found (Redis unavailable).")
        return result

    def set_many(self, data: Any, timeout: Any = None, version: Any = None) -> list[Any]:
        # Django's contract: the keys that were not stored.
        return self._guarded(
            lambda: super(BreakerRedisCache, self).set_many(data, timeout, version), list(data)
        )

    def delete_many(self, keys: Any, version: Any = None) -> None:
        self._guarded(lambda: super(BreakerRedisCache, self).delete_many(keys, version), None)

    def clear(self) -> bool:
        return self._guarded(lambda: super(BreakerRedisCache, self).clear(), False)
