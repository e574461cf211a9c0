"""The GraphQL endpoint, /graphql/: a plain Django view serving GraphQL over HTTP, queries only.

It negotiates the media type (cms.api.negotiation), reads the parameters (cms.api.params),
answers from the response cache (cms.api.cache) or runs the request (cms.api.steps), and
answers even its own failures with a JSON GraphQL response, masked (cms.api.errors), without
cookies. What clients see: docs/graphql-http.md; the spec:
https://graphql.github.io/graphql-over-http/draft/.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from graphene_django.settings import graphene_settings
from graphene_django.utils.utils import set_rollback
from graphene_django.views import instantiate_middleware

from cms.logs import note_cache, note_operation

from . import cache as response_cache
from . import persisted, steps
from .context import api_context
from .errors import RETRY_AFTER_SECONDS, format_error, is_database_outage, service_unavailable
from .negotiation import APPLICATION_JSON, GRAPHQL_RESPONSE_JSON, negotiate_media_type
from .params import (
    ALLOWED_METHODS,
    GraphQLParams,
    RequestRefused,
    graphql_params,
    read_body,
    refuse,
)


def forbid_caching(request: HttpRequest) -> None:
    """Make the answer to this GraphQL request uncacheable (`Cache-Control: no-store`).

    For resolvers that give out what no cache may keep, such as a draft shown through a
    preview token: only the view sees the response, so a resolver marks the request
    (`info.context`) instead.
    """
    api_context(request).no_store = True


@method_decorator(csrf_exempt, name="dispatch")
class GraphQLHTTPView(View):
    """GraphQL over HTTP for the schema in settings.GRAPHENE["SCHEMA"]: queries only.

    A new instance serves each request (View.as_view), so its attributes are per request.
    """

    # The negotiated response type; application/json until negotiation (405, 406).
    media_type = APPLICATION_JSON
    # Whether the client sent a persisted query's text and its hash in one request.
    sends_query_and_hash = False

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Answer one GraphQL request; every answer, even a failure, is a JSON GraphQL response."""
        try:
            try:
                return self.serve(request)
            except RequestRefused as refused:
                errors = [self.format_error(refused.as_graphql_error())]
                body = _json({"errors": errors})
                return self.respond(body, refused.status, headers=refused.headers)
        except Exception as error:
            if is_database_outage(error):
                # 503 and Retry-After: the next request after the database returns succeeds
                # (CONN_HEALTH_CHECKS replaces the dead connection), so this one may retry.
                response = self.respond(
                    json.dumps(service_unavailable(error)),
                    503,
                    media_type=APPLICATION_JSON,
                    headers={
                        "Retry-After": str(RETRY_AFTER_SECONDS),
                        "Cache-Control": "no-store",
                    },
                )
                # Logged once per outage window (log_database_outage), not by Django per
                # response: a restart would write a line per request.
                response._has_been_logged = True
                return response
            # A bug or an outage outside execution (execution's own errors are field errors):
            # still a GraphQL response, with the error masked and logged, never an HTML page.
            # application/json, because the spec keeps application/graphql-response+json for
            # the responses of the GraphQL service itself.
            body = json.dumps({"errors": [self.format_error(error)]})
            return self.respond(body, 500, media_type=APPLICATION_JSON)

    def serve(self, request: HttpRequest) -> HttpResponse:
        """Answer from the response cache, or run the request and keep its answer."""
        self.media_type = self.negotiate(request)
        # A byte-for-byte repeat is answered before it is decoded; then the decoded request
        # is looked up under its normalized key.
        raw_key = response_cache.raw_key(request, self.media_type)
        cached = response_cache.cached_response(raw_key, request) if raw_key else None
        if cached is not None:
            return self.cached_answer(request, cached)
        params, to_register = self.read(request)
        note_operation(params.operation_name)
        key = response_cache.response_key(
            request, params.query, params.variables, params.operation_name, self.media_type
        )
        # A registration always runs: it pays its query's cost to the rate limit and registers
        # only once its document passed the limits and validation. Clients register rarely.
        if key and to_register is None:
            cached = response_cache.cached_response(key, request)
            if cached is not None:
                return self.cached_answer(request, cached)
            note_cache("miss")
        body, status, has_errors = self.answer(request, params, to_register)
        response = self.respond(body, status)
        if api_context(request).no_store:
            add_never_cache_headers(response)
            return response
        if key is None or status != 200 or has_errors:
            return response
        raw = raw_key is not None and not self.sends_query_and_hash
        return self.keep(request, response, body, [key, raw_key] if raw else [key])

    def negotiate(self, request: HttpRequest) -> str:
        """The response media type; 405 for a method other than GET or POST, 406 for an
        Accept header that takes neither of ours."""
        if request.method not in ALLOWED_METHODS:
            refuse(
                405,
                f"{request.method} is not supported: send queries with GET or POST.",
                headers={"Allow": ", ".join(ALLOWED_METHODS)},
            )
        media_type = negotiate_media_type(request.headers.get("Accept"))
        if media_type is None:
            refuse(
                406,
                f"Not acceptable: this endpoint answers {GRAPHQL_RESPONSE_JSON} or "
                f"{APPLICATION_JSON}.",
            )
        return media_type

    def read(self, request: HttpRequest) -> tuple[GraphQLParams, tuple[str, str] | None]:
        """The checked parameters, a persisted query's text filled in (cms.api.persisted), and
        the (sha256, query) to register once its document has been checked, if any."""
        data = self.parse_body(request)
        self.sends_query_and_hash = persisted.sends_query_and_hash(data)
        data, to_register = persisted.resolve(data)  # or RequestRefused
        return graphql_params(data), to_register

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        """The request's GraphQL parameters, before their types are checked (cms.api.params)."""
        return read_body(request)

    def answer(
        self, request: HttpRequest, params: GraphQLParams, to_register: tuple[str, str] | None
    ) -> tuple[str, int, bool]:
        """The encoded GraphQL response, its status code and whether it has errors.

        A request error (the document does not parse or validate, no operation to run,
        variables that do not coerce) has no `data`: 400 under
        application/graphql-response+json, 200 under application/json, whose clients only
        trust a 200. Once execution has started the answer is 200, field errors or not.
        """
        schema = graphene_settings.SCHEMA.graphql_schema
        middleware = steps.middlewares(self.get_middleware(request))
        result = steps.run(request, schema, params, middleware, to_register)
        response: dict[str, Any] = {}
        status = 200
        if result.errors:
            for error in result.errors:
                if is_database_outage(error):
                    # A field that met a dead database: the whole answer is a 503 (dispatch),
                    # not nulls that look like missing content.
                    raise error
            # As graphene-django's view: a no-op unless ATOMIC_REQUESTS is on.
            set_rollback()
            response["errors"] = [self.format_error(error) for error in result.errors]
        # Errors raised before execution are the only ones without a path in the result.
        if result.errors and any(error.path is None for error in result.errors):
            if self.media_type == GRAPHQL_RESPONSE_JSON:
                status = 400
        else:
            response["data"] = result.data
        return _json(response), status, bool(result.errors)

    def get_middleware(self, request: HttpRequest) -> Any:
        """The graphql-core middlewares of settings.GRAPHENE["MIDDLEWARE"], instantiated."""
        middleware = graphene_settings.MIDDLEWARE
        return None if middleware is None else list(instantiate_middleware(middleware))

    def keep(
        self, request: HttpRequest, response: HttpResponse, body: str, keys: list[str]
    ) -> HttpResponse:
        """Store a shared answer in the response cache, and send it as cacheable."""
        etag = response_cache.etag_for(body, self.media_type)
        response_cache.store_response(keys, body, etag, request)
        return _cacheable(request, response, etag)

    def cached_answer(self, request: HttpRequest, cached: Mapping[str, str]) -> HttpResponse:
        """An answer from the response cache (the rate limit charges it 1 point: no cost)."""
        note_cache("hit")
        response = self.respond(cached["body"], 200)
        return _cacheable(request, response, cached["etag"])

    def respond(
        self,
        body: str,
        status: int,
        *,
        media_type: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> HttpResponse:
        media_type = media_type or self.media_type
        response = HttpResponse(
            body, status=status, content_type=f"{media_type}; charset=utf-8", headers=headers
        )
        # The same URL answers differently by Accept: caches must key on it.
        patch_vary_headers(response, ("Accept",))
        return response

    @staticmethod
    def format_error(error: BaseException) -> dict[str, Any]:
        """The client's view of an error: coded, and masked if unexpected (errors.format_error)."""
        return format_error(error)


def _cacheable(request: HttpRequest, response: HttpResponse, etag: str) -> HttpResponse:
    """A shared answer: over GET, public for GRAPHQL_CACHE_MAX_AGE, with its ETag (or 304).

    POST answers are not cacheable in HTTP; they are only served from the server's cache.
    """
    if request.method != "GET":
        return response
    patch_cache_control(response, public=True, max_age=settings.GRAPHQL_CACHE_MAX_AGE)
    response["ETag"] = etag
    # If-None-Match naming this ETag: 304, headers kept, no body.
    return get_conditional_response(request, etag=etag, response=response)


def _json(data: Any) -> str:
    """Compact JSON (never pretty: no second place to read parameters from)."""
    return json.dumps(data, separators=(",", ":"))


__all__ = [
    "APPLICATION_JSON",
    "GRAPHQL_RESPONSE_JSON",
    "GraphQLHTTPView",
    "forbid_caching",
    "negotiate_media_type",
]
