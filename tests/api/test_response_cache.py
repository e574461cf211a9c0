"""The response cache of /graphql/: hits cost no SQL, content changes drop every answer, GET
answers carry Cache-Control and an ETag, and previews and logged-in users are never served
from it."""

from __future__ import annotations

import datetime
import json
import socket
import uuid
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.frontend_cache.backends.base import BaseBackend
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from cms.api.cache import invalidate_responses, response_key
from cms.models import Member, Project, Topic
from tests.api.test_preview import (  # noqa: F401 (fixtures, registered by being here)
    DRAFT_TITLE,
    PUBLICATION_BY_TOKEN,
    editor_client,
    preview_response,
    published_publication,
    signer_clock_moved,
    token,
)
from tests.cms.conftest import client_for, user_in_group

CATALOGUE = (
    "{ publications(perPage: 10) { items { title urlPath coverImage { title } "
    "downloads { title } topics { name } } } }"
)
TAXONOMIES = "{ topics { name } projects { name } members { name } }"


def get(client: Client, query: str, **headers: str):
    return client.get("/graphql/", {"query": query}, **headers)


def get_json(query: str) -> dict:
    response = get(Client(), query)
    assert response.status_code == 200, response.content
    return response.json()


def titles(body: dict) -> list[str]:
    return [item["title"] for item in body["data"]["publications"]["items"]]


def queries_run(request) -> int:
    with CaptureQueriesContext(connection) as captured:
        request()
    return len(captured)


# --- Hits ------------------------------------------------------------------------------------


def test_second_identical_get_is_answered_without_any_sql_query(
    catalogue, django_assert_num_queries
) -> None:
    first = get(Client(), CATALOGUE)

    with django_assert_num_queries(0):
        second = get(Client(), CATALOGUE)

    assert second.status_code == 200
    assert second.content == first.content
    assert "Preventing drug harm" in titles(second.json())


def test_second_identical_post_is_answered_without_any_sql_query(
    catalogue, django_assert_num_queries
) -> None:
    body = json.dumps({"query": CATALOGUE})
    Client().post("/graphql/", body, content_type="application/json")

    with django_assert_num_queries(0):
        second = Client().post("/graphql/", body, content_type="application/json")

    assert "Preventing drug harm" in titles(second.json())


def test_a_byte_for_byte_repeat_is_answered_before_it_is_decoded(catalogue) -> None:
    body = json.dumps({"query": CATALOGUE})
    Client().post("/graphql/", body, content_type="application/json")

    with mock.patch("cms.api.view.GraphQLHTTPView.parse_body") as parse_body:
        second = Client().post("/graphql/", body, content_type="application/json")

    parse_body.assert_not_called()
    assert "Preventing drug harm" in titles(second.json())


def test_a_byte_for_byte_repeat_from_a_logged_in_user_is_run_again(catalogue) -> None:
    body = json.dumps({"query": CATALOGUE})
    Client().post("/graphql/", body, content_type="application/json")

    with mock.patch(
        "cms.api.view.GraphQLHTTPView.parse_body", return_value={"query": CATALOGUE}
    ) as parse_body:
        Client().post(
            "/graphql/", body, content_type="application/json", HTTP_AUTHORIZATION="Bearer x"
        )

    parse_body.assert_called_once()


def test_spacing_and_comments_do_not_change_the_cache_key(
    catalogue, django_assert_num_queries
) -> None:
    get(Client(), CATALOGUE)
    respaced = "# the catalogue\n" + CATALOGUE.replace(" ", "\n  ")

    with django_assert_num_queries(0):
        assert "Preventing drug harm" in titles(get_json(respaced))


def test_answers_for_different_hosts_are_kept_apart(catalogue) -> None:
    get(Client(), "{ publications { items { downloads { url } } } }")

    other = Client(HTTP_HOST="conference.localhost")
    runs = queries_run(lambda: get(other, "{ publications { items { downloads { url } } } }"))

    assert runs > 0


def test_answers_for_different_media_types_are_kept_apart(catalogue) -> None:
    json_answer = get(Client(), CATALOGUE, HTTP_ACCEPT="application/json")
    graphql_answer = get(Client(), CATALOGUE, HTTP_ACCEPT="application/graphql-response+json")

    assert json_answer["Content-Type"].startswith("application/json")
    assert graphql_answer["Content-Type"].startswith("application/graphql-response+json")
    assert json_answer["ETag"] != graphql_answer["ETag"]


