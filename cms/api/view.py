"""The GraphQL endpoint, /graphql/: graphene-django's view held to GraphQL over HTTP.

What the endpoint accepts and answers is summed up for front-end developers in
docs/graphql-http.md; the spec is https://graphql.github.io/graphql-over-http/draft/.
Compared with the stock view, this one:

- negotiates the response media type from Accept: `application/graphql-response+json` (whose
  status codes tell request errors, 400, from results, 200) or `application/json` (200 for
  every well-formed GraphQL request, as legacy clients expect); 406 when neither is accepted;
- reads GET parameters from the query string only and POST bodies as `application/json` only
  (415 otherwise), checks each parameter's type (400), and refuses batches;
- refuses any operation but a query: 405 over GET, a validation error over POST;
- applies every validation rule of the GraphQL spec, NoUnusedFragments included;
- codes every error and masks unexpected ones (cms.api.errors.format_error);
- answers even its own failures with a JSON error body, and sets no cookie;
- sends `Cache-Control: no-store` when a resolver asked for it (forbid_caching);
- serves anonymous queries from the response cache (cms.api.cache) and gives GET answers
  `Cache-Control: public, max-age` and an `ETag` (`If-None-Match` gets a 304);
- runs persisted queries (cms.api.persisted), and only those in allowlist mode;
- holds every request to the limits of cms.api.limits (size, tokens, operations, aliases,
  depth, nesting of lists, cost, time), and switches introspection and "Did you mean"
  suggestions off where the settings say so.
"""

import contextlib
import json
from collections.abc import Collection, Mapping
from typing import Any, NoReturn

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from graphene_django.settings import graphene_settings
from graphene_django.utils.utils import set_rollback
from graphene_django.views import GraphQLView, HttpError
from graphql import (
    ASTValidationRule,
    ExecutionResult,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    ValidationRule,
    execute,
    get_operation_ast,
    specified_rules,
    validate,
)
from graphql.execution import MiddlewareManager
from graphql.validation import NoSchemaIntrospectionCustomRule, NoUnusedFragmentsRule

from . import cache as response_cache
from . import persisted
from .context import api_context
from .deadline import ExecutionGuards, keep_one_timeout
from .errors import (
    BAD_REQUEST,
    BAD_USER_INPUT,
    GRAPHQL_PARSE_FAILED,
    GRAPHQL_VALIDATION_FAILED,
    OPERATION_RESOLUTION_FAILURE,
    format_error,
    with_code,
)
from .execution import CodedExecutionContext
from .limits import (
    check_document,
    introspection_allowed,
    limit_error,
    limits,
    literal_holds_nul,
    parsed_document,
    strip_suggestions,
    value_holds_nul,
)

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
APPLICATION_JSON = "application/json"
ALLOWED_METHODS = ("GET", "POST")


def forbid_caching(request: HttpRequest) -> None:
    """Make the answer to this GraphQL request uncacheable (`Cache-Control: no-store`).

    For resolvers that give out what no cache may keep, such as a draft shown through a
    preview token: only the view sees the response, so a resolver marks the request
    (`info.context`) instead.
    """
    api_context(request).no_store = True


# --- Content negotiation ---------------------------------------------------------------------


def _media_ranges(accept: str) -> list[tuple[str, float]]:
    """The media ranges of an Accept header with their q-values; malformed ranges are dropped."""
    ranges = []
    for part in accept.split(","):
        media_range, *params = (piece.strip() for piece in part.split(";"))
        if media_range.count("/") != 1:
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = -1.0
        if 0.0 <= quality <= 1.0:
            ranges.append((media_range.lower(), quality))
    return ranges


