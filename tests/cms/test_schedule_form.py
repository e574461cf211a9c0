"""The publishing schedule in the admin: its time zone said, a past go-live time refused."""

from __future__ import annotations

import datetime
import zoneinfo

from django.utils import timezone
from wagtail.users.models import UserProfile

from publications.factories import PublicationPageFactory

from .admin_forms import publication_edit_data


def _edit(client, page, **changes):
    return client.post(f"/admin/pages/{page.pk}/edit/", publication_edit_data(page, **changes))


def _local(moment: datetime.datetime, zone: str = "Europe/Paris") -> str:
    return timezone.localtime(moment, timezone=zoneinfo.ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")


def test_a_go_live_time_already_past_is_refused_with_a_clear_error(
    superuser_client, publication_index
):
    page = PublicationPageFactory(parent=publication_index, live=False)
    past = timezone.now() - datetime.timedelta(hours=2)

    response = _edit(superuser_client, page, go_live_at=_local(past))

    assert response.status_code == 200  # the form again, not a redirect
    errors = response.context["form"].errors["go_live_at"]
    assert "has already passed" in errors[0] and "Europe/Paris" in errors[0]
    page.refresh_from_db()
    assert page.go_live_at is None and page.latest_revision is None


def test_a_future_go_live_time_is_saved(superuser_client, publication_index):
    page = PublicationPageFactory(parent=publication_index, live=False)
    future = timezone.now() + datetime.timedelta(days=1)

    response = _edit(superuser_client, page, go_live_at=_local(future))

    assert response.status_code == 302
    page.refresh_from_db()
    revision = page.get_latest_revision()
    assert revision.content["go_live_at"].startswith(future.strftime("%Y-%m-%d"))


def test_a_past_go_live_the_page_already_had_is_kept_on_later_edits(
    superuser_client, publication_index
):
    went_live = timezone.now() - datetime.timedelta(days=3)
    page = PublicationPageFactory(parent=publication_index, go_live_at=went_live)

    response = _edit(superuser_client, page, go_live_at=_local(went_live))

    assert response.status_code == 302


def test_the_schedule_says_the_editors_time_zone(superuser, superuser_client, publication_index):
    profile = UserProfile.get_for_user(superuser)
    profile.current_time_zone = "Europe/Lisbon"
    profile.save()
    page = PublicationPageFactory(parent=publication_index)

    body = superuser_client.get(f"/admin/pages/{page.pk}/edit/").content.decode()

    assert "In Europe/Lisbon, your time zone" in body
    assert "server logs are in UTC" in body
