"""/graphql/ over HTTP: methods, media types, status codes and error codes.

Held to the GraphQL over HTTP draft (https://graphql.github.io/graphql-over-http/draft/) as
docs/graphql-http.md sums it up. The queries use `__typename` and the built-in @skip
directive only, so these tests do not depend on the root fields, which change with the
schema; an error "from a resolver" comes from a failing field middleware.
"""

from __future__ import annotations

import importlib.util
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client, override_settings
from graphql import GraphQLError, located_error

from cms import urls as cms_urls
from cms.api import limits as limits_module
from cms.api.errors import (
    BAD_REQUEST,
    BAD_USER_INPUT,
    GRAPHQL_PARSE_FAILED,
    GRAPHQL_VALIDATION_FAILED,
    INTERNAL_SERVER_ERROR,
    OPERATION_RESOLUTION_FAILURE,
    BadUserInput,
)
from cms.api.view import GraphQLHTTPView, forbid_caching

pytestmark = pytest.mark.django_db

URL = "/graphql/"
GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
TYPENAME = "{ __typename }"
# A required variable the document uses, so a missing or mistyped value is a coercion error.
SKIP_QUERY = "query Skip($skip: Boolean!) { __typename @skip(if: $skip) }"
SECRET = "connection to 10.0.0.5:9200 refused"
CODES = {
    BAD_REQUEST,
    BAD_USER_INPUT,
    GRAPHQL_PARSE_FAILED,
    GRAPHQL_VALIDATION_FAILED,
    INTERNAL_SERVER_ERROR,
    OPERATION_RESOLUTION_FAILURE,
}


# --- Helpers ---------------------------------------------------------------------------------


def post(
    client: Client,
    body: Any,
    *,
    accept: str | None = None,
    content_type: str = JSON,
    path: str = URL,
) -> HttpResponse:
    """POST `body` (JSON-encoded unless already a string) to the endpoint."""
    raw = body if isinstance(body, str) else json.dumps(body)
    headers = {"Accept": accept} if accept is not None else {}
    # CONTENT_TYPE is set directly: the test client drops it when the body is empty.
    return client.post(
        path, raw, content_type=content_type, headers=headers, CONTENT_TYPE=content_type
    )


def get(client: Client, params: dict[str, str], *, accept: str | None = None) -> HttpResponse:
    """GET the endpoint with `params` in the query string."""
    headers = {"Accept": accept} if accept is not None else {}
    return client.get(URL, params, headers=headers)


def media_type(response: HttpResponse) -> str:
    """The response's media type, without parameters."""
    return response["Content-Type"].split(";")[0].strip()


def codes(response: HttpResponse) -> list[str]:
    """The `extensions.code` of each error in the response, in order."""
    return [error["extensions"]["code"] for error in response.json()["errors"]]


@pytest.fixture
def failing_field() -> Iterator[Callable[[Exception], None]]:
    """Make every field resolution raise the given exception, as a broken resolver would.

    A graphql-core middleware runs around every resolver, `__typename`'s included, so this
    reaches the real execution path without registering a field.
    """
    patcher: Any = None

    def fail_with(exception: Exception) -> None:
        nonlocal patcher

        def middleware(next_: Callable[..., Any], root: Any, info: Any, **args: Any) -> Any:
            raise exception

        patcher = mock.patch.object(GraphQLHTTPView, "get_middleware", return_value=[middleware])
        patcher.start()

    yield fail_with
    if patcher is not None:
        patcher.stop()


# --- GET ---------------------------------------------------------------------------------------


def test_get_runs_a_query_from_the_query_string(client: Client) -> None:
    response = get(client, {"query": TYPENAME})

    assert response.status_code == 200
    assert media_type(response) == JSON
    assert response.json() == {"data": {"__typename": "Query"}}


def test_get_reads_json_variables_and_the_operation_name(client: Client) -> None:
    # One operation: a document with several is refused (cms.api.limits, MAX_OPERATIONS).
    query = SKIP_QUERY

    response = get(client, {"query": query, "variables": '{"skip": true}', "operationName": "Skip"})

    assert response.status_code == 200
    # Skipped: the variable was read (a missing Boolean! would be an error).
    assert response.json() == {"data": {}}


