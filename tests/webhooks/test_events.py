"""Which changes become deliveries, to which endpoints, and what a payload may carry: only
public pages, identifiers only, never a draft's content."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from positions.factories import PressReleasePageFactory
from publications.factories import PublicationPageFactory
from publications.models import PublicationPage
from webhooks import events
from webhooks.factories import EndpointFactory
from webhooks.models import Delivery

IDENTIFIERS = {"id", "content_type", "locale", "slug", "url_path", "url", "site", "revision_id"}


def recorded(endpoint=None, page=None) -> list[str]:
    deliveries = Delivery.objects.order_by("pk")
    if endpoint is not None:
        deliveries = deliveries.filter(endpoint=endpoint)
    return [
        delivery.event
        for delivery in deliveries
        if page is None or delivery.payload["data"]["id"] == page.pk
    ]


def live(page) -> PublicationPage:
    """A fresh copy: `revision.publish()` makes another instance live, not this one."""
    return type(page).objects.get(pk=page.pk)


def test_a_draft_saved_is_not_announced(endpoint, draft):
    draft.save_revision()
    assert recorded() == []


def test_publish_unpublish_and_delete_are_announced(endpoint, draft):
    draft.save_revision().publish()
    live(draft).unpublish()
    live(draft).delete()

    assert recorded() == ["page.published", "page.unpublished", "page.deleted"]


def test_a_never_published_page_deleted_is_not_announced(endpoint, draft):
    draft.delete()
    assert recorded() == []


def test_an_endpoint_gets_only_the_events_it_wants(receiver, draft):
    wants_unpublish = EndpointFactory(url=receiver.url, events=["page.unpublished"])

    draft.save_revision().publish()
    live(draft).unpublish()

    assert recorded(wants_unpublish) == ["page.unpublished"]


def test_an_endpoint_gets_only_the_page_types_it_wants(receiver, draft, press_release_index):
    wants_press = EndpointFactory(url=receiver.url, content_types=["positions.pressreleasepage"])
    press = PressReleasePageFactory(parent=press_release_index, live=False)

    draft.save_revision().publish()
    press.save_revision().publish()

    [delivery] = Delivery.objects.filter(endpoint=wants_press)
    assert delivery.payload["data"]["id"] == press.pk
    assert delivery.payload["data"]["content_type"] == "positions.pressreleasepage"


def test_an_endpoint_gets_only_the_locales_it_wants(receiver, draft, locales):
    wants_french = EndpointFactory(url=receiver.url, locales=["fr"])
    draft.save_revision().publish()
    french = live(draft).copy_for_translation(locales["fr"], copy_parents=True)

    french.save_revision().publish()

    [delivery] = Delivery.objects.filter(endpoint=wants_french)
    assert delivery.payload["data"]["id"] == french.pk
    assert delivery.payload["data"]["locale"] == "fr"


def test_an_endpoint_gets_only_the_sites_it_wants(receiver, draft, home_page):
    site = Site.objects.get(root_page=home_page)
    other = Site.objects.create(hostname="conference.localhost", root_page=home_page, port=81)
    wants_this = EndpointFactory(url=receiver.url, sites=[site.pk])
    wants_other = EndpointFactory(url=receiver.url, sites=[other.pk + 1000])

    draft.save_revision().publish()

    assert recorded(wants_this) == ["page.published"]
    assert recorded(wants_other) == []


def test_a_disabled_endpoint_gets_nothing(receiver, draft):
    disabled = EndpointFactory(url=receiver.url, enabled=False)
    draft.save_revision().publish()
    assert recorded(disabled) == []


def test_payloads_carry_identifiers_and_never_draft_content(endpoint, draft):
    draft.save_revision().publish()
    page = live(draft)
    page.title = "DRAFT TITLE"
    page.slug = "draft-slug"
    page.summary = "<p>DRAFT SUMMARY</p>"
    page.save_revision()  # a draft: the live page keeps its slug and title

    live(draft).unpublish()

    published, unpublished = Delivery.objects.order_by("pk")
    for delivery in (published, unpublished):
        assert set(delivery.payload["data"]) == IDENTIFIERS
        body = json.dumps(delivery.payload)
        assert "DRAFT" not in body and "draft-slug" not in body
        assert "Night-time economy" not in body  # not even the live title
        assert delivery.payload["data"]["slug"] == "night-time-economy"
    assert unpublished.payload["data"]["revision_id"] is None


@pytest.mark.parametrize("restricted", ["page", "ancestor"])
def test_a_view_restricted_page_is_never_announced(endpoint, draft, publication_index, restricted):
    target = draft if restricted == "page" else publication_index
    PageViewRestriction.objects.create(page=target, restriction_type="password", password="x")

    draft.save_revision().publish()
    live(draft).unpublish()
    live(draft).delete()

    assert recorded(page=draft) == []


def test_a_restriction_put_on_a_public_page_is_announced_as_its_unpublish(
    endpoint, draft, publication_index
):
    draft.save_revision().publish()

    restriction = PageViewRestriction.objects.create(
        page=publication_index, restriction_type="password", password="x"
    )

    # The index itself (live) is announced too; the publication is what this test follows.
    assert recorded(page=draft) == ["page.published", "page.unpublished"]
    restriction.delete()
    assert recorded(page=draft) == ["page.published", "page.unpublished", "page.published"]


def test_a_restriction_under_another_restriction_is_not_announced(
    endpoint, draft, publication_index
):
    draft.save_revision().publish()
    PageViewRestriction.objects.create(
        page=publication_index, restriction_type="password", password="x"
    )
    Delivery.objects.all().delete()

    inner = PageViewRestriction.objects.create(
        page=draft, restriction_type="password", password="y"
    )
    inner.delete()

    assert recorded() == []


def test_a_restricted_subtree_deleted_is_not_announced_as_published(
    endpoint, draft, publication_index
):
    draft.save_revision().publish()
    PageViewRestriction.objects.create(
        page=publication_index, restriction_type="password", password="x"
    )
    Delivery.objects.all().delete()

    # Django deletes the restriction before the pages: its post_delete must not read the
    # subtree as lifted (public) and announce restricted pages as published.
    publication_index.delete()

    assert recorded() == []


def test_a_restriction_deleted_by_queryset_is_still_announced(endpoint, draft, publication_index):
    draft.save_revision().publish()
    PageViewRestriction.objects.create(
        page=publication_index, restriction_type="password", password="x"
    )
    Delivery.objects.all().delete()

    PageViewRestriction.objects.filter(page=publication_index).delete()

    assert recorded(page=draft) == ["page.published"]


def test_scheduled_go_live_is_announced_when_publish_scheduled_runs(endpoint, draft):
    draft.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    revision = draft.save_revision()
    revision.publish()
    assert recorded() == []  # scheduled, not live yet

    # The hour passes: the approved revision's go-live moves into the past.
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save()
    call_command("publish_scheduled")

    assert live(draft).live
    [delivery] = Delivery.objects.all()
    assert delivery.event == "page.went_live"
    assert delivery.payload["data"]["revision_id"] == revision.pk


def test_expiry_is_announced_when_publish_scheduled_runs(endpoint, draft):
    draft.save_revision().publish()
    # The expiry time passes (set in the database: the admin refuses a past expiry).
    PublicationPage.objects.filter(pk=draft.pk).update(
        expire_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    call_command("publish_scheduled")

    assert live(draft).expired
    assert recorded() == ["page.published", "page.expired"]


def test_recording_costs_a_constant_plus_two_inserts_per_endpoint(receiver, publication_index):
    page = PublicationPageFactory(parent=publication_index)
    EndpointFactory(url=receiver.url)
    events.record(page, "page.published")  # warms the caches a publish has warm
    Delivery.objects.all().delete()
    counts = []
    for _more in range(2):
        with CaptureQueriesContext(connection) as queries:
            events.record(page, "page.published")
        counts.append(len(queries))
        EndpointFactory(url=receiver.url)
    # The view restrictions and the endpoints, then a delivery row and its task row each.
    assert counts == [4, 6]


def test_a_publish_costs_two_inserts_more_per_endpoint(receiver, publication_index):
    pages = [PublicationPageFactory(parent=publication_index, live=False) for _ in range(3)]
    pages[0].save_revision().publish()  # warms the caches

    def publish_queries(page) -> int:
        revision = page.save_revision()
        with CaptureQueriesContext(connection) as queries:
            revision.publish()
        return len(queries)

    without = publish_queries(pages[1])
    EndpointFactory(url=receiver.url)
    EndpointFactory(url=receiver.url)
    with_two = publish_queries(pages[2])

    assert with_two - without == 4
