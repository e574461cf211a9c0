"""Webhook endpoints (configured in the admin) and their deliveries (the outbox and its log).

A delivery row is written in the transaction of the change that causes it, with the task that
sends it (django-tasks' database backend): a rolled-back publish records nothing and a
recorded delivery survives any outage of its receiver or of the worker.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Event(models.TextChoices):
    PUBLISHED = "page.published", "Publish"
    UNPUBLISHED = "page.unpublished", "Unpublish"
    DELETED = "page.deleted", "Delete"
    WENT_LIVE = "page.went_live", "Scheduled go-live"
    EXPIRED = "page.expired", "Scheduled expiry"


TEST_EVENT = "webhook.test"


def all_events() -> list[str]:
    return list(Event.values)


class EndpointQuerySet(models.QuerySet):
    def listening(self, event: str, content_type: str, locale: str, site_id: int | None):
        """The enabled endpoints that want `event` for a page of this type, locale and site.

        Filters are lists in JSON fields, checked here rather than in SQL: JSON containment
        differs between SQLite and PostgreSQL, and endpoints are few (one query for all).
        """
        return [
            endpoint
            for endpoint in self.filter(enabled=True).order_by("pk")
            if endpoint.wants(event, content_type, locale, site_id)
        ]


class Endpoint(models.Model):
    """A receiver's URL, its signing secret(s) and the events it wants."""

    name = models.CharField(max_length=100)
    url = models.URLField(
        "URL", max_length=500, help_text="Where events are POSTed (https:// in production)."
    )
    events = models.JSONField(default=all_events, help_text="Events sent to this endpoint.")
    content_types = models.JSONField(
        default=list, blank=True, help_text="Page types (app_label.model); none means all."
    )
    locales = models.JSONField(
        default=list, blank=True, help_text="Language codes; none means all."
    )
    sites = models.JSONField(default=list, blank=True, help_text="Site ids; none means all.")
    enabled = models.BooleanField(default=True)
    # The secret is shown once, when it is made; the admin never shows it again. It must be
    # kept readable (not hashed): every delivery is signed with it.
    secret = models.CharField(max_length=100, editable=False)
    previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret_until = models.DateTimeField(null=True, blank=True, editable=False)
    # Set when a delivery is given up after its last retry, cleared by the next success.
    failing_since = models.DateTimeField(null=True, blank=True, editable=False)
    # A worker sending this endpoint's deliveries holds it until then (one sender at a time
    # keeps them in order); a dead worker's hold simply runs out.
    sending_until = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EndpointQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def wants(self, event: str, content_type: str, locale: str, site_id: int | None) -> bool:
        return (
            event in self.events
            and (not self.content_types or content_type in self.content_types)
            and (not self.locales or locale in self.locales)
            and (not self.sites or site_id in self.sites)
        )

    def signing_secrets(self, now: datetime.datetime | None = None) -> list[str]:
        """The current secret, and the previous one while its overlap window lasts."""
        now = now or timezone.now()
        secrets = [self.secret]
        if self.previous_secret and self.previous_secret_until and now < self.previous_secret_until:
            secrets.append(self.previous_secret)
        return secrets

    def rotate_secret(self, new_secret: str, now: datetime.datetime | None = None) -> None:
        """Sign with `new_secret` from now on, and with the old one too for the overlap."""
        now = now or timezone.now()
        self.previous_secret = self.secret
        self.previous_secret_until = now + datetime.timedelta(
            hours=settings.WEBHOOKS_SECRET_OVERLAP_HOURS
        )
        self.secret = new_secret


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


class DeliveryQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Delivery.Status.PENDING)

    def due(self, now: datetime.datetime):
        return self.pending().filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))


class Delivery(models.Model):
    """One message to one endpoint: its payload, and how sending it went so far."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Given up"

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    # The `webhook-id` header: the same on every attempt (and on a redelivery), so a receiver
    # can drop a message it has already handled.
    message_id = models.CharField(max_length=64, default=new_message_id, db_index=True)
    event = models.CharField(max_length=40)
    payload = models.JSONField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        verbose_name_plural = "deliveries"
        indexes = [models.Index(fields=["endpoint", "status", "id"], name="webhooks_queue")]

    def __str__(self) -> str:
        return f"{self.event} to {self.endpoint_id} ({self.message_id})"
