"""Redirects: made by Wagtail when a live page's slug changes, and read by front ends through
the `redirect(path, site)` root field, which only leads to live, public pages and external
URLs."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client, TestCase
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Locale, Page, PageViewRestriction, Site

from publications.factories import PublicationPageFactory
from publications.models import PublicationPage
from tests.api.catalogue_data import graphql

FRONT_END = "http://localhost:3000"
QUERY = """query ($path: String!, $site: String) {
  redirect(path: $path, site: $site) { url urlPath permanent external }
}"""


def ask(path: str, site: str | None = "localhost") -> dict:
    answer = graphql(Client(), QUERY, {"path": path, "site": site})
    assert "errors" not in answer, answer
    return answer["data"]["redirect"]


def publish(page: Page) -> Page:
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def rename(page: Page, slug: str) -> Page:
    """What an editor does: a new slug in a new revision, published. Wagtail sends
    `page_slug_changed` (which makes the redirects) once the publish is committed; the test's
    transaction never is, so its on-commit callbacks are run here."""
    page = type(page).objects.get(pk=page.pk)
    page.slug = slug
    with TestCase.captureOnCommitCallbacks(execute=True):
        return publish(page)


@pytest.fixture
def live_page(publication_index) -> PublicationPage:
    return publish(PublicationPageFactory(parent=publication_index, slug="old-slug", live=False))


def test_changing_a_live_pages_slug_creates_a_redirect(live_page) -> None:
    rename(live_page, "new-slug")

    redirect = Redirect.objects.get(old_path="/publications/old-slug")
    assert redirect.redirect_page_id == live_page.pk
    assert redirect.automatically_created
    assert redirect.is_permanent


def test_redirect_leads_to_the_pages_new_front_end_url(live_page) -> None:
    rename(live_page, "new-slug")

    assert ask("/publications/old-slug/") == {
        "url": f"{FRONT_END}/publications/new-slug/",
        "urlPath": "/publications/new-slug/",
        "permanent": True,
        "external": False,
    }
    # Without a trailing slash, as Wagtail stores it, it is the same redirect.
    assert ask("/publications/old-slug")["urlPath"] == "/publications/new-slug/"


def test_renaming_an_index_redirects_the_pages_under_it(live_page, publication_index) -> None:
    rename(publication_index, "library")

    assert ask("/publications/old-slug/")["url"] == f"{FRONT_END}/library/old-slug/"
    assert ask("/publications/")["url"] == f"{FRONT_END}/library/"


def test_a_translations_redirect_keeps_its_language_prefix(live_page) -> None:
    french = live_page.copy_for_translation(
        Locale.objects.get_or_create(language_code="fr")[0], copy_parents=True
    )
    for ancestor in french.get_ancestors().filter(depth__gte=2, live=False):
        ancestor.specific.save_revision().publish()
    french = publish(french)
    rename(french, "nouveau-slug")

    assert ask("/fr/publications/old-slug/")["url"] == f"{FRONT_END}/fr/publications/nouveau-slug/"


def test_a_draft_pages_slug_change_makes_no_redirect(publication_index) -> None:
    draft = PublicationPageFactory(parent=publication_index, slug="draft-slug", live=False)
    draft.slug = "other-slug"
    with TestCase.captureOnCommitCallbacks(execute=True):
        draft.save_revision()

    assert not Redirect.objects.exists()


def hide_by_unpublishing(page: Page) -> None:
    page.unpublish()


def hide_by_expiry(page: Page) -> None:
    # Past its expiry date; publish_scheduled has not unpublished it yet.
    Page.objects.filter(pk=page.pk).update(expire_at=timezone.now() - datetime.timedelta(hours=1))


def hide_by_restriction(page: Page) -> None:
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )


@pytest.mark.parametrize("hide", [hide_by_unpublishing, hide_by_expiry, hide_by_restriction])
def test_redirect_to_a_hidden_page_answers_as_no_redirect_does(live_page, hide) -> None:
    rename(live_page, "new-slug")
    hide(Page.objects.get(pk=live_page.pk))

    assert ask("/publications/old-slug/") is None
    assert ask("/publications/old-slug/") == ask("/publications/never-existed/")


def test_redirect_to_a_page_that_never_went_live_answers_null(publication_index) -> None:
    draft = PublicationPageFactory(parent=publication_index, slug="draft", live=False)
    Redirect.add_redirect("/old-draft", redirect_to=draft)

    assert ask("/old-draft/") is None


def test_external_redirect_is_handed_out(home_page) -> None:
    Redirect.add_redirect("/efus-2024", redirect_to="https://efus.eu/2024/", is_permanent=False)

    assert ask("/efus-2024/") == {
        "url": "https://efus.eu/2024/",
        "urlPath": None,
        "permanent": False,
        "external": True,
    }


@pytest.mark.parametrize("link", ["javascript:alert(1)", "//evil.example/", "/relative/"])
def test_a_link_that_is_not_an_absolute_http_url_is_never_handed_out(home_page, link) -> None:
    # Written directly: the admin's form would refuse these.
    Redirect.objects.create(old_path="/bad", redirect_link=link)

    assert ask("/bad/") is None


def test_the_sites_own_redirect_wins_over_one_for_all_sites(home_page) -> None:
    site = Site.objects.get(hostname="localhost")
    Redirect.add_redirect("/news", redirect_to="https://all.example/")
    Redirect.add_redirect("/news", redirect_to="https://own.example/", site=site)

    assert ask("/news/")["url"] == "https://own.example/"


def test_another_sites_redirect_is_not_used(home_page) -> None:
    other = Site.objects.create(hostname="conference.localhost", root_page=home_page)
    Redirect.add_redirect("/programme", redirect_to="https://conference.example/", site=other)

    assert ask("/programme/") is None
    assert ask("/programme/", site="conference.localhost")["url"] == "https://conference.example/"


def test_without_a_site_the_requests_site_is_used(home_page) -> None:
    Redirect.add_redirect(
        "/programme", redirect_to="https://x.example/", site=Site.objects.get(hostname="localhost")
    )

    assert ask("/programme/", site=None)["url"] == "https://x.example/"


def test_an_unknown_site_is_a_clear_error(home_page) -> None:
    answer = graphql(Client(), QUERY, {"path": "/x/", "site": "nowhere.example"})

    assert answer["data"]["redirect"] is None
    assert "nowhere.example" in answer["errors"][0]["message"]


def test_a_redirect_added_in_the_admin_replaces_a_cached_answer(home_page) -> None:
    assert ask("/campaign/") is None  # now in the response cache

    Redirect.add_redirect("/campaign", redirect_to="https://campaign.example/")

    assert ask("/campaign/")["url"] == "https://campaign.example/"


@pytest.mark.parametrize("path", ["//[", "/a\x01b", "/tab\there"])
def test_a_path_that_is_not_a_url_path_is_a_clear_error(home_page, path) -> None:
    answer = graphql(Client(), QUERY, {"path": path, "site": "localhost"})

    assert answer["data"]["redirect"] is None
    assert answer["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "path" in answer["errors"][0]["message"]


def test_a_path_longer_than_any_redirect_has_none(home_page) -> None:
    assert ask("/" + "x" * 300 + "/") is None