def test_answer_with_errors_is_not_cached(catalogue) -> None:
    query = '{ publications { items { title } } topics(locale: "xx") { name } }'
    first = get(Client(), query)

    assert first.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "ETag" not in first
    assert queries_run(lambda: get(Client(), query)) > 0


def test_logged_in_request_is_not_served_from_the_shared_cache(catalogue) -> None:
    get(Client(), CATALOGUE)
    editor = client_for(user_in_group("editor", "Editors"))

    with CaptureQueriesContext(connection) as captured:
        response = get(editor, CATALOGUE)

    assert any("wagtailcore_page" in query["sql"] for query in captured.captured_queries)
    assert "public" not in response.get("Cache-Control", "")


def test_mutation_and_subscription_have_no_cache_key(rf) -> None:
    request = rf.get("/graphql/")
    for document in ("mutation { x }", "subscription { x }"):
        assert response_key(request, document, None, None, "application/json") is None


def test_cached_answer_costs_one_rate_limit_point(catalogue) -> None:
    window = settings.GRAPHQL_RATE_LIMIT_WINDOW
    counter = f"graphql-rate:{window}:{int(1000.0 // window)}:127.0.0.1"
    with mock.patch("cms.api.ratelimit._now", return_value=1000.0):
        get(Client(), CATALOGUE)
        first_cost = cache.get(counter)
        get(Client(), CATALOGUE)

    assert first_cost > 1
    assert cache.get(counter) == first_cost + 1


# --- HTTP caching ----------------------------------------------------------------------------


@override_settings(GRAPHQL_CACHE_MAX_AGE=42)
def test_get_answer_is_public_for_the_configured_max_age_with_an_etag(catalogue) -> None:
    response = get(Client(), CATALOGUE)

    assert response["Cache-Control"] == "public, max-age=42"
    assert response["ETag"].startswith('"')


@override_settings(GRAPHQL_CACHE_MAX_AGE=42)
def test_answer_served_from_the_cache_keeps_its_headers(catalogue) -> None:
    first = get(Client(), CATALOGUE)
    second = get(Client(), CATALOGUE)

    assert second["Cache-Control"] == "public, max-age=42"
    assert second["ETag"] == first["ETag"]
    assert "Accept" in second["Vary"]