def test_get_operation_name_null_names_an_operation_called_null(client: Client) -> None:
    # Read as absent, "null" would run the document's one operation; read as a name, it
    # names none of them.
    query = "query other { __typename }"

    response = get(client, {"query": query, "operationName": "null"})

    assert response.status_code == 200
    assert codes(response) == [OPERATION_RESOLUTION_FAILURE]


def test_get_with_variables_that_are_not_json_is_400(client: Client) -> None:
    response = get(client, {"query": SKIP_QUERY, "variables": "{skip: true}"})

    assert response.status_code == 400
    assert media_type(response) == JSON
    assert codes(response) == [BAD_REQUEST]


def test_get_without_query_is_400(client: Client) -> None:
    response = get(client, {})

    assert response.status_code == 400
    assert media_type(response) == JSON
    assert codes(response) == [BAD_REQUEST]


@pytest.mark.parametrize("operation", ["mutation", "subscription"])
def test_get_with_a_non_query_operation_is_405_with_allow(client: Client, operation: str) -> None:
    response = get(client, {"query": f"{operation} {{ anything }}"})

    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"
    assert media_type(response) == JSON
    assert codes(response) == [BAD_REQUEST]


# --- POST --------------------------------------------------------------------------------------


def test_post_json_runs_the_query(client: Client) -> None:
    response = post(client, {"query": TYPENAME})

    assert response.status_code == 200
    assert media_type(response) == JSON
    assert response.json() == {"data": {"__typename": "Query"}}


def test_post_json_with_variables_and_operation_name(client: Client) -> None:
    body = {"query": SKIP_QUERY, "variables": {"skip": False}, "operationName": "Skip"}

    response = post(client, body)

    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


def test_post_ignores_unknown_body_properties(client: Client) -> None:
    response = post(client, {"query": TYPENAME, "id": "1", "somethingElse": [1, 2]})

    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


def test_post_reads_parameters_from_the_body_only(client: Client) -> None:
    response = post(client, {"query": TYPENAME}, path=f"{URL}?query=%7B%20nope%20%7D")

    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]
)
def test_post_form_data_is_415(client: Client, content_type: str) -> None:
    response = post(client, "query=%7B__typename%7D", content_type=content_type)

    assert response.status_code == 415
    assert media_type(response) == JSON
    assert codes(response) == [BAD_REQUEST]


def test_post_application_graphql_is_415(client: Client) -> None:
    response = post(client, TYPENAME, content_type="application/graphql")

    assert response.status_code == 415
    assert media_type(response) == JSON
    assert codes(response) == [BAD_REQUEST]


def test_post_without_content_type_is_415(client: Client) -> None:
    response = post(client, {"query": TYPENAME}, content_type="")

    assert response.status_code == 415
    assert media_type(response) == JSON
    assert codes(response) == [BAD_REQUEST]


def test_post_json_in_a_charset_other_than_utf8_is_415(client: Client) -> None:
    response = post(client, {"query": TYPENAME}, content_type="application/json; charset=latin-1")

    assert response.status_code == 415
    assert codes(response) == [BAD_REQUEST]


def test_post_json_declaring_utf8_is_accepted(client: Client) -> None:
    response = post(client, {"query": TYPENAME}, content_type="application/json; charset=UTF-8")

    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize("operation", ["mutation", "subscription"])
def test_post_with_a_non_query_operation_is_a_validation_error(
    client: Client, operation: str
) -> None:
    response = post(client, {"query": f"{operation} {{ anything }}"}, accept=GRAPHQL_RESPONSE)

    assert response.status_code == 400
    assert media_type(response) == GRAPHQL_RESPONSE
    assert codes(response) == [GRAPHQL_VALIDATION_FAILED]
    assert "data" not in response.json()


# --- Other methods -----------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "OPTIONS"])
def test_other_methods_are_405_with_allow(client: Client, method: str) -> None:
    response = client.generic(method, URL, json.dumps({"query": TYPENAME}), content_type=JSON)

    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"
    assert media_type(response) == JSON
    assert codes(response) == [BAD_REQUEST]


# --- Accept: application/graphql-response+json -------------------------------------------------


def test_graphql_response_json_is_answered_in_that_media_type(client: Client) -> None:
    response = post(client, {"query": TYPENAME}, accept=GRAPHQL_RESPONSE)

    assert response.status_code == 200
    assert media_type(response) == GRAPHQL_RESPONSE
    assert response.json() == {"data": {"__typename": "Query"}}