def _acceptance(media_type: str, ranges: list[tuple[str, float]]) -> tuple[float, int]:
    """(q-value, specificity) that `ranges` give `media_type`: the most specific range decides.

    Specificity is 2 for the type named, 1 for `type/*`, 0 for `*/*`; (0, -1) when no range
    matches (RFC 9110, section 12.5.1).
    """
    main_type = media_type.split("/")[0]
    best = (0.0, -1)
    for media_range, quality in ranges:
        if media_range == media_type:
            specificity = 2
        elif media_range == f"{main_type}/*":
            specificity = 1
        elif media_range == "*/*":
            specificity = 0
        else:
            continue
        if specificity > best[1]:
            best = (quality, specificity)
    return best


def negotiate_media_type(accept: str | None) -> str | None:
    """The response media type for an Accept header, or None when it accepts neither ours.

    The client's q-values decide. On a tie, a type the client named beats one it only
    reached with a wildcard; when it named both, `application/graphql-response+json` wins
    (the spec's preferred type); when it named neither (`*/*`, `application/*`, no header),
    `application/json` does, because such clients are usually legacy ones (curl, scripts).
    """
    if accept is None or not accept.strip():
        return APPLICATION_JSON
    ranges = _media_ranges(accept)
    graphql_q, graphql_specificity = _acceptance(GRAPHQL_RESPONSE_JSON, ranges)
    json_q, json_specificity = _acceptance(APPLICATION_JSON, ranges)
    if max(graphql_q, json_q) <= 0:
        return None
    graphql_rank = (graphql_q, graphql_specificity, graphql_specificity == 2)
    json_rank = (json_q, json_specificity, json_specificity < 2)
    return GRAPHQL_RESPONSE_JSON if graphql_rank > json_rank else APPLICATION_JSON


# --- Validation rules ------------------------------------------------------------------------


class QueryOperationsOnlyRule(ValidationRule):
    """This API is read-only: a mutation or subscription in the document fails validation.

    Without it, graphql-core would only notice at execution ("Schema is not configured to
    execute mutation operation"), an error without a code and after validation.
    """

    def enter_operation_definition(self, node: OperationDefinitionNode, *_args: Any) -> None:
        """Report every operation that is not a query."""
        if node.operation != OperationType.QUERY:
            self.report_error(
                GraphQLError(
                    f"This API serves queries only: {node.operation.value} operations are "
                    "not supported.",
                    node,
                )
            )


class AllFragmentsUsedRule(NoUnusedFragmentsRule):
    """The spec's "Fragments Must Be Used" rule, which grapple switches off.

    grapple replaces NoUnusedFragmentsRule.leave_document with a no-op for the whole process
    (grapple/schema.py) so that its preview front ends may send unused fragments; the
    GraphQL over HTTP spec says a server SHOULD apply all of the spec's validation rules.
    This subclass restores the check for this endpoint only.
    """

    def leave_document(self, *_args: Any) -> None:
        """Report every fragment that no operation spreads, directly or through another."""
        used = {
            fragment.name.value
            for fragment in self.context.get_recursively_referenced_fragments_for_operations(
                self.operation_defs
            )
        }
        for fragment in self.fragment_defs:
            if fragment.name.value not in used:
                self.report_error(
                    GraphQLError(f"Fragment '{fragment.name.value}' is never used.", fragment)
                )


VALIDATION_RULES: tuple[type[ASTValidationRule], ...] = (
    *(AllFragmentsUsedRule if rule is NoUnusedFragmentsRule else rule for rule in specified_rules),
    QueryOperationsOnlyRule,
)


# --- The view --------------------------------------------------------------------------------


