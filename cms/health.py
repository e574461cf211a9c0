"""Health checks for load balancers and orchestrators: /healthz (liveness) and /readyz.

/healthz answers as long as the process does, with no I/O. /readyz runs every check: the
database and the cache from here, and those the apps above register with the Wagtail hook
"register_health_checks" (a function returning a list of `HealthCheck`; search adds its
engine and its queue). Each check reports its status and latency; a failing check named in
HEALTH_REQUIRED_CHECKS makes the answer 503, any other failing check only "degraded" (200):
the API still serves without search or with a cold cache, and taking every instance out of
the load balancer for a shared service's outage would turn a degraded API into none.

An anonymous client sees statuses and latencies only; why a check failed (which may name a
host, a version or a path) is shown to an operator (`cms.metrics.is_operator`: the metrics
token, or an allowed address) and to a logged-in superuser. Both answers are never cached;
neither path is rate-limited (the rate limit covers /graphql/ only).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET
from wagtail import hooks

from .metrics import is_operator

logger = logging.getLogger("cms.health")


class CheckFailed(Exception):
    """A part answered, but not as it should (a queue too far behind, an index missing)."""


@dataclass(frozen=True)
class HealthCheck:
    """A named probe: `probe()` returns a detail for operators (or None), or raises."""

    name: str
    probe: Callable[[], str | None]


def check_database() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def check_cache() -> str | None:
    # A round trip that writes and reads: a read-only replica or a full memory would pass a
    # read alone. The key is per process so concurrent probes never disagree.
    cache = caches["default"]
    key = f"cms-health:{os.getpid()}"
    cache.set(key, "ok", timeout=30)
    if cache.get(key) != "ok":
        raise CheckFailed("the cache did not return what was just stored")
    return type(cache).__name__


def registered_checks() -> list[HealthCheck]:
    checks = [HealthCheck("database", check_database), HealthCheck("cache", check_cache)]
    for register in hooks.get_hooks("register_health_checks"):
        checks.extend(register())
    return checks


def run_check(check: HealthCheck, required: bool) -> dict[str, object]:
    started = time.perf_counter()
    try:
        detail = check.probe()
        status = "ok"
    except Exception as error:
        detail, status = f"{type(error).__name__}: {error}", "fail"
        logger.warning("Health check %s failed: %s", check.name, detail)
    return {
        "status": status,
        "required": required,
        "latency_ms": round((time.perf_counter() - started) * 1000, 2),
        "detail": detail,
    }


def _may_see_details(request: HttpRequest) -> bool:
    if is_operator(request):
        return True
    try:
        # Reading the session needs the database, which may be the part that is down.
        return bool(request.user.is_superuser)
    except Exception:
        return False


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. No I/O, so an outage elsewhere never restarts it."""
    response = JsonResponse({"status": "ok"})
    add_never_cache_headers(response)
    return response


@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: every part's status and latency; 503 when a required part fails."""
    required = set(getattr(settings, "HEALTH_REQUIRED_CHECKS", ["database"]))
    results = {
        check.name: run_check(check, check.name in required) for check in registered_checks()
    }
    failed = {name for name, result in results.items() if result["status"] != "ok"}
    status = "fail" if failed & required else "degraded" if failed else "ok"
    if not _may_see_details(request):
        for result in results.values():
            del result["detail"]
    response = JsonResponse(
        {"status": status, "checks": results}, status=503 if failed & required else 200
    )
    add_never_cache_headers(response)
    return response