def test_graphql_response_json_parse_error_is_400(client: Client) -> None:
    response = post(client, {"query": "{"}, accept=GRAPHQL_RESPONSE)

    assert response.status_code == 400
    assert media_type(response) == GRAPHQL_RESPONSE
    assert codes(response) == [GRAPHQL_PARSE_FAILED]
    assert "data" not in response.json()


def test_graphql_response_json_validation_error_is_400(client: Client) -> None:
    response = post(client, {"query": "{ noSuchField }"}, accept=GRAPHQL_RESPONSE)

    assert response.status_code == 400
    assert media_type(response) == GRAPHQL_RESPONSE
    assert codes(response) == [GRAPHQL_VALIDATION_FAILED]
    assert "data" not in response.json()


def test_graphql_response_json_variable_coercion_error_is_400_bad_user_input(
    client: Client,
) -> None:
    body = {"query": SKIP_QUERY, "variables": {"skip": "yes"}}

    response = post(client, body, accept=GRAPHQL_RESPONSE)

    assert response.status_code == 400
    assert media_type(response) == GRAPHQL_RESPONSE
    assert codes(response) == [BAD_USER_INPUT]
    assert "data" not in response.json()


def test_graphql_response_json_unknown_operation_name_is_400(client: Client) -> None:
    response = post(client, {"query": TYPENAME, "operationName": "Nope"}, accept=GRAPHQL_RESPONSE)

    assert response.status_code == 400
    assert media_type(response) == GRAPHQL_RESPONSE
    assert codes(response) == [OPERATION_RESOLUTION_FAILURE]


def test_graphql_response_json_field_error_is_200_with_data(
    client: Client, failing_field: Callable[[Exception], None]
) -> None:
    failing_field(BadUserInput("perPage must be between 1 and 100.", argument="perPage"))

    response = post(client, {"query": TYPENAME}, accept=GRAPHQL_RESPONSE)

    assert response.status_code == 200
    assert media_type(response) == GRAPHQL_RESPONSE
    body = response.json()
    # `__typename` is non-null, so its error nulls the whole result; `data` is still there.
    assert body["data"] is None
    assert codes(response) == [BAD_USER_INPUT]


# --- Accept: application/json (legacy clients) -------------------------------------------------


def test_application_json_validation_error_is_200(client: Client) -> None:
    response = post(client, {"query": "{ noSuchField }"}, accept=JSON)

    assert response.status_code == 200
    assert media_type(response) == JSON
    assert codes(response) == [GRAPHQL_VALIDATION_FAILED]
    assert "data" not in response.json()


def test_application_json_parse_error_is_200(client: Client) -> None:
    response = post(client, {"query": "{"}, accept=JSON)

    assert response.status_code == 200
    assert media_type(response) == JSON
    assert codes(response) == [GRAPHQL_PARSE_FAILED]


def test_application_json_variable_coercion_error_is_200(client: Client) -> None:
    response = post(client, {"query": SKIP_QUERY, "variables": {}}, accept=JSON)

    assert response.status_code == 200
    assert media_type(response) == JSON
    assert codes(response) == [BAD_USER_INPUT]


def test_application_json_several_operations_are_200(client: Client) -> None:
    query = "query A { __typename } query B { __typename }"

    response = post(client, {"query": query}, accept=JSON)

    assert response.status_code == 200
    # One operation per request (cms.api.limits): a validation failure.
    assert codes(response) == [GRAPHQL_VALIDATION_FAILED]


# --- Content negotiation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, JSON),
        ("*/*", JSON),
        ("application/*", JSON),
        (JSON, JSON),
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        # What the spec tells clients to send.
        (f"{GRAPHQL_RESPONSE}, {JSON};q=0.9", GRAPHQL_RESPONSE),
        # Equal q-values, both named: the spec's type.
        (f"{JSON}, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),
        # The client's q-values decide, whatever the order.
        (f"{GRAPHQL_RESPONSE};q=0.5, {JSON}", JSON),
        (f"{JSON};q=0.2, {GRAPHQL_RESPONSE};q=0.8", GRAPHQL_RESPONSE),
        # A named type beats a wildcard of the same q.
        (f"{JSON}, */*", JSON),
        (f"{GRAPHQL_RESPONSE}, */*", GRAPHQL_RESPONSE),
        # q=0 means "not this one".
        (f"{GRAPHQL_RESPONSE};q=0, */*", JSON),
        # A browser's default.
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", JSON),
    ],
)
def test_the_response_media_type_follows_the_accept_header(
    client: Client, accept: str | None, expected: str
) -> None:
    response = get(client, {"query": TYPENAME}, accept=accept)

    assert response.status_code == 200
    assert media_type(response) == expected


