"""Headless previews, end to end: the admin's Preview button gives the front end a URL with a
token, and the token alone (no login) gets the draft from the API, for a limited time."""

from __future__ import annotations

import datetime
import html
import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.signing import TimestampSigner
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import reverse
from wagtail.models import Page, Site
from wagtail_headless_preview.models import PagePreview

from cms.api.preview import (
    EXPIRED_MESSAGE,
    FORBIDDEN,
    INVALID_MESSAGE,
    PREVIEW_TOKEN_EXPIRED,
    PreviewTokenError,
    page_from_preview_token,
)
from cms.factories import HomePageFactory
from positions.models import PositionPaperPage, PressReleasePage
from publications.factories import PublicationIndexPageFactory, PublicationPageFactory
from publications.models import PublicationPage
from tests.cms.admin_forms import publication_edit_data
from tests.cms.conftest import client_for, user_in_group

PUBLISHED_TITLE = "Security, democracy and cities"
DRAFT_TITLE = "Security, democracy and cities: the draft nobody may see yet"

IFRAME_SRC = re.compile(r'<iframe src="([^"]+)"')


def frontend_preview_url(response: HttpResponse) -> str:
    """The front-end URL the admin's preview page frames (the mixin's preview.html)."""
    match = IFRAME_SRC.search(response.content.decode())
    assert match, response.content.decode()
    return html.unescape(match.group(1))


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def token_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["token"][0]


def admin_preview(client: Client, preview_url: str, data: dict[str, str]) -> HttpResponse:
    """Wagtail's preview as the editor's browser does it: POST the edit form, then GET."""
    posted = client.post(preview_url, data)
    assert posted.json() == {"is_valid": True, "is_available": True}
    return client.get(preview_url)


@contextmanager
def signer_clock_moved(seconds: float) -> Iterator[None]:
    """Move the clock TimestampSigner reads by `seconds`, and nothing else's.

    django.core.signing calls `time.time()` through its own reference to the `time` module;
    swapping that reference leaves the database, sessions and the test client on real time.
    """
    real_time = time.time
    with mock.patch(
        "django.core.signing.time", SimpleNamespace(time=lambda: real_time() + seconds)
    ):
        yield


def tampered(token: str) -> str:
    """The token with one character of its signature changed."""
    value, timestamp, signature = token.rsplit(":", 2)
    middle = len(signature) // 2
    swapped = "A" if signature[middle] != "A" else "B"
    return f"{value}:{timestamp}:{signature[:middle]}{swapped}{signature[middle + 1 :]}"


def assert_refused(token: str, code: str, message: str) -> None:
    with pytest.raises(PreviewTokenError) as refused:
        page_from_preview_token(PublicationPage, token)
    assert refused.value.extensions == {"code": code}
    assert refused.value.message == message


@pytest.fixture
def editor_client(db, frontends_up) -> Client:
    """An admin session of a member of "Editors" (tests/cms' users live in its conftest), with
    the sites' front ends running."""
    return client_for(user_in_group("editor", "Editors"))


@pytest.fixture
def published_publication(publication_index) -> PublicationPage:
    page = PublicationPageFactory(parent=publication_index, title=PUBLISHED_TITLE)
    page.save_revision().publish()
    return page


@pytest.fixture
def preview_response(editor_client, published_publication) -> HttpResponse:
    """An editor saves a new title as a draft (not published), then clicks Preview."""
    page = published_publication
    saved = editor_client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        publication_edit_data(page, title=DRAFT_TITLE),
    )
    assert saved.status_code == 302
    return admin_preview(
        editor_client,
        reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk]),
        publication_edit_data(page, title=DRAFT_TITLE),
    )


@pytest.fixture
def token(preview_response) -> str:
    return token_of(frontend_preview_url(preview_response))


# --- The admin's preview ---------------------------------------------------------------------


def test_admin_preview_frames_the_front_end_with_the_content_type_and_a_token(
    preview_response, published_publication
) -> None:
    url = frontend_preview_url(preview_response)

    assert preview_response.status_code == 200
    # Where the page is published, there the draft is previewed.
    assert origin(url) == origin(published_publication.full_url)
    query = parse_qs(urlsplit(url).query)
    assert query["content_type"] == ["publications.publicationpage"]
    assert query["token"][0].startswith(f"id={published_publication.pk}:")


def test_admin_preview_opens_the_front_ends_preview_route(preview_response) -> None:
    # The reference front end (frontend/) renders drafts at /preview/ (dev settings'
    # CLIENT_URLS, built by cms.settings.base.preview_client_urls).
    url = frontend_preview_url(preview_response)

    assert urlsplit(url).path == "/preview/"
    assert origin(url) == settings.FRONTEND_URLS["localhost"]


