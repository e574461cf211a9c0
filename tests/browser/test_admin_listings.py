"""The flat listings as an editor uses them: open a publication from its title, select rows
for a bulk action, sort by date, and add a publication to a catalogue picked from a list."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect
from wagtail.models import Site

from cms.factories import HomePageFactory, wagtail_root
from publications.factories import PublicationIndexPageFactory, PublicationPageFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "a-long-test-password-1"


@pytest.fixture
def editor(new_page, publication_index):
    user = User.objects.create_user("edith", "edith@example.org", PASSWORD)
    user.groups.add(Group.objects.get(name="Editors"))
    page = new_page()
    page.goto("/admin/login/")
    page.fill("#id_username", "edith")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    return page


def _order(page) -> list[str]:
    text = page.locator("main table").inner_text()
    return sorted(("Older guide", "Newer report"), key=text.index)


def test_an_editor_opens_selects_and_sorts_publications(editor, publication_index, screens):
    older = PublicationPageFactory(
        parent=publication_index, title="Older guide", date=datetime.date(2019, 3, 1)
    )
    PublicationPageFactory(
        parent=publication_index, title="Newer report", date=datetime.date(2025, 6, 1)
    )

    editor.goto("/admin/publication_listing/?ordering=-date")
    assert _order(editor) == ["Newer report", "Older guide"]
    editor.get_by_role("link", name="Date", exact=True).click()  # the other way round
    editor.wait_for_url(re.compile(r"ordering=date$"))
    assert _order(editor) == ["Older guide", "Newer report"]
    editor.locator("main tbody tr", has_text="Newer report").get_by_role("checkbox").check()
    expect(editor.locator("[data-bulk-action-footer], .bulk-actions-choices").first).to_be_visible()
    screens.take(editor, "listing-sorted-with-a-row-selected")

    editor.get_by_role("link", name="Older guide").first.click()
    editor.wait_for_url(f"**/admin/pages/{older.pk}/edit/")
    screens.take(editor, "opened-from-the-listing")


def test_add_publication_offers_the_catalogues(editor, publication_index, screens):
    conference = HomePageFactory(parent=wagtail_root(), title="Conference", slug="conference")
    Site.objects.create(hostname="conference.localhost", root_page=conference, site_name="SDC")
    reports = PublicationIndexPageFactory(parent=conference, title="Conference reports")

    editor.goto("/admin/publication_listing/")
    editor.get_by_role("link", name=re.compile("Add publication")).click()
    editor.get_by_label("Conference reports (SDC)").check()
    screens.take(editor, "choose-a-catalogue")
    editor.get_by_role("button", name=re.compile("Create a new publication")).click()

    editor.wait_for_url(f"**/add/publications/publicationpage/{reports.pk}/")
    expect(editor.locator("#id_title")).to_be_visible()
