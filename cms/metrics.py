"""Prometheus metrics: what is counted, the /metrics endpoint, and who may read it.

Every metric the CMS exports is declared here, so this file is their catalogue (README,
"Operations"); call sites elsewhere are one line each. Values that live in the database (the
index queue) are read when Prometheus scrapes, by collectors the owning apps register with
the Wagtail hook "register_metrics_collectors" (a function returning a list of collectors).

Several gunicorn workers: set PROMETHEUS_MULTIPROC_DIR (an empty folder per host, before the
processes start); each process then writes its values to files there and a scrape adds them
up (prometheus-client's multiprocess mode; gunicorn.conf.py clears the folder on start).
"""

from __future__ import annotations

import hmac
import logging
import os
import re
import threading
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, multiprocess
from prometheus_client.django import PrometheusDjangoView
from prometheus_client.registry import Collector
from wagtail import hooks

from .security import client_ip

logger = logging.getLogger("cms.metrics")

# Multiprocess mode writes a file per process from the first metric on: a command run with
# the web processes' environment (migrate, the task worker) must not fail on a new host.
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

# Latency buckets in seconds: a cached answer takes a millisecond, a big query a second.
_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

GRAPHQL_REQUESTS = Counter(
    "cms_graphql_requests", "GraphQL requests answered.", ["operation", "status"]
)
GRAPHQL_DURATION = Histogram(
    "cms_graphql_request_duration_seconds",
    "Time to answer a GraphQL request, middleware included.",
    ["operation"],
    buckets=_BUCKETS,
)
RESPONSE_CACHE = Counter(
    "cms_graphql_response_cache", "Response cache lookups by result (hit, miss).", ["result"]
)
RATE_LIMITED = Counter(
    "cms_graphql_rate_limited",
    "Requests refused by the rate limit (429), by client: a front end's key name, or ip.",
    ["client"],
)
SEARCH_DURATION = Histogram(
    "cms_search_duration_seconds",
    "Time the search engine took to answer, by engine and operation (search, suggest).",
    ["engine", "operation"],
    buckets=_BUCKETS,
)
TASKS = Counter(
    "cms_tasks", "Background task runs by task and outcome (failed: raised).", ["task", "outcome"]
)
TASK_DURATION = Histogram(
    "cms_task_duration_seconds", "Time one background task run took.", ["task"], buckets=_BUCKETS
)
TASK_RETRIES = Counter("cms_task_retries", "Task runs queued again after a failure.", ["task"])
# Webhook delivery attempts (webhooks/delivery.py): delivered, retried, failed (given up).
WEBHOOK_DELIVERIES = Counter(
    "cms_webhook_deliveries", "Webhook delivery attempts by outcome.", ["outcome"]
)
for _outcome in ("delivered", "failed", "retried"):
    WEBHOOK_DELIVERIES.labels(_outcome)
for _result in ("hit", "miss"):
    RESPONSE_CACHE.labels(_result)

# --- Bounded labels -----------------------------------------------------------------------
# A client chooses its operationName: a label per name would let anyone create series
# without end. Names on METRICS_OPERATION_NAMES are labelled as sent; with no list, the first
# METRICS_MAX_OPERATION_NAMES well-formed names a process sees are, the rest are "other".
ANONYMOUS = "anonymous"
OTHER = "other"
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,63}")
_seen: set[str] = set()
_seen_lock = threading.Lock()


def operation_label(name: str | None) -> str:
    if not name:
        return ANONYMOUS
    allowed = getattr(settings, "METRICS_OPERATION_NAMES", [])
    if allowed:
        return name if name in allowed else OTHER
    if not _NAME.fullmatch(name):
        return OTHER
    with _seen_lock:
        if name in _seen:
            return name
        if len(_seen) < int(getattr(settings, "METRICS_MAX_OPERATION_NAMES", 50)):
            _seen.add(name)
            return name
    return OTHER


def rate_limited(client: str) -> None:
    """Count a refusal; `client` as the rate limit names it ("key:<name>" or an IP address)."""
    RATE_LIMITED.labels(client[4:] if client.startswith("key:") else "ip").inc()


# --- Who may read -------------------------------------------------------------------------


def is_operator(request: HttpRequest) -> bool:
    """A monitoring system or an operator: `Authorization: Bearer <METRICS_TOKEN>`, or an
    address on METRICS_ALLOWED_IPS."""
    token = getattr(settings, "METRICS_TOKEN", "")
    sent = request.headers.get("Authorization", "")
    # Constant time: the answer's timing tells nothing of the token.
    if token and hmac.compare_digest(sent.removeprefix("Bearer ").strip().encode(), token.encode()):
        return True
    return client_ip(request) in getattr(settings, "METRICS_ALLOWED_IPS", [])


class _Guarded(Collector):
    """A scrape-time collector whose failure (the database down) costs its own figures only,
    not the whole scrape: the other metrics matter most during an outage."""

    def __init__(self, collector: Collector) -> None:
        self.collector = collector

    def collect(self) -> Iterable:
        try:
            return list(self.collector.collect())
        except Exception:
            logger.warning("Metrics collector %r failed", self.collector, exc_info=True)
            return []


class _Global(Collector):
    """This process's own metrics (single-process mode)."""

    def collect(self) -> Iterable:
        return REGISTRY.collect()


def scrape_registry() -> CollectorRegistry:
    """The metrics of every process on this host, and the values read at scrape time."""
    registry = CollectorRegistry(auto_describe=False)
    if PrometheusDjangoView.multiprocess_mode:
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_Global())
    for register in hooks.get_hooks("register_metrics_collectors"):
        for collector in register():
            registry.register(_Guarded(collector))
    return registry


class MetricsView(PrometheusDjangoView):
    """/metrics in Prometheus' text format, for operators only; never cached."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_operator(request):
            response = HttpResponse("Forbidden: a metrics token is needed.\n", status=401)
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        else:
            self.registry = scrape_registry()
            response = super().dispatch(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response
