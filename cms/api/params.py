"""The GraphQL parameters of an HTTP request, read and type-checked as GraphQL over HTTP asks.

GET reads the query string only; POST reads a JSON object sent as `application/json` in
UTF-8 (415 otherwise). A request that breaks these rules is refused (`RequestRefused`) with
its HTTP status before any GraphQL is read. docs/graphql-http.md has the rules for clients.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NoReturn

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest

from .errors import RequestRefused
from .limits import limits
from .negotiation import APPLICATION_JSON

ALLOWED_METHODS = ("GET", "POST")


def refuse(status: int, message: str, **kwargs: Any) -> NoReturn:
    raise RequestRefused(status, message, **kwargs)


@dataclass(frozen=True)
class GraphQLParams:
    """A request's `query`, `variables` and `operationName`, each of the type the spec asks."""

    query: str
    variables: dict[str, Any] | None
    operation_name: str | None


def read_body(request: HttpRequest) -> dict[str, Any]:
    """The request's GraphQL parameters, before their types are checked.

    GET: from the query string, `variables` and `extensions` decoded from JSON.
    POST: from the body, which must be a JSON object sent as `application/json` in UTF-8;
    form data and `application/graphql` are refused (415): they make a "simple" request
    that a browser sends cross-site without a CORS preflight.
    """
    max_bytes = limits()["MAX_BODY_BYTES"]
    if request.method == "GET":
        return _query_string(request, max_bytes)
    if request.content_type != APPLICATION_JSON:
        sent = request.content_type or "no Content-Type"
        refuse(415, f"Unsupported media type {sent}: POST a JSON body as {APPLICATION_JSON}.")
    charset = request.content_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        refuse(415, f"Unsupported charset {charset}: send the body in UTF-8.")
    body = _loads(_body_text(request, max_bytes), "The body")
    if isinstance(body, list):
        refuse(400, "Batching is not supported: send one operation per request.")
    if not isinstance(body, dict):
        refuse(400, "The body must be a JSON object with a query.")
    return body


def _query_string(request: HttpRequest, max_bytes: int) -> dict[str, Any]:
    if len(request.META.get("QUERY_STRING", "")) > max_bytes:
        # 414, not 413: there is no body, the URI is what is too long.
        refuse(414, f"The query string is longer than {max_bytes} bytes: POST the query.")
    try:
        params = request.GET
    except SuspiciousOperation:
        # Django's limit on the number of fields (TooManyFieldsSent).
        refuse(400, "The query string has too many parameters.")
    data: dict[str, Any] = {
        name: params[name]
        for name in ("query", "operationName", "variables", "extensions")
        # The spec: an empty optional parameter is an absent one.
        if name in params and (name == "query" or params[name] != "")
    }
    for name in ("variables", "extensions"):
        if name in data:
            data[name] = _loads(data[name], f"The {name} parameter")
    return data


def _body_text(request: HttpRequest, max_bytes: int) -> str:
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    # Content-Length is checked first so that an oversized body is not even read.
    if declared > max_bytes:
        refuse(413, f"The body is larger than {max_bytes} bytes.")
    try:
        raw = request.body
    except RequestDataTooBig:
        refuse(413, "The body is too large.")
    if len(raw) > max_bytes:
        refuse(413, f"The body is larger than {max_bytes} bytes.")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        refuse(400, "The body is not valid UTF-8.")


def _loads(text: str, what: str) -> Any:
    """Strict JSON: no NaN or Infinity, and nesting or digits that overflow are a 400, not a 500."""

    def refuse_constant(name: str) -> NoReturn:
        raise ValueError(f"{name} is not JSON")

    try:
        return json.loads(text, parse_constant=refuse_constant)
    except (ValueError, RecursionError):
        refuse(400, f"{what} is not valid JSON.")


def graphql_params(data: Mapping[str, Any]) -> GraphQLParams:
    """The parameters, each checked for the type the spec asks for.

    A request failing these checks is not a well-formed GraphQL-over-HTTP request: 400
    whatever the Accept header. Unknown properties are ignored, as the spec requires.
    """
    query = data.get("query")
    if query is None:
        refuse(400, "The query parameter is missing.")
    if not isinstance(query, str):
        refuse(400, "The query parameter must be a string.")
    operation_name = data.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        refuse(400, "The operationName parameter must be a string.")
    variables = data.get("variables")
    if variables is not None and not isinstance(variables, dict):
        refuse(400, "The variables parameter must be a JSON object.")
    extensions = data.get("extensions")
    if extensions is not None and not isinstance(extensions, dict):
        refuse(400, "The extensions parameter must be a JSON object.")
    return GraphQLParams(query, variables, operation_name or None)
