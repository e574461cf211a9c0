"""A real publish of a real page reaches a real HTTP receiver through the worker, signed as
the Standard Webhooks spec says, verified with the `standardwebhooks` library."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone
from prometheus_client import REGISTRY
from standardwebhooks import Webhook, WebhookVerificationError

from tests.webhooks.conftest import make_due
from webhooks import signing
from webhooks.models import Delivery


def test_a_publish_reaches_the_receiver_signed_and_verifiable(endpoint, receiver, draft, worker):
    revision = draft.save_revision()
    revision.publish()

    assert receiver.requests == []  # the publish itself sends nothing
    assert worker() == 1

    [request] = receiver.requests
    payload = Webhook(endpoint.secret).verify(request.body, request.headers)
    assert payload["type"] == "page.published"
    assert payload["data"] == {
        "id": draft.pk,
        "content_type": "publications.publicationpage",
        "locale": "en",
        "slug": "night-time-economy",
        "url_path": draft.get_url_parts()[2],
        "url": draft.get_full_url(),
        "site": "localhost",
        "revision_id": revision.pk,
    }
    assert datetime.datetime.fromisoformat(payload["timestamp"]) <= timezone.now()
    assert request.headers["webhook-id"].startswith("msg_")
    assert request.headers["Content-Type"] == "application/json"
    assert Delivery.objects.get().status == Delivery.Status.DELIVERED


def test_a_signature_made_with_another_secret_does_not_verify(endpoint, receiver, draft, worker):
    draft.save_revision().publish()
    worker()

    [request] = receiver.requests
    with pytest.raises(WebhookVerificationError):
        Webhook(signing.new_secret()).verify(request.body, request.headers)


def test_a_rotated_secret_sends_both_signatures_and_each_verifies(
    endpoint, receiver, draft, worker
):
    old = endpoint.secret
    new = signing.new_secret()
    endpoint.rotate_secret(new)
    endpoint.save()

    draft.save_revision().publish()
    worker()

    [request] = receiver.requests
    signatures = request.headers["webhook-signature"].split(" ")
    assert len(signatures) == 2 and all(s.startswith("v1,") for s in signatures)
    for secret, signature in ((new, signatures[0]), (old, signatures[1])):
        # Each alone verifies: a receiver holding either secret accepts the message.
        Webhook(secret).verify(request.body, {**request.headers, "webhook-signature": signature})


def test_after_the_overlap_only_the_new_secret_signs(endpoint, receiver, draft, worker):
    old = endpoint.secret
    endpoint.rotate_secret(signing.new_secret())
    endpoint.previous_secret_until = timezone.now() - datetime.timedelta(seconds=1)
    endpoint.save()

    draft.save_revision().publish()
    worker()

    [request] = receiver.requests
    assert len(request.headers["webhook-signature"].split(" ")) == 1
    Webhook(endpoint.secret).verify(request.body, request.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(old).verify(request.body, request.headers)


def test_the_body_is_the_stored_payload(endpoint, receiver, draft, worker):
    draft.save_revision().publish()
    worker()

    [request] = receiver.requests
    assert json.loads(request.body) == Delivery.objects.get().payload


def delivered_count(outcome: str) -> float:
    return REGISTRY.get_sample_value("cms_webhook_deliveries_total", {"outcome": outcome})


def test_deliveries_are_counted_by_outcome(endpoint, receiver, draft, worker):
    before = {outcome: delivered_count(outcome) for outcome in ("delivered", "retried")}
    receiver.statuses = [500]

    draft.save_revision().publish()
    worker()
    make_due()
    worker()

    assert delivered_count("retried") == before["retried"] + 1
    assert delivered_count("delivered") == before["delivered"] + 1


def test_a_rolled_back_publish_records_nothing(endpoint, receiver, draft, worker):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        draft.save_revision().publish()
        assert Delivery.objects.count() == 1
        raise RuntimeError("the publish fails after the signal")

    assert Delivery.objects.count() == 0
    assert worker() == 0
    assert receiver.requests == []


def test_metrics_show_pending_deliveries_and_failing_endpoints(
    client, endpoint, receiver, draft, worker, settings
):
    from prometheus_client.parser import text_string_to_metric_families

    settings.METRICS_TOKEN = "webhooks-test-token-0123456789abcdef"
    receiver.statuses = [500]
    draft.save_revision().publish()
    worker()
    endpoint.failing_since = timezone.now()
    endpoint.save()

    response = client.get("/metrics", headers={"Authorization": f"Bearer {settings.METRICS_TOKEN}"})

    samples = {
        sample.name: sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }
    assert samples["cms_webhook_pending_deliveries"] == 1
    assert samples["cms_webhook_failing_endpoints"] == 1
