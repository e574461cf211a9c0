"""Receivers that turn page changes into webhook deliveries (see `events`).

Wagtail sends `page_published` and `page_unpublished` inside the publish's transaction, so the
deliveries are recorded with the change. `publish_scheduled` publishes a scheduled revision
(its `approved_go_live_at` is still set on the instance it publishes: a go-live) and
unpublishes expired pages with `set_expired=True` (the page is marked `expired`: an expiry).
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.models import Page, PageViewRestriction
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
    events.record(instance, Event.DELETED)


def on_restriction_saved(sender, instance: PageViewRestriction, created: bool, **kwargs) -> None:
    if created:
        events.record_restriction(instance.page, added=True)


def on_restriction_deleted(
    sender, instance: PageViewRestriction, origin: object = None, **kwargs
) -> None:
    # Deleted with its page (a cascade): Django deletes the restrictions before the pages and
    # sends this while they still exist, so the subtree would read as public; the pages'
    # own deletion (`on_deleted`) is all there is to announce.
    if _deletes_pages(origin):
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        events.record_restriction(page, added=False)


def _deletes_pages(origin: object) -> bool:
    """Whether the delete that `origin` started (an instance or a queryset) is of pages."""
    model = origin.model if isinstance(origin, QuerySet) else type(origin)
    return isinstance(model, type) and issubclass(model, Page)


def connect() -> None:
    """Connect the receivers (called once, from the app's ready())."""
    page_published.connect(on_published, dispatch_uid="webhooks-published")
    page_unpublished.connect(on_unpublished, dispatch_uid="webhooks-unpublished")
    post_save.connect(
        on_restriction_saved, sender=PageViewRestriction, dispatch_uid="webhooks-pvr-save"
    )
    post_delete.connect(
        on_restriction_deleted, sender=PageViewRestriction, dispatch_uid="webhooks-pvr-delete"
    )
    # Per page type, never for every model: a receiver with no sender would turn every bulk
    # delete in the project into a row-by-row one. The specific class only: Django sends the
    # signal for a page's base row too.
    for model in apps.get_models():
        if issubclass(model, Page) and model is not Page:
            pre_delete.connect(on_deleted, sender=model, dispatch_uid=f"webhooks-deleted-{model}")
