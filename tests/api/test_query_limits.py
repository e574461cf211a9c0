"""The limits of /graphql/ (cms/api/limits.py): every abusive request is refused before it runs.

Each refusal is checked for its status, its `extensions.code` and that no SQL ran: the point
of a limit is that the database never sees the request. docs/graphql-http.md ("Limits")
describes them for front-end developers.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from graphene_django.settings import graphene_settings
from graphql import GraphQLError, parse

from cms.api.deadline import QUERY_TIMEOUT, ExecutionGuards
from cms.api.errors import BAD_REQUEST, GRAPHQL_VALIDATION_FAILED
from cms.api.limits import DEFAULT_LIMITS, check_document, limits
from cms.api.media_urls import resolve_on_request_host
from cms.api.query_cost import measure_document

pytestmark = pytest.mark.django_db

URL = "/graphql/"
GRAPHQL_RESPONSE = "application/graphql-response+json"
DOC = Path(__file__).resolve().parents[2] / "docs" / "graphql.md"
EXAMPLES = re.findall(r"```graphql\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
# Everything but the limit under test raised out of the way, so that limit is the one hit.
LOOSE = {
    **DEFAULT_LIMITS,
    "MAX_BODY_BYTES": 1_000_000,
    "MAX_TOKENS": 100_000,
    "MAX_ALIASES": 100_000,
    "MAX_DEPTH": 1_000,
    "MAX_LIST_NESTING": 1_000,
    "MAX_COST": 10**30,
}


def loose(**overrides: Any) -> dict[str, Any]:
    """Settings with every limit out of the way but those given."""
    return {**LOOSE, **overrides}


def post(client: Client, query: str, **body: Any) -> HttpResponse:
    return client.post(
        URL,
        json.dumps({"query": query, **body}),
        content_type="application/json",
        headers={"Accept": GRAPHQL_RESPONSE},
    )


def refused(
    client: Client, query: str, *, status: int = 400, code: str = GRAPHQL_VALIDATION_FAILED
) -> list[str]:
    """POST `query`, check that it is refused as `status` and `code` without any SQL;
    returns the error messages."""
    with CaptureQueriesContext(connection) as queries:
        response = post(client, query)

    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(GRAPHQL_RESPONSE)
    answer = response.json()
    assert "data" not in answer
    assert [error["extensions"]["code"] for error in answer["errors"]] == [code] * len(
        answer["errors"]
    )
    assert len(queries) == 0, [query["sql"] for query in queries.captured_queries]
    return [error["message"] for error in answer["errors"]]


def nested(field: str, levels: int, leaf: str) -> str:
    """`field { field { … leaf } }`, `levels` deep."""
    return f"{field} {{ " * levels + leaf + " }" * levels


# --- Depth, lists and cost -----------------------------------------------------------------------


def test_deep_nesting_is_refused(client: Client) -> None:
    query = '{ page(urlPath: "/") { ' + nested("parent", 20, "title") + " } }"

    messages = refused(client, query)

    assert any("22 fields deep, more than 10" in message for message in messages)


@override_settings(GRAPHQL_LIMITS=loose(MAX_LIST_NESTING=3))
def test_lists_inside_lists_are_refused(client: Client) -> None:
    query = "{ publications { items { " + nested("children", 3, "title") + " } } }"

    assert refused(client, query) == ["The query nests 4 lists one inside another, more than 3."]


def test_a_huge_list_cost_is_refused_before_running(client: Client) -> None:
    query = (
        "{ publications(perPage: 100) { items { children(limit: 100) { "
        "children(limit: 100) { title } } } } }"
    )

    response_messages = refused(client, query)

    # Each object in a list costs 1 and a leaf nothing; from the inside out: children of
    # children 1 + 100 * 1 = 101, children 1 + 100 * (1 + 101) = 10201,
    # items 1 + 100 * (1 + 10201) = 1020201, publications 1 + that.
    assert response_messages == [
        "The query's estimated cost is 1020202, more than 1000: ask for fewer items per list, "
        "or fewer lists."
    ]


def test_the_cost_counts_variables_and_comes_with_the_refusal(client: Client) -> None:
    query = (
        "query Big($n: Int = 100) { publications(perPage: $n) { items { "
        "children(limit: 100) { parent { title } } } } }"
    )
    with CaptureQueriesContext(connection) as queries:
        response = post(client, query, variables={"n": 100})

    assert response.status_code == 400
    # publications 1, items 1 + 100 * (1 item + children 1 + 100 * (1 child + parent 1)).
    assert response.json()["errors"][0]["extensions"]["cost"] == 1 + 1 + 100 * (1 + 1 + 100 * 2)
    assert len(queries) == 0


def test_a_lists_facets_cost_the_same_whatever_the_page_size(client: Client) -> None:
    facets = "facets { name values { value count } }"

    def publications(per_page: int, selection: str) -> str:
        return f"{{ publications(perPage: {per_page}) {{ {selection} }} }}"

    def cost(per_page: int, selection: str) -> int:
        query = publications(per_page, selection)
        schema = graphene_settings.SCHEMA.graphql_schema
        return measure_document(schema, parse(query), None, limits()).measure.cost

    # facets: 1 + 20 (FIELD_COSTS: its GROUP BYs read the whole list) + 10 facets (the
    # default list size) * (1 + values 1 + 10 * 1); its values are not a page's items.
    assert cost(5, facets) == cost(100, facets) == 1 + 1 + 20 + 10 * (1 + 1 + 10)
    assert cost(100, "items { title } " + facets) == 1 + (1 + 100) + 21 + 10 * 12
    # Ten aliased facets of one list are refused; a page of 100 items with facets is not.
    many = " ".join(f"f{n}: facets {{ values {{ count }} }}" for n in range(10))
    assert refused(client, publications(1, many)) == [
        f"The query's estimated cost is {1 + 10 * (21 + 10 * (1 + 1 + 10))}, more than 1000: "
        "ask for fewer items per list, or fewer lists."
    ]
    assert "errors" not in post(client, publications(100, "items { title } " + facets)).json()


# --- Fragments -------------------------------------------------------------------------------


def test_a_self_referencing_fragment_is_refused(client: Client) -> None:
    query = '{ page(urlPath: "/") { ...Up } } fragment Up on PageInterface { parent { ...Up } }'

    messages = refused(client, query)

    assert "Cannot spread fragment 'Up' within itself." in messages


def test_mutually_recursive_fragments_are_refused(client: Client) -> None:
    query = (
        '{ page(urlPath: "/") { ...A } } '
        "fragment A on PageInterface { parent { ...B } } "
        "fragment B on PageInterface { children { ...A } }"
    )

    messages = refused(client, query)

    assert any("Cannot spread fragment 'A' within itself via 'B'." in m for m in messages)


def test_a_fragment_bomb_is_refused_in_linear_time(client: Client) -> None:
    # F9 expands into 10^9 `topics` fields: counted through a memo, never expanded.
    fragments = ["fragment F0 on Query { topics { slug } }"]
    for level in range(1, 10):
        fragments.append(f"fragment F{level} on Query {{ " + f"...F{level - 1} " * 10 + "}")
    query = "{ ...F9 } " + " ".join(fragments)

    started = time.perf_counter()
    messages = refused(client, query)

    # Not a speed target: expanded, the bomb would take hours, so any bound tells the two apart.
    assert time.perf_counter() - started < 10.0

    assert messages == [
        f"The query's estimated cost is {11 * 10**9}, more than 1000: ask for fewer items per "
        "list, or fewer lists."
    ]


def test_an_unknown_fragment_is_refused(client: Client) -> None:
    assert refused(client, '{ page(urlPath: "/") { ...Nowhere } }') == [
        "Unknown fragment 'Nowhere'."
    ]


# --- Aliases, operations, tokens, size ------------------------------------------------------


ALIAS_FLOOD = (
    "{ "
    + " ".join(
        f"a{n}: publications(perPage: 100) {{ pagination {{ total }} }}" for n in range(1_000)
    )
    + " }"
)


def test_an_alias_flood_is_too_big_to_be_read(client: Client) -> None:
    assert len(ALIAS_FLOOD.encode()) > limits()["MAX_BODY_BYTES"]

    refused(client, ALIAS_FLOOD, status=413, code=BAD_REQUEST)


@override_settings(GRAPHQL_LIMITS=loose(MAX_ALIASES=30))
def test_an_alias_flood_is_refused(client: Client) -> None:
    assert refused(client, ALIAS_FLOOD) == ["The document has 1000 aliases, more than 30."]


def test_two_operations_in_one_document_are_refused(client: Client) -> None:
    query = "query A { __typename } query B { __typename }"
    with CaptureQueriesContext(connection) as queries:
        response = post(client, query, operationName="A")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "message": "The document defines 2 operations: send one operation per request.",
            "extensions": {"code": GRAPHQL_VALIDATION_FAILED},
        }
    ]
    assert len(queries) == 0


def test_an_oversized_body_is_413(client: Client) -> None:
    query = "{ __typename }" + " " * 20_000

    assert refused(client, query, status=413, code=BAD_REQUEST) == [
        "The body is larger than 20000 bytes."
    ]


def test_an_oversized_query_string_is_414(client: Client) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"query": "{ __typename }" + " " * 20_000})

    assert response.status_code == 414
    assert response.json()["errors"][0]["extensions"]["code"] == BAD_REQUEST
    assert len(queries) == 0


def test_too_many_tokens_are_refused(client: Client) -> None:
    query = "{ " + "title " * 2_000 + "}"

    assert refused(client, query) == ["The document has more than 2000 tokens."]


def test_braces_nested_past_the_parsers_stack_are_refused(client: Client) -> None:
    # Under the token limit, but deeper than graphql-core's recursive parser can go.
    query = "{ a " * 600 + "}" * 600

    assert refused(client, query) == ["The document is nested too deeply."]


# --- Strings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        '{ publications(topic: "\\u0000") { items { title } } }',
        '{ search(query: "drug", topics: ["a\\u0000"]) { total } }',
        '{ search(query: "a\\u0000b") { total } }',
    ],
)
def test_a_nul_character_in_a_string_is_refused(client: Client, query: str) -> None:
    # PostgreSQL refuses it in any text it is sent: it must never reach a query.
    assert refused(client, query, code="BAD_USER_INPUT") == [
        "Strings cannot contain the NUL character (U+0000)."
    ]


def test_a_nul_character_in_a_variable_is_refused(client: Client) -> None:
    query = "query ($t: String) { publications(topic: $t) { items { title } } }"
    with CaptureQueriesContext(connection) as queries:
        response = post(client, query, variables={"t": "drugs\x00"})

    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert len(queries) == 0


# --- The limits pass, remembered --------------------------------------------------------------


def test_a_passed_document_is_walked_once_whatever_its_other_variables(monkeypatch) -> None:
    # An item's slug changes with each request; its cost depends only on perPage and limit.
    from cms.api import limits as limits_module

    schema = graphene_settings.SCHEMA.graphql_schema
    document = parse(
        "query ($slug: String, $n: Int, $other: Int) { publication(slug: $slug) { title "
        "children(limit: $n) { title } } publications(perPage: $other) { items { title } } }"
    )
    walks = []
    real_validate = limits_module.validate
    monkeypatch.setattr(
        limits_module, "validate", lambda *args: walks.append(1) or real_validate(*args)
    )
    config = limits()

    first = check_document(schema, document, {"slug": "a", "n": 5, "other": 2}, config)
    again = check_document(schema, document, {"slug": "b", "n": 5, "other": 2}, config)
    assert first == again == ([], first[1])
    assert len(walks) == 1
    # A size variable's value is read: a new one is measured, and costs what it says.
    bigger = check_document(schema, document, {"slug": "b", "n": 50, "other": 2}, config)
    assert len(walks) == 2
    assert bigger[1] == first[1] + 45
    other = check_document(schema, document, {"slug": "b", "n": 5, "other": 20}, config)
    assert len(walks) == 3
    assert other[1] == first[1] + 18


def test_a_nul_character_in_a_variable_is_refused_after_the_same_document_passed() -> None:
    schema = graphene_settings.SCHEMA.graphql_schema
    document = parse("query ($slug: String) { publication(slug: $slug) { title } }")
    config = limits()
    assert check_document(schema, document, {"slug": "fine"}, config)[0] == []

    errors, _cost = check_document(schema, document, {"slug": "bad\x00"}, config)

    assert [error.extensions["code"] for error in errors] == ["BAD_USER_INPUT"]


def test_a_nul_character_in_an_unused_variable_is_refused_over_http(client: Client) -> None:
    # `x` is not declared: graphql-core ignores it, the NUL check does not.
    query = "query ($slug: String) { publication(slug: $slug) { title } }"
    assert post(client, query, variables={"slug": "a", "x": "fine"}).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = post(client, query, variables={"slug": "a", "x": "no\x00"})

    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert len(queries) == 0


# --- Introspection and suggestions ----------------------------------------------------------


@override_settings(GRAPHQL_INTROSPECTION=False)
def test_introspection_can_be_switched_off(client: Client) -> None:
    messages = refused(client, "{ __schema { types { name } } }")

    assert messages[0] == (
        "GraphQL introspection has been disabled, but the requested query contained the "
        "field '__schema'."
    )


@override_settings(GRAPHQL_INTROSPECTION=False)
def test_typename_works_without_introspection(client: Client) -> None:
    response = post(client, "{ __typename }")

    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


def test_introspection_is_on_by_default_in_tests(client: Client) -> None:
    response = post(client, '{ __type(name: "Query") { name } }')

    assert response.json() == {"data": {"__type": {"name": "Query"}}}


@override_settings(GRAPHQL_SUGGESTIONS=False)
def test_suggestions_can_be_stripped(client: Client) -> None:
    assert refused(client, "{ publication { title } topic { slug } }") == [
        "Cannot query field 'topic' on type 'Query'."
    ]


@override_settings(GRAPHQL_SUGGESTIONS=True)
def test_suggestions_are_given_where_allowed(client: Client) -> None:
    messages = refused(client, "{ topic { slug } }")

    assert messages[0].startswith("Cannot query field 'topic' on type 'Query'. Did you mean")


# --- Time ------------------------------------------------------------------------------------


@override_settings(GRAPHQL_LIMITS={"TIMEOUT_SECONDS": -1})
def test_a_query_past_its_deadline_stops_with_one_coded_error(client: Client) -> None:
    response = post(client, "{ a: __typename b: __typename }")

    assert response.status_code == 200
    answer = response.json()
    assert answer["data"] is None
    assert [error["extensions"]["code"] for error in answer["errors"]] == [QUERY_TIMEOUT]


def test_the_deadline_is_checked_between_fields() -> None:
    now = [0.0]
    schema = graphene_settings.SCHEMA.graphql_schema
    guards = ExecutionGuards(schema=schema, seconds=5, max_new_renditions=4, clock=lambda: now[0])

    def resolve(root, info):
        return "ok"

    assert guards.get_field_resolver(resolve)(None, None) == "ok"
    now[0] = 5.1
    with pytest.raises(GraphQLError, match="longer than 5 s") as stopped:
        guards.get_field_resolver(resolve)(None, None)
    assert stopped.value.extensions == {"code": QUERY_TIMEOUT}


def test_only_the_fields_that_make_renditions_are_wrapped_by_the_budget() -> None:
    schema = graphene_settings.SCHEMA.graphql_schema
    guards = ExecutionGuards(schema=schema, seconds=5, max_new_renditions=4)
    image_fields = schema.type_map["ImageObjectType"].fields

    def resolve(root, info):
        return "ok"

    assert guards.get_field_resolver(resolve) is resolve
    rendition = guards.get_field_resolver(image_fields["rendition"].resolve)
    assert rendition.func == guards.renditions.resolve
    # srcSet's URLs are also moved to the request's host, outside the budget (which may answer
    # from existing renditions without calling grapple).
    src_set = guards.get_field_resolver(image_fields["srcSet"].resolve)
    assert src_set.func == resolve_on_request_host
    assert src_set.args[0].func == guards.renditions.resolve


# --- Front ends stay well under the limits --------------------------------------------------


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda q: re.search(r"query (\w+)", q)[1])
def test_documented_queries_are_under_every_limit(example: str) -> None:
    config = limits()
    schema = graphene_settings.SCHEMA.graphql_schema
    document = parse(example, max_tokens=config["MAX_TOKENS"])

    errors, cost = check_document(schema, document, {"token": "x"}, config)

    assert errors == []
    # A front end's richest page (20 items with cover, topics, downloads) stays within it.
    assert cost <= config["MAX_COST"]
    assert len(json.dumps({"query": example}).encode()) < config["MAX_BODY_BYTES"] // 4
