"""The webhooks' figures for /metrics, read from the database at scrape time (the same on every
web process): deliveries waiting, and endpoints flagged as failing. Delivery attempts by
outcome are counted as they happen (`cms_webhook_deliveries_total`, cms/metrics.py)."""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from .models import Delivery, Endpoint


class WebhookCollector(Collector):
    def collect(self) -> Iterable[GaugeMetricFamily]:
        yield GaugeMetricFamily(
            "cms_webhook_pending_deliveries",
            "Webhook deliveries not yet delivered nor given up (due or waiting to retry).",
            value=Delivery.objects.pending().count(),
        )
        yield GaugeMetricFamily(
            "cms_webhook_failing_endpoints",
            "Enabled webhook endpoints flagged as failing (a delivery was given up).",
            value=Endpoint.objects.filter(enabled=True, failing_since__isnull=False).count(),
        )


def metrics_collectors() -> list[Collector]:
    return [WebhookCollector()]
