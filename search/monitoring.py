"""What operators see of search: its health checks (the engine, the index queue), the queue's
depth and age read at scrape time, and the engine's latency. Registered with cms's
/readyz and /metrics in search/wagtail_hooks.py."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db.models import Count, Min, Q
from django.utils import timezone
from django_tasks_db.models import get_date_max
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from cms.health import CheckFailed, HealthCheck
from cms.metrics import SEARCH_DURATION

from . import indexing
from .engines import get_engine
from .engines.base import BaseSearchEngine


@contextmanager
def timed(engine: BaseSearchEngine, operation: str) -> Iterator[None]:
    """Count the engine's latency for `operation` (search, suggest), errors included."""
    started = time.perf_counter()
    try:
        yield
    finally:
        SEARCH_DURATION.labels(engine.name, operation).observe(time.perf_counter() - started)


def queue_backlog() -> tuple[int, float]:
    """Index updates due now, and how long the oldest has been due (seconds), in one query.

    django-tasks-db stores "as soon as possible" as the far future: such a task is due since
    it was queued; a retry or an expiry is due since its run_after.
    """
    now = timezone.now()
    never = get_date_max()
    found = (
        indexing.pending_tasks()
        .filter(indexing.due_by(now))
        .aggregate(
            depth=Count("id"),
            asap=Min("enqueued_at", filter=Q(run_after=never)),
            scheduled=Min("run_after", filter=~Q(run_after=never)),
        )
    )
    since = [moment for moment in (found["asap"], found["scheduled"]) if moment is not None]
    oldest = max(0.0, (now - min(since)).total_seconds()) if since else 0.0
    return found["depth"], oldest


def check_engine() -> str:
    engine = get_engine()
    if not engine.exists():  # raises SearchUnavailable when the engine cannot be reached
        raise CheckFailed(f"{engine.name}: no index yet (run manage.py search_reindex)")
    return engine.name


def check_queue() -> str:
    depth, oldest = queue_backlog()
    limit = float(getattr(settings, "HEALTH_QUEUE_MAX_AGE_SECONDS", 300))
    detail = f"{depth} due, the oldest for {oldest:.0f} s"
    if oldest > limit:
        raise CheckFailed(f"{detail} (limit {limit:.0f} s): is the search worker running?")
    return detail


def health_checks() -> list[HealthCheck]:
    return [HealthCheck("search", check_engine), HealthCheck("search_queue", check_queue)]


class QueueCollector(Collector):
    """The index queue from the database, at scrape time: the same on every web process."""

    def collect(self) -> Iterable[GaugeMetricFamily]:
        depth, oldest = queue_backlog()
        yield GaugeMetricFamily(
            "cms_search_queue_depth", "Index updates due now, not yet run.", value=depth
        )
        yield GaugeMetricFamily(
            "cms_search_queue_oldest_due_seconds",
            "How long the oldest index update due has waited.",
            value=oldest,
        )


def metrics_collectors() -> list[Collector]:
    return [QueueCollector()]
