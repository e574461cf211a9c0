"""An editor writes a publication, a moderator approves it, the public API shows it."""

from __future__ import annotations

import json
import re
import urllib.request

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from publications.models import PublicationPage

# Migrations made the groups and the workflow: restore them for the live server's tests.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "a-long-test-password-1"


def _user(username: str, group: str) -> User:
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD)
    user.groups.add(Group.objects.get(name=group))
    return user


def _log_in(page, username: str) -> None:
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")


def _public_title(base_url: str, slug: str) -> str | None:
    body = json.dumps(
        {"query": "query($s: String) { publication(slug: $s) { title } }", "variables": {"s": slug}}
    )
    request = urllib.request.Request(
        base_url + "/graphql/", data=body.encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        publication = json.load(response)["data"]["publication"]
    return publication and publication["title"]


TITLE = "Night-time economy and safety"
SLUG = "night-time-economy-and-safety"


def test_a_moderator_approves_an_editors_publication_from_the_dashboard(
    new_page, live_server, publication_index, screens
):
    _user("edith", "Editors")
    _user("moritz", "Moderators")

    editor = new_page()
    _log_in(editor, "edith")
    editor.goto(f"/admin/pages/{publication_index.id}/")
    editor.get_by_role("link", name="Add child page").click()
    editor.fill("#id_title", TITLE)
    editor.fill("#id_date", "2026-11-20")
    summary = editor.locator("#id_summary").locator("xpath=..").locator("[contenteditable=true]")
    summary.click()
    editor.keyboard.type("How cities keep their nights safe and lively.")
    # Draftail writes the field a moment after the last key, as it does for a person typing.
    expect(editor.locator("#id_summary")).to_have_value(re.compile("nights safe"))
    screens.take(editor, "editor-writes")
    editor.get_by_role("button", name="More actions").click()
    editor.get_by_role("button", name="Submit to Moderators approval").click()
    assert "submitted for moderation" in editor.locator(".messages").inner_text()
    screens.take(editor, "editor-submitted")
    assert _public_title(live_server.url, SLUG) is None  # in moderation: not public

    moderator = new_page()
    _log_in(moderator, "moritz")
    task = moderator.locator("main tr", has_text=TITLE)
    screens.take(moderator, "moderator-dashboard")
    task.locator(".w-dropdown__toggle").click()  # the task's "…" menu
    moderator.get_by_role("button", name="Approve", exact=True).click()
    # The dashboard approves in place, with no message (issue 14 asks for one): the task
    # leaves the list.
    expect(moderator.locator("main tr", has_text=TITLE)).to_have_count(0)
    screens.take(moderator, "moderator-approved")
    page = PublicationPage.objects.get(slug=SLUG)
    assert page.live and "nights safe" in page.summary
    assert _public_title(live_server.url, SLUG) == TITLE

    moderator.goto(f"/admin/pages/{page.id}/unpublish/")
    moderator.get_by_role("button", name="Yes, unpublish it").click()
    assert "unpublished" in moderator.locator(".messages").inner_text()
    screens.take(moderator, "moderator-unpublished")
    assert _public_title(live_server.url, SLUG) is None