@pytest.mark.parametrize("accept", ["text/html", "image/png, text/*", f"{JSON};q=0"])
def test_an_accept_header_naming_neither_media_type_is_406(client: Client, accept: str) -> None:
    response = get(client, {"query": TYPENAME}, accept=accept)

    assert response.status_code == 406
    assert media_type(response) == JSON
    assert codes(response) == [BAD_REQUEST]


def test_the_content_type_names_the_utf8_charset(client: Client) -> None:
    response = get(client, {"query": TYPENAME}, accept=GRAPHQL_RESPONSE)

    assert response["Content-Type"] == f"{GRAPHQL_RESPONSE}; charset=utf-8"


def test_responses_vary_on_accept(client: Client) -> None:
    response = get(client, {"query": TYPENAME})

    assert "Accept" in [field.strip() for field in response["Vary"].split(",")]


# --- Malformed requests: 400 whatever the Accept header ----------------------------------------


def test_a_batch_is_400(client: Client) -> None:
    response = post(client, [{"query": TYPENAME}, {"query": TYPENAME}])

    assert response.status_code == 400
    assert media_type(response) == JSON
    assert codes(response) == [BAD_REQUEST]
    assert "one operation per request" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize("variables", [[7], "skip=true", 3, True])
def test_variables_that_are_not_an_object_are_400(client: Client, variables: Any) -> None:
    response = post(client, {"query": SKIP_QUERY, "variables": variables}, accept=GRAPHQL_RESPONSE)

    assert response.status_code == 400
    assert media_type(response) == GRAPHQL_RESPONSE
    assert codes(response) == [BAD_REQUEST]


def test_null_variables_are_absent_variables(client: Client) -> None:
    response = post(client, {"query": TYPENAME, "variables": None, "extensions": None})

    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize("extensions", [[], "persistedQuery", 1])
def test_extensions_that_are_not_an_object_are_400(client: Client, extensions: Any) -> None:
    response = post(client, {"query": TYPENAME, "extensions": extensions})

    assert response.status_code == 400
    assert codes(response) == [BAD_REQUEST]


@pytest.mark.parametrize(
    "body",
    [
        "NONSENSE",
        '{"query":',
        "",
        '{"query": "{ __typename }", "variables": {"skip": NaN}}',
        # Nested deeper than Python's recursion limit: a RecursionError, not a ValueError.
        # (Under the body size limit of cms.api.limits.)
        "[" * 5_000 + "]" * 5_000,
        # More digits than Python converts to an int.
        '{"query": "{ __typename }", "variables": {"n": ' + "9" * 5_000 + "}}",
    ],
    ids=["nonsense", "truncated", "empty", "nan", "deep", "many-digits"],
)
@pytest.mark.parametrize("accept", [JSON, GRAPHQL_RESPONSE])
def test_malformed_json_is_400(client: Client, body: str, accept: str) -> None:
    response = post(client, body, accept=accept)

    assert response.status_code == 400
    assert media_type(response) == accept
    assert codes(response) == [BAD_REQUEST]


def test_a_body_that_is_not_utf8_is_400(client: Client) -> None:
    response = client.post(URL, '{"query": "{ __typename }"}'.encode("utf-16"), content_type=JSON)

    assert response.status_code == 400
    assert codes(response) == [BAD_REQUEST]


@pytest.mark.parametrize("body", ["3", '"{ __typename }"', "null"])
def test_a_body_that_is_not_an_object_is_400(client: Client, body: str) -> None:
    response = post(client, body)

    assert response.status_code == 400
    assert codes(response) == [BAD_REQUEST]


@pytest.mark.parametrize("accept", [JSON, GRAPHQL_RESPONSE])
def test_missing_query_is_400(client: Client, accept: str) -> None:
    response = post(client, {"qeury": TYPENAME}, accept=accept)

    assert response.status_code == 400
    assert media_type(response) == accept
    assert codes(response) == [BAD_REQUEST]