class RequestRefused(HttpError):
    """A request refused before any GraphQL is executed: an HTTP status and a coded error."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str = BAD_REQUEST,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(HttpResponse(status=status), message)
        self.status = status
        self.code = code
        self.headers = dict(headers or {})

    def as_graphql_error(self) -> GraphQLError:
        """The refusal as the one error of a GraphQL response."""
        return GraphQLError(self.message, extensions={"code": self.code})


def _refuse(status: int, message: str, **kwargs: Any) -> NoReturn:
    raise RequestRefused(status, message, **kwargs)


def _loads(text: str, what: str) -> Any:
    """Strict JSON: no NaN or Infinity, and nesting or digits that overflow are a 400, not a 500."""

    def refuse_constant(name: str) -> NoReturn:
        raise ValueError(f"{name} is not JSON")

    try:
        return json.loads(text, parse_constant=refuse_constant)
    except (ValueError, RecursionError):
        _refuse(400, f"{what} is not valid JSON.")


@method_decorator(csrf_exempt, name="dispatch")
class GraphQLHTTPView(GraphQLView):
    """GraphQL over HTTP for the schema in settings.GRAPHENE["SCHEMA"]: queries only.

    A new instance serves each request (Django's View.as_view), so `media_type`, the
    negotiated response type, is per request.
    """

    execution_context_class = CodedExecutionContext
    validation_rules = VALIDATION_RULES
    media_type = APPLICATION_JSON
    # Set by get_response: whether the answer has errors (such an answer is never cached).
    result_has_errors = False
    # (sha256, query) of a persisted query to register once its document has been checked.
    to_register: tuple[str, str] | None = None
    sends_query_and_hash = False

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Answer one GraphQL request; every answer, even a failure, is a JSON GraphQL response.

        Replaces the stock dispatch whole: it set a CSRF cookie, rendered GraphiQL, batched,
        and let malformed bodies and its own failures become Django's HTML error pages.
        """
        try:
            try:
                if request.method not in ALLOWED_METHODS:
                    _refuse(
                        405,
                        f"{request.method} is not supported: send queries with GET or POST.",
                        headers={"Allow": ", ".join(ALLOWED_METHODS)},
                    )
                media_type = negotiate_media_type(request.headers.get("Accept"))
                if media_type is None:
                    _refuse(
                        406,
                        f"Not acceptable: this endpoint answers {GRAPHQL_RESPONSE_JSON} or "
                        f"{APPLICATION_JSON}.",
                    )
                self.media_type = media_type
                # A byte-for-byte repeat is answered before it is decoded; then the decoded
                # request is looked up under its normalized key.
                raw_key = response_cache.raw_key(request, media_type)
                cached = response_cache.cached_response(raw_key, request) if raw_key else None
                if cached is None:
                    data = self.resolve_persisted(self.parse_body(request))
                    key = self.cache_key(request, data)
                    # A registration always runs: it pays its query's cost to the rate limit
                    # and registers only once its document passed the limits and validation.
                    # Clients register rarely (once per query, again if the cap dropped it).
                    registering = self.to_register is not None
                    cached = (
                        response_cache.cached_response(key, request)
                        if key and not registering
                        else None
                    )
                if cached is not None:
                    # No query cost is set: the rate limit charges a cached answer 1 point.
                    response = self._respond(cached["body"], 200)
                    return self._cacheable(request, response, cached["etag"])
                body, status = self.get_response(request, data)
                response = self._respond(body, status)
                if api_context(request).no_store:
                    add_never_cache_headers(response)
                elif key is not None and status == 200 and not self.result_has_errors:
                    etag = response_cache.etag_for(body, self.media_type)
                    raw = raw_key is not None and not self.sends_query_and_hash
                    keys = [key, raw_key] if raw else [key]
                    response_cache.store_response(keys, body, etag, request)
                    return self._cacheable(request, response, etag)
                return response
            except RequestRefused as refused:
                errors = [self.format_error(refused.as_graphql_error())]
                body = self.json_encode(request, {"errors": errors})
                return self._respond(body, refused.status, headers=refused.headers)
        except Exception as error:
            # A bug or an outage outside execution (execution's own errors are field errors):
            # still a GraphQL response, with the error masked and logged, never an HTML page.
            # application/json, because the spec keeps application/graphql-response+json for
            # the responses of the GraphQL service itself.
            body = json.dumps({"errors": [self.format_error(error)]})
            return self._respond(body, 500, media_type=APPLICATION_JSON)

    def resolve_persisted(self, data: dict[str, Any]) -> dict[str, Any]:
        """The parameters with a persisted query's text filled in (cms.api.persisted)."""
        self.sends_query_and_hash = persisted.sends_query_and_hash(data)
        try:
            data, self.to_register = persisted.resolve(data)
        except persisted.PersistedQueryRefused as refused:
            _refuse(refused.status, refused.message, code=refused.code, headers=refused.headers)
        return data

    def cache_key(self, request: HttpRequest, data: Mapping[str, Any]) -> str | None:
        """The response cache's key for this request, or None if its answer is not shared."""
        query, variables, operation_name, _id = self.get_graphql_params(request, data)
        return response_cache.response_key(
            request, query, variables, operation_name, self.media_type
        )

    @staticmethod
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

    def _respond(
        self,
        body: str,
        status: int,
        *,
        media_type: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> HttpResponse:
        # Before negotiation (405, 406) self.media_type is still the class's application/json.
        media_type = media_type or self.media_type
        response = HttpResponse(
            body, status=status, content_type=f"{media_type}; charset=utf-8", headers=headers
        )
        # The same URL answers differently by Accept: caches must key on it.
        patch_vary_headers(response, ("Accept",))
        return response

    def json_encode(self, request: HttpRequest, d: Any, pretty: bool = False) -> str:
        """Compact JSON.

        The stock view pretty-printed on `?pretty=`, read from the query string even for a
        POST: a second place to read parameters from, which also re-raised Django's
        too-many-fields error while the 400 for it was being written.
        """
        return json.dumps(d, separators=(",", ":"))

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        """The request's GraphQL parameters, before their types are checked.

        GET: from the query string, `variables` and `extensions` decoded from JSON.
        POST: from the body, which must be a JSON object sent as `application/json` in UTF-8;
        form data and `application/graphql` are refused (415): they make a "simple" request
        that a browser sends cross-site without a CORS preflight.
        """
        max_bytes = limits()["MAX_BODY_BYTES"]
        if request.method == "GET":
            if len(request.META.get("QUERY_STRING", "")) > max_bytes:
                # 414, not 413: there is no body, the URI is what is too long.
                _refuse(414, f"The query string is longer than {max_bytes} bytes: POST the query.")
            try:
                params = request.GET
            except SuspiciousOperation:
                # Django's limit on the number of fields (TooManyFieldsSent).
                _refuse(400, "The query string has too many parameters.")
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

        if request.content_type != APPLICATION_JSON:
            sent = request.content_type or "no Content-Type"
            _refuse(415, f"Unsupported media type {sent}: POST a JSON body as {APPLICATION_JSON}.")
        charset = request.content_params.get("charset", "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            _refuse(415, f"Unsupported charset {charset}: send the body in UTF-8.")
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        # Content-Length is checked first so that an oversized body is not even read.
        if declared > max_bytes:
            _refuse(413, f"The body is larger than {max_bytes} bytes.")
        try:
            raw = request.body
        except RequestDataTooBig:
            _refuse(413, "The body is too large.")
        if len(raw) > max_bytes:
            _refuse(413, f"The body is larger than {max_bytes} bytes.")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            _refuse(400, "The body is not valid UTF-8.")
        body = _loads(text, "The body")
        if isinstance(body, list):
            _refuse(400, "Batching is not supported: send one operation per request.")
        if not isinstance(body, dict):
            _refuse(400, "The body must be a JSON object with a query.")
        return body

    @staticmethod
    def get_graphql_params(
        request: HttpRequest, data: Mapping[str, Any]
    ) -> tuple[str, dict[str, Any] | None, str | None, None]:
        """(query, variables, operationName, id), each checked for the type the spec asks for.

        A request failing these checks is not a well-formed GraphQL-over-HTTP request: 400
        whatever the Accept header. Unknown properties are ignored, as the spec requires.
        """
        query = data.get("query")
        if query is None:
            _refuse(400, "The query parameter is missing.")
        if not isinstance(query, str):
            _refuse(400, "The query parameter must be a string.")
        operation_name = data.get("operationName")
        if operation_name is not None and not isinstance(operation_name, str):
            _refuse(400, "The operationName parameter must be a string.")
        variables = data.get("variables")
        if variables is not None and not isinstance(variables, dict):
            _refuse(400, "The variables parameter must be a JSON object.")
        extensions = data.get("extensions")
        if extensions is not None and not isinstance(extensions, dict):
            _refuse(400, "The extensions parameter must be a JSON object.")
        # The stock view also read an `id` (for its batches); there are none here.
        return query, variables, operation_name or None, None

    def get_response(
        self, request: HttpRequest, data: Mapping[str, Any], show_graphiql: bool = False
    ) -> tuple[str, int]:
        """The encoded GraphQL response and its status code, which depend on the media type.

        A request error (the document does not parse or validate, no operation to run,
        variables that do not coerce) has no `data`: 400 under
        application/graphql-response+json, 200 under application/json, whose clients only
        trust a 200. Once execution has started the answer is 200, field errors or not.
        """
        query, variables, operation_name, _id = self.get_graphql_params(request, data)
        result = self.execute_graphql_request(request, data, query, variables, operation_name)

        response: dict[str, Any] = {}
        status = 200
        self.result_has_errors = bool(result.errors)
        if result.errors:
            # The stock view does it too: a no-op unless ATOMIC_REQUESTS is on.
            set_rollback()
            response["errors"] = [self.format_error(error) for error in result.errors]
        # Errors raised before execution are the only ones without a path in the result.
        if result.errors and any(error.path is None for error in result.errors):
            if self.media_type == GRAPHQL_RESPONSE_JSON:
                status = 400
        else:
            response["data"] = result.data
        return self.json_encode(request, response), status

    def execute_graphql_request(
        self,
        request: HttpRequest,
        data: Mapping[str, Any],
        query: str,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        show_graphiql: bool = False,
    ) -> ExecutionResult:
        """Parse, validate and execute, coding the errors of each stage.

        A mutation or subscription over GET is refused with 405 before validation. A resolver's
        exception becomes a field error inside execute(); any other exception (an invalid
        schema, a bug in graphql-core) is not caught here: dispatch answers it with a masked
        500.
        """
        schema = self.schema.graphql_schema
        config = limits()
        try:
            document = parsed_document(query, config["MAX_TOKENS"])
        except GraphQLError as error:
            # graphql-core's own guards (too many tokens, braces nested past what its
            # recursive parser allows) are limits, not syntax errors.
            if "Parsing aborted" in error.message:
                error = limit_error(
                    f"The document has more than {config['MAX_TOKENS']} tokens."
                    if "tokens" in error.message
                    else "The document is nested too deeply."
                )
            return ExecutionResult(data=None, errors=[with_code(error, GRAPHQL_PARSE_FAILED)])
        except RecursionError:
            # graphql-core's parser is recursive: a few hundred nested braces exhaust the stack.
            return ExecutionResult(
                data=None, errors=[limit_error("The document is nested too deeply.")]
            )

        if literal_holds_nul(query, config["MAX_TOKENS"]) or value_holds_nul(variables):
            # No use to anyone, and PostgreSQL refuses the character in any text it is sent.
            return ExecutionResult(
                data=None,
                errors=[
                    GraphQLError(
                        "Strings cannot contain the NUL character (U+0000).",
                        extensions={"code": BAD_USER_INPUT},
                    )
                ],
            )

        operation = get_operation_ast(document, operation_name)
        if (
            request.method == "GET"
            and operation is not None
            and operation.operation != OperationType.QUERY
        ):
            _refuse(
                405,
                f"A {operation.operation.value} cannot be sent with GET: this API serves "
                "queries only.",
                headers={"Allow": ", ".join(ALLOWED_METHODS)},
            )

        # The limits first: they are linear in the document, whereas some of the spec's rules
        # (OverlappingFieldsCanBeMerged) are not, and they do not rely on its validity.
        limit_errors, cost = check_document(schema, document, variables, config)
        if limit_errors:
            return ExecutionResult(data=None, errors=limit_errors)
        # The rate limit charges a query it runs its cost (cms.api.ratelimit reads it
        # afterwards); a refused one costs the 1 point of any request.
        api_context(request).cost = cost

        rules = self.validation_rules
        if not introspection_allowed():
            rules = (*rules, NoSchemaIntrospectionCustomRule)
        validation_errors = []
        if (id(schema), query, rules) not in _VALID:
            validation_errors = validate(
                schema, document, rules, max_errors=graphene_settings.MAX_VALIDATION_ERRORS
            )
            if not validation_errors:
                _remember_valid((id(schema), query, rules))
        if validation_errors:
            return ExecutionResult(
                data=None,
                errors=[
                    strip_suggestions(with_code(error, GRAPHQL_VALIDATION_FAILED))
                    for error in validation_errors
                ],
            )

        if operation is None:
            return ExecutionResult(
                data=None,
                errors=[
                    GraphQLError(
                        _operation_resolution_message(document.definitions, operation_name),
                        extensions={"code": OPERATION_RESOLUTION_FAILURE},
                    )
                ],
            )

        if self.to_register is not None:
            # Only now: the document parsed and passed the limits and validation.
            persisted.register(*self.to_register)

        # The clock starts with execution: parsing and validation are bounded by the limits.
        guards = ExecutionGuards(
            *_middlewares(self.get_middleware(request)),
            schema=schema,
            seconds=config["TIMEOUT_SECONDS"],
            max_new_renditions=config["MAX_NEW_RENDITIONS"],
        )
        result = execute(
            schema,
            document,
            root_value=self.get_root_value(request),
            context_value=self.get_context(request),
            variable_values=variables,
            operation_name=operation_name,
            middleware=guards,
            execution_context_class=self.execution_context_class,
        )
        if not isinstance(result, ExecutionResult):
            # graphql-core returns an awaitable only for async resolvers; there are none.
            raise TypeError("An async resolver was run by the sync GraphQL view.")
        if result.errors:
            # Coercion errors (an enum value) suggest names too.
            result.errors = [strip_suggestions(error) for error in keep_one_timeout(result.errors)]
        return result

    @staticmethod
    def format_error(error: BaseException) -> dict[str, Any]:
        """The client's view of an error: coded, and masked if unexpected (errors.format_error)."""
        return format_error(error)


# Front ends send the same few documents again and again: each is validated once per process
# (parsed once too: limits.parsed_document); only a valid one is remembered, so errors are
# always computed afresh.
_MEMO_SIZE = 256
_VALID: dict[tuple, None] = {}


def _remember_valid(key: tuple) -> None:
    if len(_VALID) >= _MEMO_SIZE:
        # Threads may evict at once: losing a memo entry costs one validation, nothing more.
        with contextlib.suppress(KeyError, StopIteration, RuntimeError):
            _VALID.pop(next(iter(_VALID)))
    _VALID[key] = None


def _middlewares(middleware: Any) -> list[Any]:
    """The configured graphql-core middlewares as a list (ExecutionGuards runs them)."""
    if middleware is None:
        return []
    if isinstance(middleware, MiddlewareManager):
        return list(middleware.middlewares)
    return list(middleware)


def _operation_resolution_message(definitions: Collection[Any], operation_name: str | None) -> str:
    """Why no operation could be picked, in graphql-core's words."""
    if operation_name is not None:
        return f"Unknown operation named '{operation_name}'."
    if any(isinstance(definition, OperationDefinitionNode) for definition in definitions):
        return "Must provide operation name if query contains multiple operations."
    return "Must provide an operation."


__all__ = [
    "APPLICATION_JSON",
    "GRAPHQL_RESPONSE_JSON",
    "GraphQLHTTPView",
    "forbid_caching",
    "negotiate_media_type",
]
