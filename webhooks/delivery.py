"""Sending an endpoint's deliveries, in order, with retries (run by the worker, never by a
request).

One sender per endpoint at a time (a hold on the endpoint's row), oldest delivery first: a
delivery waiting for its retry holds back the later ones, so a publish reaches a receiver
before the unpublish that followed it. A failed attempt is tried again after RETRY_DELAYS
(about 27 hours in all, eight attempts); after the last one the delivery is given up, the
endpoint flagged in the admin, and the next delivery goes.
"""

from __future__ import annotations

import datetime
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from cms.metrics import WEBHOOK_DELIVERIES

from . import sending, signing
from .models import Delivery, Endpoint

logger = logging.getLogger(__name__)

# The wait before each retry, after the first attempt (Standard Webhooks' suggested schedule,
# as Svix runs it): 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: 8 attempts over 27 h 35 min.
RETRY_DELAYS = [
    datetime.timedelta(seconds=5),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=5),
    datetime.timedelta(hours=10),
    datetime.timedelta(hours=10),
]
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def hold_length() -> datetime.timedelta:
    """Longer than one attempt can take; a dead sender's hold runs out after it."""
    seconds = settings.WEBHOOKS_CONNECT_TIMEOUT_SECONDS + settings.WEBHOOKS_READ_TIMEOUT_SECONDS
    return datetime.timedelta(seconds=seconds + 30)


def _hold(endpoint_id: int) -> bool:
    """Take the endpoint for this sender, unless another holds it (one UPDATE, atomic)."""
    now = timezone.now()
    free = Q(sending_until__isnull=True) | Q(sending_until__lt=now)
    return bool(
        Endpoint.objects.filter(free, pk=endpoint_id, enabled=True).update(
            sending_until=now + hold_length()
        )
    )


def _release(endpoint_id: int) -> None:
    Endpoint.objects.filter(pk=endpoint_id).update(sending_until=None)


def next_due(endpoint_id: int) -> Delivery | None:
    """The endpoint's oldest pending delivery if it is due; None if none or it must wait."""
    head = Delivery.objects.pending().filter(endpoint_id=endpoint_id).order_by("pk").first()
    if head is None or (head.next_attempt_at and head.next_attempt_at > timezone.now()):
        return None
    return head


def drain(endpoint_id: int) -> str:
    """Send the endpoint's due deliveries in order; the task's body. Returns "sent", "idle"
    (nothing due) or "busy" (another sender holds the endpoint and will send them)."""
    sent = 0
    if not _hold(endpoint_id):
        return "busy"
    while True:
        try:
            while (delivery := next_due(endpoint_id)) is not None:
                sent += 1
                if not attempt(delivery) and delivery.status == Delivery.Status.PENDING:
                    break  # waits for its retry, and the later deliveries with it
                _hold_longer(endpoint_id)
        finally:
            _release(endpoint_id)
        # A delivery recorded while the hold was being released found the endpoint held and
        # left it to us: look once more.
        if next_due(endpoint_id) is None or not _hold(endpoint_id):
            break
    return "sent" if sent else "idle"


def _hold_longer(endpoint_id: int) -> None:
    Endpoint.objects.filter(pk=endpoint_id).update(sending_until=timezone.now() + hold_length())


def attempt(delivery: Delivery) -> bool:
    """One attempt: POST, record the outcome, queue the retry or give up. True if delivered."""
    from .tasks import deliver

    endpoint = delivery.endpoint
    now = timezone.now()
    body = signing.body_of(delivery.payload)
    headers = signing.signed_headers(endpoint.signing_secrets(now), delivery.message_id, now, body)
    outcome = sending.post(endpoint.url, body, headers)
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.last_status_code = outcome.status_code
    delivery.last_error = outcome.error[:2000]
    if outcome.ok:
        delivery.status = Delivery.Status.DELIVERED
        delivery.next_attempt_at = None
        Endpoint.objects.filter(pk=endpoint.pk).update(failing_since=None)
        WEBHOOK_DELIVERIES.labels("delivered").inc()
    elif not outcome.retry or delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = Delivery.Status.FAILED
        delivery.next_attempt_at = None
        Endpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=True).update(
            failing_since=now
        )
        WEBHOOK_DELIVERIES.labels("failed").inc()
        logger.warning(
            "Webhook %s to endpoint %s (%s) given up after %s attempts: %s",
            delivery.message_id,
            endpoint.pk,
            urlsplit(endpoint.url).hostname,  # never the URL: its path or query may hold a token
            delivery.attempts,
            outcome.error or outcome.status_code,
        )
    else:
        delivery.next_attempt_at = now + RETRY_DELAYS[delivery.attempts - 1]
        deliver.using(run_after=delivery.next_attempt_at).enqueue(endpoint.pk)
        WEBHOOK_DELIVERIES.labels("retried").inc()
        logger.info(
            "Webhook %s to endpoint %s failed (attempt %s: %s); next attempt at %s.",
            delivery.message_id,
            endpoint.pk,
            delivery.attempts,
            outcome.error or outcome.status_code,
            delivery.next_attempt_at.isoformat(),
        )
    delivery.save()
    return outcome.ok
