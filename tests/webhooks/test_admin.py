"""The webhooks admin, through Django's test client: who may use it, the secret shown once,
the delivery log, "Send test event", "Redeliver" and secret rotation."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from standardwebhooks import Webhook

from tests.cms.conftest import client_for, user_in_group
from webhooks.models import Delivery, Endpoint

SECRET = re.compile(r"whsec_[A-Za-z0-9+/=]{40,}")


@pytest.fixture
def moderator_client(db) -> Client:
    return client_for(user_in_group("moderator", "Moderators"))


@pytest.fixture
def editor_client(db) -> Client:
    return client_for(user_in_group("editor", "Editors"))


def form_data(url: str, **extra) -> dict:
    return {
        "name": "Static front end",
        "url": url,
        "enabled": "on",
        "events": ["page.published", "page.unpublished"],
        **extra,
    }


def test_a_moderator_can_list_and_add_endpoints(moderator_client, endpoint):
    listing = moderator_client.get(reverse("webhooks:index"))
    assert listing.status_code == 200
    assert endpoint.name in listing.content.decode()
    assert moderator_client.get(reverse("webhooks:add")).status_code == 200


def test_an_editor_cannot_see_or_change_endpoints(editor_client, endpoint):
    for url in (
        reverse("webhooks:index"),
        reverse("webhooks:add"),
        reverse("webhooks:edit", args=[endpoint.pk]),
        reverse("webhooks:deliveries", args=[endpoint.pk]),
    ):
        response = editor_client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    response = editor_client.post(reverse("webhooks:send_test", args=[endpoint.pk]))
    assert response["Location"] == reverse("wagtailadmin_home")
    assert not Delivery.objects.exists()


def test_the_secret_is_shown_once_when_the_endpoint_is_made(moderator_client, receiver):
    response = moderator_client.post(reverse("webhooks:add"), form_data(receiver.url))

    assert response.status_code == 200
    endpoint = Endpoint.objects.get()
    [shown] = SECRET.findall(response.content.decode())
    assert shown == endpoint.secret
    assert "no-store" in response["Cache-Control"]
    assert endpoint.events == ["page.published", "page.unpublished"]
    for url in (
        reverse("webhooks:index"),
        reverse("webhooks:edit", args=[endpoint.pk]),
        reverse("webhooks:deliveries", args=[endpoint.pk]),
    ):
        assert endpoint.secret not in moderator_client.get(url).content.decode()


def test_the_edit_form_keeps_the_secret(moderator_client, endpoint, receiver):
    secret = endpoint.secret
    response = moderator_client.post(
        reverse("webhooks:edit", args=[endpoint.pk]), form_data(receiver.url, locales=["fr"])
    )

    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.secret, endpoint.locales) == (secret, ["fr"])


def test_a_private_url_is_refused_by_the_form_when_the_setting_is_off(moderator_client, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False

    response = moderator_client.post(
        reverse("webhooks:add"), form_data("http://127.0.0.1:9000/hooks")
    )

    assert response.status_code == 200
    assert "127.0.0.1" in response.context["form"].errors["url"][0]
    assert not Endpoint.objects.exists()


def test_a_url_with_an_impossible_port_is_refused_by_the_form(moderator_client):
    response = moderator_client.post(
        reverse("webhooks:add"), form_data("http://example.com:99999/hooks")
    )

    assert response.status_code == 200
    assert "port" in response.context["form"].errors["url"][0]
    assert not Endpoint.objects.exists()


def test_send_test_event_reaches_the_receiver(moderator_client, endpoint, receiver, worker):
    response = moderator_client.post(reverse("webhooks:send_test", args=[endpoint.pk]))
    assert response["Location"] == reverse("webhooks:deliveries", args=[endpoint.pk])

    worker()

    [request] = receiver.requests
    assert Webhook(endpoint.secret).verify(request.body, request.headers)["type"] == "webhook.test"


def test_the_delivery_log_shows_status_attempts_and_next_retry(
    moderator_client, endpoint, receiver, draft, worker
):
    receiver.statuses = [502]
    draft.save_revision().publish()
    worker()
    delivery = Delivery.objects.get()

    page = moderator_client.get(reverse("webhooks:deliveries", args=[endpoint.pk]))

    html = page.content.decode()
    row = html[html.index(f'data-delivery="{delivery.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "page.published" in row and "Pending" in row and "502" in row
    assert "<td>1</td>" in row  # attempts
    assert delivery.next_attempt_at.astimezone().strftime("%H:%M:%S") in row


def test_redeliver_sends_the_same_message_again(
    moderator_client, endpoint, receiver, draft, worker
):
    draft.save_revision().publish()
    worker()
    original = Delivery.objects.get()

    response = moderator_client.post(reverse("webhooks:redeliver", args=[endpoint.pk, original.pk]))
    assert response.status_code == 302
    worker()

    first, second = receiver.requests
    assert first.body == second.body
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == original.message_id
    Webhook(endpoint.secret).verify(second.body, second.headers)


def test_a_given_up_endpoint_is_flagged_in_the_listing(moderator_client, endpoint):
    from django.utils import timezone

    endpoint.failing_since = timezone.now()
    endpoint.save()

    listing = moderator_client.get(reverse("webhooks:index")).content.decode()

    assert "Failing: a delivery given up on" in listing


def test_rotating_shows_the_new_secret_once_and_both_sign(
    moderator_client, endpoint, receiver, worker
):
    old = endpoint.secret

    response = moderator_client.post(reverse("webhooks:rotate_secret", args=[endpoint.pk]))

    endpoint.refresh_from_db()
    [shown] = SECRET.findall(response.content.decode())
    assert shown == endpoint.secret != old
    assert endpoint.previous_secret == old
    moderator_client.post(reverse("webhooks:send_test", args=[endpoint.pk]))
    worker()
    [request] = receiver.requests
    for secret in (old, endpoint.secret):
        Webhook(secret).verify(request.body, request.headers)


def test_the_edit_page_links_to_the_delivery_log(moderator_client, endpoint):
    response = moderator_client.get(reverse("webhooks:edit", args=[endpoint.pk]))

    assert response.status_code == 200
    assert reverse("webhooks:deliveries", args=[endpoint.pk]) in response.content.decode()


def test_webhooks_are_in_the_moderators_settings_menu(moderator_client, editor_client):
    assert (
        reverse("webhooks:index")
        in moderator_client.get(reverse("wagtailadmin_home")).content.decode()
    )
    assert (
        reverse("webhooks:index")
        not in editor_client.get(reverse("wagtailadmin_home")).content.decode()
    )
