"""Health checks for load balancers and orchestrators: /healthz (liveness) and /readyz.

/healthz answers as long as the process does, with no I/O. /readyz runs every check: the
database and the cache from here, and those the apps above register with the Wagtail hook
"register_health_checks" (a function returning a list of `HealthCheck`; search adds its
engine and its queue). Each check reports its status and latency; a failing check named in
HEALTH_REQUIRED_CHECKS makes the answer 503, any other failing check only "degraded" (200):
the API still serves without search or with a cold cache, and taking every instance out of
the load balancer for a shared service's outage would turn a degraded API into none.

Each check runs in a thread of its own, all at once, and /readyz waits for them at most
HEALTH_CHECK_TIMEOUT_SECONDS: a part that hangs (a server that accepts connections and never
answers) is reported as "timeout" with how long it has run, and the answer still comes in
time for the load balancer. A check still running when the next probe arrives is not started
again; that probe waits for the same run, so a hung part costs one thread per check, however
often the instance is probed. The clients' own timeouts (DATABASE_CONNECT_TIMEOUT_SECONDS,
REDIS_TIMEOUT_SECONDS, SEARCH_TIMEOUT_SECONDS) end such a thread eventually.

An anonymous client sees statuses and latencies only; why a check failed (which may name a
host, a version or a path) is shown to an operator (`cms.metrics.is_operator`: the metrics
token, or an allowed address) and to a logged-in superuser. Both answers are never cached;
neither path is rate-limited (the rate limit covers /graphql/ only).
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import connection, connections
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


class _Run:
    """One run of a check in its own thread; several probes may wait for the same run."""

    def __init__(self, check: HealthCheck) -> None:
        self.check = check
        self.started = time.perf_counter()
        self.finished: float | None = None
        self.done = threading.Event()
        self.status = "timeout"
        self.detail: str | None = None
        thread = threading.Thread(target=self._run, name=f"health-check-{check.name}", daemon=True)
        thread.start()

    def _run(self) -> None:
        try:
            self.detail = self.check.probe()
            self.status = "ok"
        except Exception as error:
            self.detail, self.status = f"{type(error).__name__}: {error}", "fail"
            logger.warning("Health check %s failed: %s", self.check.name, self.detail)
        finally:
            # The connections this thread opened are its own: left open, each would outlive
            # the probe (and keep a test database from being dropped).
            with contextlib.suppress(Exception):
                connections.close_all()
            self.finished = time.perf_counter()
            self.done.set()

    def report(self, required: bool) -> dict[str, object]:
        if self.done.is_set() and self.finished is not None:
            status, detail, ended = self.status, self.detail, self.finished
        else:
            ended = time.perf_counter()
            status = "timeout"
            detail = f"no answer after {ended - self.started:.1f} s"
            logger.warning("Health check %s: %s", self.check.name, detail)
        return {
            "status": status,
            "required": required,
            "latency_ms": round((ended - self.started) * 1000, 2),
            "detail": detail,
        }


_runs: dict[str, _Run] = {}
_runs_lock = threading.Lock()


def start_check(check: HealthCheck) -> _Run:
    """Start `check` in a thread, or join the run of it still going on."""
    with _runs_lock:
        run = _runs.get(check.name)
        if run is None or run.done.is_set():
            run = _runs[check.name] = _Run(check)
        return run


def run_checks(checks: list[HealthCheck], required: set[str]) -> dict[str, dict[str, object]]:
    """Every check's report, all run at once, within HEALTH_CHECK_TIMEOUT_SECONDS."""
    deadline = time.monotonic() + float(getattr(settings, "HEALTH_CHECK_TIMEOUT_SECONDS", 2))
    runs = [start_check(check) for check in checks]
    for run in runs:
        run.done.wait(max(0.0, deadline - time.monotonic()))
    return {run.check.name: run.report(run.check.name in required) for run in runs}


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
    results = run_checks(registered_checks(), required)
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
