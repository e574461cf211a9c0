"""What a page change becomes: a payload of identifiers, and a delivery to each endpoint that
wants it, recorded in the change's transaction with the task that will send it.

Only pages an anonymous client may see (or, for an unpublish or a deletion, could see: not
under a view restriction) produce events, and a payload carries identifiers only (type, id,
locale, slug, path, URLs, site, revision): no title, no text, never a draft's content. A
view-restricted page produces no event at all, so neither its slug nor its existence leaks;
a restriction put on a public page is announced as its unpublish, and lifted, as its publish.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlsplit

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import Page, Site

from cms.visibility import page_is_public, restricted_page_paths

from .models import TEST_EVENT, Delivery, Endpoint, Event


def _site_of(page: Page) -> tuple[int | None, str, str, str]:
    """(site id, hostname, front-end URL, path on the site); the URL parts as the API gives."""
    parts = page.get_url_parts()
    if parts is None:
        return None, "", "", ""
    site_id, root_url, path = parts
    # Site.get_site_root_paths() is cached (Django's cache): no query for the hostname.
    root = next((r for r in Site.get_site_root_paths() if r.site_id == site_id), None)
    hostname = urlsplit(root.root_url).hostname or "" if root else ""
    return site_id, hostname, f"{root_url or ''}{path}", path


def content_type_key(page: Page) -> str:
    content_type = ContentType.objects.get_for_id(page.content_type_id)
    return f"{content_type.app_label}.{content_type.model}"


def payload_for(
    page: Page, event: str, moment: datetime.datetime, revision_id: int | None
) -> tuple[dict[str, Any], int | None]:
    """The Standard Webhooks payload shape: `type` (the event), `timestamp`, `data`."""
    site_id, hostname, url, path = _site_of(page)
    data = {
        "id": page.pk,
        "content_type": content_type_key(page),
        "locale": page.locale.language_code,
        "slug": page.slug,
        "url_path": path,
        "url": url,
        "site": hostname,
        "revision_id": revision_id,
    }
    return {"type": event, "timestamp": moment.isoformat(), "data": data}, site_id


def may_announce(page: Page, event: str) -> bool:
    """A publish of a public page; an unpublish or deletion of a page the public could see."""
    if event in (Event.PUBLISHED, Event.WENT_LIVE):
        return page_is_public(page, None)
    if page.first_published_at is None:
        return False  # never public: no front end ever heard of it
    return not page.path.startswith(restricted_page_paths(None) or ("\0",))


def record(page: Page, event: str, revision_id: int | None = None) -> int:
    """Record a delivery of `event` about `page` to every endpoint that wants it, each with
    its sending task, in the caller's transaction; returns how many."""
    if not may_announce(page, event):
        return 0
    return _record(page, event, revision_id)


def record_restriction(page: Page, added: bool) -> int:
    """A view restriction put on `page` takes its live subtree away from the public: the
    receivers hear an unpublish of each page (identifiers they already had); one lifted
    gives it back: a publish of each page now public. Pages another restriction hides either
    way hear nothing."""
    others = tuple(path for path in restricted_page_paths(None) if path != page.path)
    subtree = Page.objects.live().descendant_of(page, inclusive=True).specific()
    count = 0
    for each in subtree:
        if each.specific_class is Page or each.path.startswith(others or ("\0",)):
            continue
        if added:
            count += _record(each, Event.UNPUBLISHED, None)
        elif page_is_public(each, None):
            count += _record(each, Event.PUBLISHED, each.live_revision_id)
    return count


def _record(page: Page, event: str, revision_id: int | None) -> int:
    moment = timezone.now()
    payload, site_id = payload_for(page, event, moment, revision_id)
    endpoints = Endpoint.objects.listening(
        event, payload["data"]["content_type"], payload["data"]["locale"], site_id
    )
    for endpoint in endpoints:
        enqueue(Delivery(endpoint=endpoint, event=event, payload=payload, created_at=moment))
    return len(endpoints)


def enqueue(delivery: Delivery) -> Delivery:
    """Save a delivery and the task that sends it (after any earlier one to its endpoint)."""
    from .tasks import deliver

    delivery.save()
    deliver.enqueue(delivery.endpoint_id)
    return delivery


def test_event(endpoint: Endpoint) -> Delivery:
    moment = timezone.now()
    payload = {"type": TEST_EVENT, "timestamp": moment.isoformat(), "data": {}}
    return enqueue(Delivery(endpoint=endpoint, event=TEST_EVENT, payload=payload))


def redeliver(delivery: Delivery) -> Delivery:
    """The same message (same `webhook-id`, same payload) queued again behind the others."""
    return enqueue(
        Delivery(
            endpoint=delivery.endpoint,
            message_id=delivery.message_id,
            event=delivery.event,
            payload=delivery.payload,
        )
    )


def resume(endpoint: Endpoint) -> None:
    """Queue a send of the endpoint's pending deliveries (after it is enabled again)."""
    from .tasks import deliver

    if endpoint.deliveries.pending().exists():
        deliver.enqueue(endpoint.pk)
