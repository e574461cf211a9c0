"""Scheduled publishing: `publish_scheduled`, run from cron, honours go-live and expiry dates."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Revision

from publications.factories import PublicationPageFactory
from publications.models import PublicationPage

ONE_HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def draft(publication_index) -> PublicationPage:
    """A publication that has never been live."""
    return PublicationPageFactory(parent=publication_index, live=False)


def schedule(page: PublicationPage, go_live_at: datetime.datetime) -> None:
    """What the admin's "Publish" does when a go-live date is set: an approved revision."""
    page.go_live_at = go_live_at
    page.save_revision().publish()


def time_passes(revision: Revision) -> None:
    """Move a scheduled revision's go-live an hour into the past, as if the hour went by."""
    past = timezone.now() - ONE_HOUR
    revision.approved_go_live_at = past
    # The revision's own copy of go_live_at is checked again when it is published.
    revision.content["go_live_at"] = past.isoformat()
    revision.save()


def test_revision_scheduled_in_the_future_waits(draft) -> None:
    schedule(draft, timezone.now() + ONE_HOUR)
    call_command("publish_scheduled")

    draft.refresh_from_db()
    assert not draft.live
    assert draft.scheduled_revision is not None


def test_revision_whose_go_live_has_passed_is_published(draft) -> None:
    schedule(draft, timezone.now() + ONE_HOUR)
    revision = draft.scheduled_revision
    time_passes(revision)

    call_command("publish_scheduled")

    # A fresh instance: scheduled_revision is a cached property.
    page = PublicationPage.objects.get(pk=draft.pk)
    assert page.live
    assert page.live_revision == revision
    assert page.scheduled_revision is None


def test_live_page_whose_expiry_has_passed_is_unpublished(publication_index) -> None:
    page = PublicationPageFactory(parent=publication_index)
    page.save_revision().publish()
    # Set in the database directly: the admin refuses an expiry date in the past.
    PublicationPage.objects.filter(pk=page.pk).update(expire_at=timezone.now() - ONE_HOUR)

    call_command("publish_scheduled")

    page.refresh_from_db()
    assert not page.live
    assert page.expired


def test_live_page_whose_expiry_is_ahead_stays_live(publication_index) -> None:
    page = PublicationPageFactory(parent=publication_index)
    page.expire_at = timezone.now() + ONE_HOUR
    page.save_revision().publish()

    call_command("publish_scheduled")

    page.refresh_from_db()
    assert page.live
    assert not page.expired
