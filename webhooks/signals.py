"""Receivers that turn page changes into webhook deliveries (see `events`).

Wagtail sends `page_published` and `page_unpublished` inside the publish's transaction, so the
deliveries are recorded with the change. `publish_scheduled` publishes a scheduled revision
(its `approved_go_live_at` is still set on the instance it publishes: a go-live) and
unpublishes expired pages with `set_expired=True` (the page is marked `expired`: an expiry).
"""

from __future__ import annotations

from django.db.models.signals import pre_delete
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from . import events
from .models import Event


def on_published(sender, instance: Page, revision=None, **kwargs) -> None:
    scheduled = revision is not None and revision.approved_go_live_at is not None
    event = Event.WENT_LIVE if scheduled else Event.PUBLISHED
    events.record(instance, event, revision.pk if revision is not None else None)


def on_unpublished(sender, instance: Page, **kwargs) -> None:
    events.record(instance, Event.EXPIRED if instance.expired else Event.UNPUBLISHED)


def on_deleted(sender, instance: Page, **kwargs) -> None:
    # Before the delete, while the page's ancestors (its URL, its restrictions) still exist.
    # Django sends this for the page's base row and its specific row: the specific one only.
    if isinstance(instance, Page) and type(instance) is instance.specific_class is not Page:
        events.record(instance, Event.DELETED)


def connect() -> None:
    """Connect the receivers (called once, from the app's ready())."""
    page_published.connect(on_published, dispatch_uid="webhooks-published")
    page_unpublished.connect(on_unpublished, dispatch_uid="webhooks-unpublished")
    pre_delete.connect(on_deleted, dispatch_uid="webhooks-deleted")