def test_if_none_match_with_the_current_etag_gets_304_without_a_body(catalogue) -> None:
    etag = get(Client(), CATALOGUE)["ETag"]

    response = get(Client(), CATALOGUE, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_if_none_match_with_an_old_etag_gets_the_new_answer(catalogue) -> None:
    etag = get(Client(), CATALOGUE)["ETag"]
    catalogue.drug_guide.title = "Preventing drug harm, second edition"
    catalogue.drug_guide.save_revision().publish()

    response = get(Client(), CATALOGUE, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert "Preventing drug harm, second edition" in titles(response.json())


def test_post_answer_has_no_http_caching_headers(catalogue) -> None:
    response = Client().post("/graphql/", {"query": CATALOGUE}, content_type="application/json")

    assert "ETag" not in response
    assert "public" not in response.get("Cache-Control", "")


# --- Previews --------------------------------------------------------------------------------


def preview_get(token: str):  # noqa: F811 (the fixture's value, passed in)
    return Client().get(
        "/graphql/",
        {"query": PUBLICATION_BY_TOKEN, "variables": json.dumps({"token": token})},
    )


def test_preview_request_is_never_answered_from_the_cache(token) -> None:  # noqa: F811
    first = preview_get(token)
    with signer_clock_moved(settings.PREVIEW_TOKEN_MAX_AGE + 1):
        again = preview_get(token)

    assert first.json()["data"]["publication"]["title"] == DRAFT_TITLE
    # The same request, once the token has expired, is refused: it was run again.
    assert again.json()["errors"][0]["extensions"]["code"] == "PREVIEW_TOKEN_EXPIRED"
    assert DRAFT_TITLE not in again.content.decode()


def test_preview_answer_is_no_store_without_an_etag(token) -> None:  # noqa: F811
    response = preview_get(token)

    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert "ETag" not in response


def test_draft_shown_in_a_preview_never_reaches_the_public_answer(
    token,  # noqa: F811
    published_publication,  # noqa: F811
) -> None:
    preview_get(token)
    query = f'{{ publication(id: "{published_publication.pk}") {{ title }} }}'

    public = get_json(query)

    assert public["data"]["publication"]["title"] != DRAFT_TITLE


# --- Invalidation ----------------------------------------------------------------------------


def test_publishing_drops_the_cached_answers(catalogue) -> None:
    get_json(CATALOGUE)
    catalogue.drug_guide.title = "Preventing drug harm, second edition"
    catalogue.drug_guide.save_revision().publish()

    assert "Preventing drug harm, second edition" in titles(get_json(CATALOGUE))


def test_unpublishing_drops_the_cached_answers(catalogue) -> None:
    get_json(CATALOGUE)
    catalogue.drug_guide.unpublish()

    assert "Preventing drug harm" not in titles(get_json(CATALOGUE))


def test_deleting_a_page_drops_the_cached_answers(catalogue) -> None:
    get_json(CATALOGUE)
    catalogue.night_guide.delete()

    assert "Night-time guide" not in titles(get_json(CATALOGUE))


def test_moving_a_page_drops_the_cached_answers(catalogue, position_index) -> None:
    query = '{ publication(slug: "night-time-guide") { urlPath } }'
    before = get_json(query)["data"]["publication"]["urlPath"]
    catalogue.night_guide.move(position_index, pos="last-child")

    after = get_json(query)["data"]["publication"]["urlPath"]

    assert after != before
    assert after == f"/{position_index.slug}/night-time-guide/"


def test_restricting_a_page_drops_the_cached_answers(catalogue) -> None:
    get_json(CATALOGUE)
    PageViewRestriction.objects.create(
        page=catalogue.drug_guide, restriction_type="password", password="secret"
    )

    assert "Preventing drug harm" not in titles(get_json(CATALOGUE))


def test_lifting_a_page_restriction_drops_the_cached_answers(catalogue) -> None:
    restriction = PageViewRestriction.objects.create(
        page=catalogue.drug_guide, restriction_type="password", password="secret"
    )
    get_json(CATALOGUE)
    restriction.delete()

    assert "Preventing drug harm" in titles(get_json(CATALOGUE))


def test_restricting_a_collection_drops_the_cached_answers(catalogue) -> None:
    def covers() -> list:
        items = get_json(CATALOGUE)["data"]["publications"]["items"]
        return [item["coverImage"] for item in items if item["coverImage"]]

    assert covers()
    CollectionViewRestriction.objects.create(
        collection=Collection.get_first_root_node(), restriction_type="password", password="x"
    )

    assert covers() == []


@pytest.mark.parametrize("model", [Topic, Project, Member])
def test_changing_a_snippet_drops_the_cached_answers(catalogue, model) -> None:
    get_json(TAXONOMIES)
    snippet = model.objects.first()
    snippet.name = "Renamed by an editor"
    snippet.save()

    body = get_json(TAXONOMIES)

    assert "Renamed by an editor" in json.dumps(body)


def test_deleting_a_snippet_drops_the_cached_answers(catalogue) -> None:
    get_json(TAXONOMIES)
    Member.objects.get(name="Brussels").delete()

    assert get_json(TAXONOMIES)["data"]["members"] == []


def test_changing_a_document_drops_the_cached_answers(catalogue) -> None:
    get_json(CATALOGUE)
    document = catalogue.night_guide.downloads.first().document
    document.title = "Renamed file"
    document.save()

    assert "Renamed file" in json.dumps(get_json(CATALOGUE))


def test_changing_an_image_drops_the_cached_answers(catalogue) -> None:
    get_json(CATALOGUE)
    image = catalogue.drug_guide.cover_image
    image.title = "New cover"
    image.save()

    assert "New cover" in json.dumps(get_json(CATALOGUE))


# --- CDN purge -------------------------------------------------------------------------------

PURGED: list[str] = []


class RecordingBackend(BaseBackend):
    """A frontend cache backend that only notes what it is asked to purge."""

    def purge(self, url: str) -> None:
        PURGED.append(url)


def commit_the_fixtures() -> None:
    """Run the commit callbacks the fixtures' own changes left pending, as their commit would.

    The test's transaction never commits, so a purge the fixtures scheduled would otherwise
    still be pending, and stand for the test's changes too (one purge per transaction).
    """
    # Until none is left: a callback may schedule more (a new locale's pages are translated
    # after the commit, cms/locale_trees.py, and their publishes schedule a purge).
    while connection.run_on_commit:
        pending, connection.run_on_commit[:] = list(connection.run_on_commit), []
        for _savepoints, callback, _robust in pending:
            callback()
    PURGED.clear()


CDN = override_settings(
    GRAPHQL_CDN_PURGE_URLS=["https://cms.example.org/graphql/*"],
    WAGTAILFRONTENDCACHE={"cdn": {"BACKEND": f"{__name__}.RecordingBackend"}},
)


@CDN
def test_cdn_is_purged_once_the_publish_is_committed(
    catalogue, django_capture_on_commit_callbacks
) -> None:
    commit_the_fixtures()
    with django_capture_on_commit_callbacks(execute=True):
        catalogue.drug_guide.save_revision().publish()
        assert PURGED == []

    assert PURGED == ["https://cms.example.org/graphql/*"]


@CDN
def test_cdn_is_purged_once_per_transaction(catalogue, django_capture_on_commit_callbacks) -> None:
    commit_the_fixtures()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        catalogue.drug_guide.save_revision().publish()
        catalogue.night_guide.unpublish()

    assert PURGED == ["https://cms.example.org/graphql/*"]


def test_cdn_is_not_purged_unless_configured(catalogue, django_capture_on_commit_callbacks) -> None:
    with (
        mock.patch("wagtail.contrib.frontend_cache.utils.purge_urls_from_cache") as purge,
        django_capture_on_commit_callbacks(execute=True),
    ):
        commit_the_fixtures()
        invalidate_responses()

    purge.assert_not_called()


# --- Redis -----------------------------------------------------------------------------------


def redis_reachable(host: str = "127.0.0.1", port: int = 6379) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_reachable(), reason="no Redis server at 127.0.0.1:6379")
def test_redis_cache_serves_the_second_request_without_sql_until_a_publish(
    catalogue, django_assert_num_queries
) -> None:
    prefix = f"cms-test-{uuid.uuid4().hex}"
    redis_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(CACHES=redis_cache):
        client = caches["default"]._cache.get_client(write=True)
        try:
            get_json(CATALOGUE)
            stored = list(client.scan_iter(f"{prefix}:*"))
            with django_assert_num_queries(0):
                cached = get_json(CATALOGUE)
            catalogue.drug_guide.title = "Preventing drug harm, second edition"
            catalogue.drug_guide.save_revision().publish()
            fresh = get_json(CATALOGUE)
        finally:
            # Only this test's keys: the server may be shared.
            keys = list(client.scan_iter(f"{prefix}:*"))
            if keys:
                client.delete(*keys)

    assert stored  # the answer (and the generation) went to Redis
    assert "Preventing drug harm" in titles(cached)
    assert "Preventing drug harm, second edition" in titles(fresh)


# --- Races and expiry ----------------------------------------------------------------------------


def test_an_answer_computed_while_content_changed_is_not_kept_for_the_new_content(db, rf) -> None:
    from cms.api.cache import cached_response, store_response

    request = rf.get("/graphql/")
    assert cached_response("a-key", request) is None  # the generation this request saw
    invalidate_responses()  # an editor publishes while the query runs
    store_response(["a-key"], '{"data": {}}', '"etag"', request)

    assert cached_response("a-key", rf.get("/graphql/")) is None


def test_no_answer_is_kept_past_the_next_expiry_of_a_live_page(catalogue, monkeypatch) -> None:
    from django.utils import timezone

    page = catalogue.night_guide
    page.expire_at = timezone.now() + datetime.timedelta(seconds=30)
    page.save(update_fields=["expire_at"])
    timeouts = []
    set_many = cache.set_many
    monkeypatch.setattr(
        cache, "set_many", lambda data, timeout: (timeouts.append(timeout), set_many(data, timeout))
    )

    get(Client(), CATALOGUE)

    assert timeouts and all(0 < timeout <= 30 for timeout in timeouts)


def test_wagtail_filling_in_a_files_size_keeps_the_cached_answers(catalogue) -> None:
    first = get_json(CATALOGUE)
    document = catalogue.drug_guide.downloads.first().document

    document.file_size = None
    document.get_file_size()  # Wagtail measures and saves it: update_fields=["file_size"]

    with CaptureQueriesContext(connection) as captured:
        assert get_json(CATALOGUE) == first
    assert len(captured) == 0