def test_admin_preview_page_is_never_cached(preview_response) -> None:
    assert "no-store" in preview_response["Cache-Control"]


def test_preview_of_a_page_on_another_site_goes_to_that_sites_front_end(
    home_page, editor_client, frontends_up
) -> None:
    conference_home = HomePageFactory(parent=Page.get_first_root_node(), slug="conference")
    Site.objects.create(hostname="conference.localhost", root_page=conference_home)
    page = PublicationPageFactory(parent=PublicationIndexPageFactory(parent=conference_home))

    # The admin serves every site from its own host (here the default site's).
    response = admin_preview(
        editor_client,
        reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk]),
        publication_edit_data(page),
    )

    assert origin(frontend_preview_url(response)) == frontends_up["conference.localhost"]


# --- The token gives the draft ---------------------------------------------------------------


def test_token_gives_the_draft_while_the_live_page_keeps_the_published_title(
    token, published_publication
) -> None:
    draft = page_from_preview_token(PublicationPage, token)

    assert draft is not None
    assert draft.pk == published_publication.pk
    assert draft.title == DRAFT_TITLE
    live = PublicationPage.objects.live().get(pk=published_publication.pk)
    assert live.title == PUBLISHED_TITLE


def test_token_still_works_just_before_its_max_age(token) -> None:
    with signer_clock_moved(settings.PREVIEW_TOKEN_MAX_AGE - 5):
        draft = page_from_preview_token(PublicationPage, token)

    assert draft is not None
    assert draft.title == DRAFT_TITLE


def test_preview_of_a_page_not_yet_created_gives_the_unsaved_draft(
    editor_client, publication_index
) -> None:
    new_page = PublicationPage(title="A new report", slug="a-new-report", publication_type="report")
    response = admin_preview(
        editor_client,
        reverse(
            "wagtailadmin_pages:preview_on_add",
            args=["publications", "publicationpage", publication_index.pk],
        ),
        publication_edit_data(new_page),
    )

    draft = page_from_preview_token(PublicationPage, token_of(frontend_preview_url(response)))

    assert draft is not None
    assert draft.pk is None
    assert draft.title == "A new report"
    assert not PublicationPage.objects.filter(slug="a-new-report").exists()


def test_token_for_another_page_type_gives_nothing(token) -> None:
    assert page_from_preview_token(PositionPaperPage, token) is None
    assert page_from_preview_token(PressReleasePage, token) is None


def test_token_given_with_the_request_makes_the_answer_uncacheable(token, rf) -> None:
    request = rf.post("/graphql/")
    with mock.patch("cms.api.preview.forbid_caching") as forbid_caching:
        draft = page_from_preview_token(PublicationPage, token, request=request)

    assert draft is not None
    forbid_caching.assert_called_once_with(request)


def test_refused_token_given_with_the_request_makes_the_answer_uncacheable(rf) -> None:
    request = rf.post("/graphql/")
    with (
        mock.patch("cms.api.preview.forbid_caching") as forbid_caching,
        pytest.raises(PreviewTokenError),
    ):
        page_from_preview_token(PublicationPage, "not-a-token", request=request)

    forbid_caching.assert_called_once_with(request)


# --- Refused tokens --------------------------------------------------------------------------


def test_expired_token_is_refused_as_expired(token) -> None:
    with signer_clock_moved(settings.PREVIEW_TOKEN_MAX_AGE + 1):
        assert_refused(token, PREVIEW_TOKEN_EXPIRED, EXPIRED_MESSAGE)


@override_settings(PREVIEW_TOKEN_MAX_AGE=60)
def test_token_lifetime_is_the_preview_token_max_age_setting(token) -> None:
    with signer_clock_moved(61):
        assert_refused(token, PREVIEW_TOKEN_EXPIRED, EXPIRED_MESSAGE)


def test_tampered_signature_is_refused(token) -> None:
    assert_refused(tampered(token), FORBIDDEN, INVALID_MESSAGE)


def test_token_edited_to_name_another_page_is_refused(token, published_publication) -> None:
    other = PublicationPageFactory(parent=published_publication.get_parent())
    edited = token.replace(f"id={published_publication.pk}:", f"id={other.pk}:", 1)

    assert edited != token
    assert_refused(edited, FORBIDDEN, INVALID_MESSAGE)


