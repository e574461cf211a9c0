"""Failed deliveries: retried on the documented schedule, given up after the last attempt with
the endpoint flagged, in order per endpoint, and never holding up a publish."""

from __future__ import annotations

import datetime
import logging
import time
from urllib.parse import urlsplit

from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from standardwebhooks import Webhook

from publications.models import PublicationPage
from tests.webhooks.conftest import make_due
from webhooks import delivery as sending_side
from webhooks import sending
from webhooks.factories import EndpointFactory
from webhooks.models import Delivery


def test_the_retry_schedule_spans_about_a_day():
    delays = [delay.total_seconds() for delay in sending_side.RETRY_DELAYS]
    assert delays == [5, 300, 1800, 7200, 18000, 36000, 36000]
    assert sending_side.MAX_ATTEMPTS == 8
    total = sum(sending_side.RETRY_DELAYS, datetime.timedelta())
    assert datetime.timedelta(hours=24) < total < datetime.timedelta(hours=28)


def test_a_failed_attempt_is_retried_after_5_seconds(endpoint, receiver, draft, worker):
    receiver.statuses = [500]
    draft.save_revision().publish()
    before = timezone.now()

    worker()

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    assert before + datetime.timedelta(seconds=5) <= delivery.next_attempt_at
    assert delivery.next_attempt_at <= timezone.now() + datetime.timedelta(seconds=5)
    # The retry is a task of its own, due then; nothing runs before.
    [retry] = DBTaskResult.objects.filter(backend_name="webhooks", status="READY")
    assert retry.run_after == delivery.next_attempt_at
    assert worker() == 0


def test_the_retry_delivers_the_same_message(endpoint, receiver, draft, worker):
    receiver.statuses = [503]
    draft.save_revision().publish()
    worker()
    make_due()

    assert worker() == 1

    first, second = receiver.requests
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert first.body == second.body
    Webhook(endpoint.secret).verify(second.body, second.headers)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)


def test_each_retry_waits_longer(endpoint, receiver, draft, worker):
    receiver.statuses = [500] * 4
    draft.save_revision().publish()
    waits = []
    for _attempt in range(4):
        worker()
        delivery = Delivery.objects.get()
        waits.append(round((delivery.next_attempt_at - delivery.last_attempt_at).total_seconds()))
        make_due()
    assert waits == [5, 300, 1800, 7200]


def test_given_up_after_the_last_attempt_and_the_endpoint_flagged(
    endpoint, receiver, draft, worker
):
    receiver.statuses = [500] * sending_side.MAX_ATTEMPTS
    draft.save_revision().publish()

    for _attempt in range(sending_side.MAX_ATTEMPTS):
        make_due()
        worker()

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 8)
    assert delivery.next_attempt_at is None
    assert len(receiver.requests) == 8
    endpoint.refresh_from_db()
    assert endpoint.failing_since is not None
    make_due()
    assert worker() == 0  # nothing left to try


def test_a_later_success_clears_the_flag(endpoint, receiver, draft, worker):
    endpoint.failing_since = timezone.now()
    endpoint.save()

    draft.save_revision().publish()
    worker()

    endpoint.refresh_from_db()
    assert endpoint.failing_since is None


def test_an_unpublish_waits_for_the_earlier_publish_to_be_delivered(
    endpoint, receiver, draft, worker
):
    receiver.statuses = [500]
    draft.save_revision().publish()
    worker()  # the publish fails once
    PublicationPage.objects.get(pk=draft.pk).unpublish()

    worker()  # the unpublish is due, but behind the publish waiting for its retry

    assert len(receiver.requests) == 1
    make_due()
    worker()
    types = [Webhook(endpoint.secret).verify(r.body, r.headers)["type"] for r in receiver.requests]
    assert types == ["page.published", "page.published", "page.unpublished"]


def test_a_hanging_receiver_does_not_hold_up_the_publish(hanging_server, draft, settings, worker):
    settings.WEBHOOKS_READ_TIMEOUT_SECONDS = 0.5
    EndpointFactory(url=hanging_server.url)

    draft.save_revision().publish()

    assert hanging_server.accepted == 0  # the publish never even connected
    started = time.monotonic()
    worker()
    took = time.monotonic() - started
    assert hanging_server.accepted == 1
    assert 0.5 <= took < 5
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert "ReadTimeoutError" in delivery.last_error
    assert delivery.last_status_code is None


def test_another_endpoint_is_served_while_one_is_held(
    hanging_server, endpoint, receiver, draft, settings, worker
):
    # A worker busy with a hanging receiver holds that endpoint only: the other endpoint's
    # task finds its own endpoint free and sends at once (here as a second worker would).
    hanging = EndpointFactory(url=hanging_server.url)
    draft.save_revision().publish()
    hanging.sending_until = timezone.now() + datetime.timedelta(minutes=1)
    hanging.save()

    started = time.monotonic()
    worker()

    assert time.monotonic() - started < 2
    assert len(receiver.requests) == 1
    assert hanging_server.accepted == 0
    assert Delivery.objects.get(endpoint=hanging).status == "pending"


def test_a_redirect_is_not_followed(endpoint, receiver, start_receiver, draft, worker):
    elsewhere = start_receiver()
    receiver.statuses = [307]
    receiver.location = elsewhere.url

    draft.save_revision().publish()
    worker()

    assert elsewhere.requests == []
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.last_status_code) == ("pending", 307)
    assert "not followed" in delivery.last_error


def test_a_private_target_is_refused_when_the_setting_is_off(
    endpoint, receiver, draft, settings, worker
):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False

    draft.save_revision().publish()
    worker()

    assert receiver.requests == []
    delivery = Delivery.objects.get()
    assert delivery.status == "failed"  # retrying cannot help
    assert "127.0.0.1" in delivery.last_error and "refused" in delivery.last_error
    endpoint.refresh_from_db()
    assert endpoint.failing_since is not None


def test_an_impossible_port_fails_the_delivery_without_crashing(endpoint, draft, worker):
    # Saved before the form checked ports: the worker must record it, not raise.
    endpoint.url = "http://example.com:99999/hooks"
    endpoint.save()

    draft.save_revision().publish()
    worker()

    delivery = Delivery.objects.get()
    assert delivery.status == "failed"  # retrying cannot help
    assert "port" in delivery.last_error


def test_the_url_token_is_neither_logged_nor_stored(endpoint, draft, worker, caplog):
    endpoint.url = "http://example.com:99999/hooks/p4th-s3cret?token=q-s3cret"
    endpoint.save()

    draft.save_revision().publish()
    with caplog.at_level(logging.INFO, logger="webhooks"):
        worker()

    delivery = Delivery.objects.get()
    assert delivery.status == "failed" and delivery.last_error
    assert "given up" in caplog.text and "example.com" in caplog.text
    for text in (caplog.text, delivery.last_error):
        assert "s3cret" not in text


def test_a_urllib3_error_keeps_neither_path_nor_query():
    parts = urlsplit("http://example.com/hooks/p4th-s3cret?token=q-s3cret")
    error = "MaxRetryError: Max retries exceeded with url: /hooks/p4th-s3cret?token=q-s3cret"

    assert sending.without_path(error, parts) == "MaxRetryError: Max retries exceeded with url: …?…"


def test_a_disabled_endpoint_keeps_its_deliveries_until_enabled(endpoint, receiver, draft, worker):
    from webhooks import events

    draft.save_revision().publish()
    endpoint.enabled = False
    endpoint.save()

    worker()
    assert receiver.requests == []

    endpoint.enabled = True
    endpoint.save()
    events.resume(endpoint)
    worker()
    assert len(receiver.requests) == 1