@pytest.mark.parametrize("query", [1, ["{ __typename }"], {"q": 1}])
def test_a_query_that_is_not_a_string_is_400(client: Client, query: Any) -> None:
    response = post(client, {"query": query})

    assert response.status_code == 400
    assert codes(response) == [BAD_REQUEST]


def test_an_operation_name_that_is_not_a_string_is_400(client: Client) -> None:
    response = post(client, {"query": TYPENAME, "operationName": 1})

    assert response.status_code == 400
    assert codes(response) == [BAD_REQUEST]


def test_an_empty_query_string_is_a_parse_error(client: Client) -> None:
    # A string, so a well-formed request (the spec): the document just does not parse.
    response = post(client, {"query": ""}, accept=GRAPHQL_RESPONSE)

    assert response.status_code == 400
    assert codes(response) == [GRAPHQL_PARSE_FAILED]


def test_a_huge_number_for_a_variable_is_bad_user_input(client: Client) -> None:
    # 1e400 is valid JSON that Python reads as infinity.
    body = '{"query": "' + SKIP_QUERY + '", "variables": {"skip": 1e400}}'

    response = post(client, body, accept=GRAPHQL_RESPONSE)

    assert response.status_code == 400
    assert codes(response) == [BAD_USER_INPUT]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1_000)
def test_a_body_over_the_upload_limit_is_413(client: Client) -> None:
    response = post(client, {"query": "{ __typename }" + " " * 2_000})

    assert response.status_code == 413
    assert codes(response) == [BAD_REQUEST]


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=3)
def test_a_query_string_over_the_field_limit_is_400(client: Client) -> None:
    response = client.get(f"{URL}?query=%7B__typename%7D&a=1&b=2&c=3&d=4")

    assert response.status_code == 400
    assert media_type(response) == JSON
    assert codes(response) == [BAD_REQUEST]


def test_an_unused_fragment_is_a_validation_error(client: Client) -> None:
    # grapple switches this spec rule off process-wide; the endpoint applies it again.
    query = "fragment Unused on Query { __typename } query { __typename }"

    response = post(client, {"query": query}, accept=GRAPHQL_RESPONSE)

    assert response.status_code == 400
    assert codes(response) == [GRAPHQL_VALIDATION_FAILED]
    assert "Unused" in response.json()["errors"][0]["message"]


# --- Error codes and masking -------------------------------------------------------------------


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"method": "PUT"},
        {"accept": "text/html"},
        {"content_type": "application/graphql", "body": TYPENAME},
        {"body": "NONSENSE"},
        {"body": {"query": "{"}},
        {"body": {"query": "{ a b c }"}},
        {"body": {"query": "mutation { a }"}},
        {"body": {"query": SKIP_QUERY, "variables": {"skip": 1}}},
        {"body": {"query": TYPENAME, "operationName": "Nope"}},
        {"body": {"query": "fragment F on Nope { a } { __typename }"}},
    ],
    ids=repr,
)
def test_every_error_carries_a_code(client: Client, request_kwargs: dict[str, Any]) -> None:
    if request_kwargs.get("method") == "PUT":
        response = client.put(URL, json.dumps({"query": TYPENAME}), content_type=JSON)
    else:
        response = post(
            client,
            request_kwargs.get("body", {"query": TYPENAME}),
            accept=request_kwargs.get("accept"),
            content_type=request_kwargs.get("content_type", JSON),
        )

    errors = response.json()["errors"]
    assert errors
    assert all(error["extensions"]["code"] in CODES for error in errors), errors


def test_an_unexpected_resolver_error_is_masked_and_logged(
    client: Client, failing_field: Callable[[Exception], None], caplog: pytest.LogCaptureFixture
) -> None:
    failing_field(ValueError(SECRET))

    with caplog.at_level(logging.ERROR, logger="cms.api"):
        response = post(client, {"query": TYPENAME}, accept=GRAPHQL_RESPONSE)

    assert response.status_code == 200
    assert media_type(response) == GRAPHQL_RESPONSE
    assert SECRET not in response.content.decode()
    assert "10.0.0.5" not in response.content.decode()
    [error] = response.json()["errors"]
    error_id = error["extensions"]["errorId"]
    assert error["extensions"]["code"] == INTERNAL_SERVER_ERROR
    request_id = error["extensions"]["requestId"]
    assert (
        error["message"] == f"Internal server error (error id {error_id}, request id {request_id})"
    )
    assert error["path"] == ["__typename"]
    [record] = [record for record in caplog.records if record.name == "cms.api"]
    assert error_id in record.getMessage()
    assert record.exc_info is not None
    assert str(record.exc_info[1]) == SECRET