@pytest.mark.parametrize(
    "signer",
    [
        TimestampSigner(key="another-secret-key", salt="headlesspreview.token"),
        TimestampSigner(salt="another.salt"),
    ],
    ids=["other key", "other salt"],
)
def test_forged_token_is_refused(token, published_publication, signer) -> None:
    assert_refused(signer.sign(f"id={published_publication.pk}"), FORBIDDEN, INVALID_MESSAGE)


@pytest.mark.parametrize("garbage", ["", "not-a-token", "id=1:", "id=1:abc:def:ghi"])
def test_malformed_token_is_refused(db, garbage: str) -> None:
    assert_refused(garbage, FORBIDDEN, INVALID_MESSAGE)


def test_stored_preview_older_than_the_max_age_is_ignored(token) -> None:
    # With an honest clock a row never outlives its token (both are made at once): the row is
    # aged by hand to check the lookup's own guard.
    two_days_ago = datetime.date.today() - datetime.timedelta(days=2)
    PagePreview.objects.filter(token=token).update(created_at=two_days_ago)

    assert page_from_preview_token(PublicationPage, token) is None


# --- Over GraphQL ----------------------------------------------------------------------------


def graphql(client: Client, query: str, **variables: Any) -> tuple[HttpResponse, dict]:
    response = client.post(
        "/graphql/", {"query": query, "variables": variables}, content_type="application/json"
    )
    return response, response.json()


PUBLICATION_BY_TOKEN = "query ($token: String) { publication(token: $token) { title } }"


def assert_refused_over_graphql(response: HttpResponse, body: dict, code: str) -> None:
    assert body["data"] == {"publication": None}
    assert [error["extensions"]["code"] for error in body["errors"]] == [code]
    content = response.content.decode()
    assert DRAFT_TITLE not in content
    assert PUBLISHED_TITLE not in content


def test_graphql_gives_the_draft_to_an_anonymous_front_end(token) -> None:
    response, body = graphql(Client(), PUBLICATION_BY_TOKEN, token=token)

    assert response.status_code == 200
    assert body == {"data": {"publication": {"title": DRAFT_TITLE}}}


@pytest.mark.parametrize("method", ["post", "get"])
def test_graphql_preview_answer_is_never_cached(token, method: str) -> None:
    client = Client()
    if method == "get":
        response = client.get(
            "/graphql/", {"query": PUBLICATION_BY_TOKEN, "variables": json.dumps({"token": token})}
        )
    else:
        response, _ = graphql(client, PUBLICATION_BY_TOKEN, token=token)

    assert response.json()["data"]["publication"]["title"] == DRAFT_TITLE
    assert "no-store" in response.get("Cache-Control", "")


def test_graphql_refuses_an_expired_token_without_any_draft_data(token) -> None:
    with signer_clock_moved(settings.PREVIEW_TOKEN_MAX_AGE + 1):
        response, body = graphql(Client(), PUBLICATION_BY_TOKEN, token=token)

    assert_refused_over_graphql(response, body, PREVIEW_TOKEN_EXPIRED)
    assert body["errors"][0]["message"] == EXPIRED_MESSAGE


def test_graphql_refuses_a_forged_token_without_any_draft_data(
    token, published_publication
) -> None:
    forged = TimestampSigner(key="another-secret-key", salt="headlesspreview.token").sign(
        f"id={published_publication.pk}"
    )

    response, body = graphql(Client(), PUBLICATION_BY_TOKEN, token=forged)

    assert_refused_over_graphql(response, body, FORBIDDEN)
    assert body["errors"][0]["message"] == INVALID_MESSAGE


def root_fields_taking_a_token() -> list[str]:
    from grapple.schema import schema

    fields = schema.graphql_schema.query_type.fields
    return sorted(name for name, field in fields.items() if "token" in field.args)


# Any root field that reads a token, today's or one added later (grapple's own fields used the
# library's lookup, whose tokens never expire), must refuse an old one.
@pytest.mark.parametrize("field", root_fields_taking_a_token())
def test_every_root_field_taking_a_token_refuses_an_expired_one(token, field: str) -> None:
    query = f"query ($token: String) {{ {field}(token: $token) {{ __typename }} }}"

    with signer_clock_moved(settings.PREVIEW_TOKEN_MAX_AGE + 1):
        _, body = graphql(Client(), query, token=token)

    assert body["data"] == {field: None}
    assert [error["extensions"]["code"] for error in body["errors"]] == [PREVIEW_TOKEN_EXPIRED]


def test_graphql_position_paper_with_a_publication_token_is_null(token) -> None:
    query = "query ($token: String) { positionPaper(token: $token) { title } }"

    response, body = graphql(Client(), query, token=token)

    assert body == {"data": {"positionPaper": None}}
    assert DRAFT_TITLE not in response.content.decode()
