"""The admin's flat listings of positions and press releases: Wagtail's linked titles, the
date sortable, the list exported."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from positions.factories import PositionPaperPageFactory, PressReleasePageFactory


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("boss", "boss@example.org", "pw")
    client.force_login(user)
    return client


def test_position_listing_links_titles_and_exports_kind_and_place(admin_client, position_index):
    paper = PositionPaperPageFactory(
        parent=position_index, title="Manifesto of Nice", kind="manifesto", place="Nice"
    )

    body = admin_client.get("/admin/position_listing/").content.decode()
    export = admin_client.get("/admin/position_listing/", {"export": "csv"})

    assert f'href="/admin/pages/{paper.pk}/edit/"' in body
    lines = b"".join(export.streaming_content).decode().splitlines()
    assert lines[0].startswith("Title,Kind,Place,Date")
    assert lines[1].startswith("Manifesto of Nice,Manifesto,Nice,")


def test_press_release_listing_sorts_by_date(admin_client, press_release_index):
    for day in (3, 1, 2):
        PressReleasePageFactory(
            parent=press_release_index,
            title=f"Release of day {day}",
            date=datetime.date(2026, 1, day),
        )

    body = admin_client.get("/admin/press_release_listing/", {"ordering": "date"}).content
    positions = [body.decode().index(f"Release of day {day}") for day in (1, 2, 3)]

    assert positions == sorted(positions)