def test_a_bad_user_input_from_a_resolver_keeps_its_message_and_argument(
    client: Client, failing_field: Callable[[Exception], None]
) -> None:
    failing_field(BadUserInput("perPage must be between 1 and 100.", argument="perPage"))

    response = post(client, {"query": TYPENAME})

    assert response.status_code == 200
    [error] = response.json()["errors"]
    assert error["message"] == "perPage must be between 1 and 100."
    assert error["extensions"] == {"code": BAD_USER_INPUT, "argument": "perPage"}


def test_format_error_masks_an_exception_wrapped_by_graphql_core(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # What graphql-core makes of a ValueError raised by a resolver.
    error = located_error(ValueError(SECRET), None, ["publications", 0, "title"])

    with caplog.at_level(logging.ERROR, logger="cms.api"):
        formatted = GraphQLHTTPView.format_error(error)

    assert SECRET not in json.dumps(formatted)
    assert formatted["extensions"]["code"] == INTERNAL_SERVER_ERROR
    assert formatted["path"] == ["publications", 0, "title"]
    assert formatted["extensions"]["errorId"] in caplog.text
    assert SECRET in caplog.text


def test_format_error_gives_an_uncoded_graphql_error_the_internal_code() -> None:
    formatted = GraphQLHTTPView.format_error(GraphQLError("Cannot return null for a field."))

    assert formatted == {
        "message": "Cannot return null for a field.",
        "extensions": {"code": INTERNAL_SERVER_ERROR},
    }


def test_a_failure_outside_execution_is_a_masked_json_500(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    broken = mock.patch.object(limits_module, "validate", side_effect=RuntimeError(SECRET))
    limits_module._VALID.clear()  # a document validated by an earlier test is not validated again

    with broken, caplog.at_level(logging.ERROR, logger="cms.api"):
        response = post(client, {"query": TYPENAME}, accept=GRAPHQL_RESPONSE)

    assert response.status_code == 500
    assert media_type(response) == JSON
    assert SECRET not in response.content.decode()
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == INTERNAL_SERVER_ERROR
    assert error["extensions"]["errorId"] in caplog.text
    assert SECRET in caplog.text


# --- CSRF and cookies --------------------------------------------------------------------------


def test_post_needs_no_csrf_token_and_sets_no_cookie() -> None:
    client = Client(enforce_csrf_checks=True)

    response = post(client, {"query": TYPENAME})

    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}
    assert not response.cookies


# --- Caching -----------------------------------------------------------------------------------


def test_a_resolver_can_forbid_caching_of_the_answer(client: Client) -> None:
    def middleware(next_: Callable[..., Any], root: Any, info: Any, **args: Any) -> Any:
        forbid_caching(info.context)
        return next_(root, info, **args)

    with mock.patch.object(GraphQLHTTPView, "get_middleware", return_value=[middleware]):
        response = get(client, {"query": TYPENAME})

    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}
    assert "no-store" in response["Cache-Control"]


def test_an_answer_is_not_marked_no_store_unless_a_resolver_asks(client: Client) -> None:
    response = get(client, {"query": TYPENAME})

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


# --- GraphiQL ----------------------------------------------------------------------------------


def test_graphiql_page_points_at_the_graphql_endpoint(client: Client) -> None:
    assert settings.GRAPPLE["EXPOSE_GRAPHIQL"], "the test settings expose GraphiQL"

    response = client.get("/graphiql/")

    assert response.status_code == 200
    assert f"'{URL}'" in response.content.decode()


def test_graphiql_is_not_routed_when_not_exposed() -> None:
    with override_settings(GRAPPLE={**settings.GRAPPLE, "EXPOSE_GRAPHIQL": False}):
        # A fresh copy of cms/urls.py, so the project's URLconf is left alone.
        spec = importlib.util.spec_from_file_location("urls_without_graphiql", cms_urls.__file__)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)

    names = {getattr(pattern, "name", None) for pattern in module.urlpatterns}
    assert "grapple_graphql" in names
    assert "grapple_graphiql" not in names
