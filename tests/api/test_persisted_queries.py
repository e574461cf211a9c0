"""Persisted queries over /graphql/: Apollo's protocol (register with the query and its hash,
then GET by hash alone), its errors, and the allowlist mode."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from cms.api.cache import invalidate_responses
from cms.api.persisted import PersistedQuery

QUERY = "{ publications(perPage: 5) { items { title } } }"
SHA = hashlib.sha256(QUERY.encode()).hexdigest()
ALLOWLIST = override_settings(GRAPHQL_PERSISTED_QUERIES_ONLY=True)


def extensions(sha: str = SHA, version: int = 1) -> str:
    return json.dumps({"persistedQuery": {"version": version, "sha256Hash": sha}})


def get_by_hash(sha: str = SHA):
    return Client().get("/graphql/", {"extensions": extensions(sha)})


def register(query: str = QUERY, sha: str = SHA):
    return Client().post(
        "/graphql/",
        {"query": query, "extensions": json.loads(extensions(sha))},
        content_type="application/json",
    )


def codes(response) -> list[str]:
    return [error["extensions"]["code"] for error in response.json()["errors"]]


def test_query_registered_with_its_hash_is_then_served_by_hash_alone(catalogue) -> None:
    registered = register()
    response = get_by_hash()

    assert registered.json()["data"] == response.json()["data"]
    titles = [item["title"] for item in response.json()["data"]["publications"]["items"]]
    assert "Preventing drug harm" in titles
    assert PersistedQuery.objects.get(sha256=SHA).query == QUERY


def test_get_by_hash_is_cached_without_any_sql_query(catalogue, django_assert_num_queries) -> None:
    register()
    get_by_hash()

    with django_assert_num_queries(0):
        response = get_by_hash()

    assert response.status_code == 200
    assert response["ETag"]


def test_unknown_hash_gets_persisted_query_not_found(db) -> None:
    response = get_by_hash("0" * 64)

    # Apollo's answer: 200, so Apollo Client retries with the query, and not cacheable, so
    # the retry's hash URL is not answered from a cache.
    assert response.status_code == 200
    assert codes(response) == ["PERSISTED_QUERY_NOT_FOUND"]
    assert response.json()["errors"][0]["message"] == "PersistedQueryNotFound"
    assert "no-cache" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_hash_that_does_not_match_the_query_is_refused(db) -> None:
    response = register(sha="a" * 64)

    assert response.status_code == 400
    assert codes(response) == ["BAD_REQUEST"]
    assert response.json()["errors"][0]["message"] == "provided sha does not match query"
    assert not PersistedQuery.objects.exists()


def test_unsupported_persisted_query_version_is_refused(db) -> None:
    response = Client().get("/graphql/", {"extensions": extensions(version=2)})

    assert response.status_code == 400
    assert codes(response) == ["BAD_REQUEST"]


def test_query_over_the_limits_is_not_registered(db) -> None:
    with override_settings(GRAPHQL_LIMITS={"MAX_DEPTH": 2}):
        refused = register()

    assert codes(refused) == ["GRAPHQL_VALIDATION_FAILED"]
    assert codes(get_by_hash()) == ["PERSISTED_QUERY_NOT_FOUND"]


def test_invalid_query_is_not_registered(db) -> None:
    query = "{ publications { nothingHere } }"

    refused = register(query, hashlib.sha256(query.encode()).hexdigest())

    assert codes(refused) == ["GRAPHQL_VALIDATION_FAILED"]
    assert not PersistedQuery.objects.exists()


def test_query_run_by_hash_is_held_to_the_limits_with_its_variables(catalogue) -> None:
    query = "query ($n: Int = 5) { publications(perPage: $n) { items { title } } }"
    sha = hashlib.sha256(query.encode()).hexdigest()
    register(query, sha)

    with override_settings(GRAPHQL_LIMITS={"MAX_COST": 50}):
        response = Client().get(
            "/graphql/", {"extensions": extensions(sha), "variables": json.dumps({"n": 100})}
        )

    assert codes(response) == ["GRAPHQL_VALIDATION_FAILED"]
    assert response.json()["errors"][0]["extensions"]["cost"] > 50


# --- Allowlist mode --------------------------------------------------------------------------


@ALLOWLIST
def test_allowlist_mode_refuses_a_plain_query(db) -> None:
    response = Client().get("/graphql/", {"query": QUERY})

    assert response.status_code == 400
    assert codes(response) == ["PERSISTED_QUERY_ID_REQUIRED"]


@ALLOWLIST
def test_allowlist_mode_refuses_to_register_a_new_query(db) -> None:
    response = register()

    assert response.status_code == 403
    assert codes(response) == ["QUERY_NOT_IN_SAFELIST"]
    assert not PersistedQuery.objects.exists()


def test_allowlist_mode_runs_a_query_loaded_by_the_command(catalogue, tmp_path) -> None:
    path = tmp_path / "catalogue.graphql"
    path.write_text(QUERY, encoding="utf-8")
    call_command("graphql_persist", str(path), stdout=io.StringIO())

    with ALLOWLIST:
        response = get_by_hash()

    assert response.status_code == 200
    assert response.json()["data"]["publications"]["items"]


def test_command_registers_nothing_when_a_query_is_invalid(db, tmp_path) -> None:
    good = tmp_path / "good.graphql"
    good.write_text(QUERY, encoding="utf-8")
    bad = tmp_path / "bad.graphql"
    bad.write_text("{ publications { nothingHere } }", encoding="utf-8")

    with pytest.raises(CommandError, match="nothingHere"):
        call_command("graphql_persist", str(good), str(bad))

    assert not PersistedQuery.objects.exists()


def test_command_reads_an_apollo_manifest(db, tmp_path) -> None:
    manifest = tmp_path / "persisted-query-manifest.json"
    operation = {"id": SHA, "name": "Catalogue", "type": "query", "body": QUERY}
    manifest.write_text(
        json.dumps(
            {"format": "apollo-persisted-query-manifest", "version": 1, "operations": [operation]}
        )
    )

    call_command("graphql_persist", str(manifest), stdout=io.StringIO())

    assert PersistedQuery.objects.get(sha256=SHA).query == QUERY


def variant(n: int) -> tuple[str, str]:
    """A query of its own: every variant of a document has a hash of its own."""
    query = f"{{ publications(perPage: {n}) {{ items {{ title }} }} }}"
    return query, hashlib.sha256(query.encode()).hexdigest()


@override_settings(GRAPHQL_PERSISTED_QUERIES_MAX=2)
def test_queries_registered_past_the_cap_push_the_oldest_out(db) -> None:
    hashes = []
    for n in (1, 2, 3):
        query, sha = variant(n)
        assert register(query, sha).status_code == 200
        hashes.append(sha)

    assert set(PersistedQuery.objects.values_list("sha256", flat=True)) == set(hashes[1:])
    # Gone from the cache too: the client is told to register it again, and can.
    assert codes(get_by_hash(hashes[0])) == ["PERSISTED_QUERY_NOT_FOUND"]
    assert get_by_hash(hashes[2]).status_code == 200
    assert register(*variant(1)).status_code == 200
    assert get_by_hash(hashes[0]).json()["data"]["publications"]["items"] == []


@override_settings(GRAPHQL_PERSISTED_QUERIES_MAX=1)
def test_queries_loaded_by_the_command_are_never_pushed_out(db, tmp_path) -> None:
    register()  # by a client first, then loaded at deploy time: pinned from then on
    path = tmp_path / "catalogue.graphql"
    path.write_text(QUERY, encoding="utf-8")
    call_command("graphql_persist", str(path), stdout=io.StringIO())

    for n in (1, 2, 3):
        register(*variant(n))

    assert PersistedQuery.objects.get(sha256=SHA).pinned
    assert PersistedQuery.objects.filter(pinned=False).count() == 1
    assert get_by_hash().status_code == 200


@override_settings(GRAPHQL_PERSISTED_QUERIES_MAX=1)
def test_a_dropped_query_sent_again_byte_for_byte_is_registered_again(db) -> None:
    register()
    invalidate_responses(purge_cdn=False)
    assert register().status_code == 200  # known by then: run, and its answer kept
    register(*variant(1))  # pushes QUERY out

    assert register().status_code == 200  # the same bytes as before, not a cached answer

    assert PersistedQuery.objects.filter(sha256=SHA).exists()
    assert get_by_hash().status_code == 200


def test_a_registration_pays_its_query_cost_even_when_its_answer_is_cached(db) -> None:
    spaced = QUERY.replace("{ ", "{  ")  # another spelling: another hash, the same answer
    register()
    with CaptureQueriesContext(connection) as ran:
        response = register(spaced, hashlib.sha256(spaced.encode()).hexdigest())

    assert response.status_code == 200
    assert any("wagtailcore_page" in query["sql"] for query in ran)  # run, not from the cache
    assert PersistedQuery.objects.count() == 2
