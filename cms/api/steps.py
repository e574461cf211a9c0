"""Running one GraphQL request, as named steps: parse, refuse a non-query over GET, the limits
pass, the spec pass, pick the operation, execute.

Each step before execution either goes on or stops the request with its coded errors (a
request error: no `data`). docs/graphql-http.md says what a client sees at each.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from django.http import HttpRequest
from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    execute,
    get_operation_ast,
)
from graphql.execution import MiddlewareManager

from . import persisted
from .context import api_context
from .deadline import ExecutionGuards, keep_one_timeout
from .errors import (
    GRAPHQL_PARSE_FAILED,
    GRAPHQL_VALIDATION_FAILED,
    OPERATION_RESOLUTION_FAILURE,
    with_code,
)
from .fast_leaves import CodedExecutionContext
from .limits import check_document, limits, parsed_document, strip_suggestions, validate_spec
from .params import ALLOWED_METHODS, GraphQLParams, refuse
from .rules import limit_error


class Stopped(Exception):
    """A step refused the request: these errors are the whole answer (no `data`)."""

    def __init__(self, errors: list[GraphQLError]) -> None:
        super().__init__(errors)
        self.errors = errors


def run(
    request: HttpRequest,
    schema: GraphQLSchema,
    params: GraphQLParams,
    middleware: Sequence[Any],
    to_register: tuple[str, str] | None = None,
) -> ExecutionResult:
    """Parse, check and execute, coding the errors of each step.

    A resolver's exception becomes a field error inside execute(); any other exception (an
    invalid schema, a bug in graphql-core) is not caught here: the view answers a masked 500.
    """
    config = limits()
    try:
        document = parse(params.query, config["MAX_TOKENS"])
        refuse_non_query_over_get(request, document, params.operation_name)
        api_context(request).cost = check_limits(schema, document, params.variables, config)
        check_spec(schema, params.query, document)
        resolve_operation(document, params.operation_name)
    except Stopped as stopped:
        return ExecutionResult(data=None, errors=stopped.errors)
    if to_register is not None:
        # Only now: the document parsed and passed the limits and validation.
        persisted.register(*to_register)
    return execute_operation(request, schema, document, params, middleware, config)


def parse(query: str, max_tokens: int) -> DocumentNode:
    """The parsed (memoised) document; graphql-core's own guards are limits, not syntax."""
    try:
        return parsed_document(query, max_tokens)
    except GraphQLError as error:
        # Too many tokens, or braces nested past what its recursive parser allows.
        if "Parsing aborted" in error.message:
            error = limit_error(
                f"The document has more than {max_tokens} tokens."
                if "tokens" in error.message
                else "The document is nested too deeply."
            )
        raise Stopped([with_code(error, GRAPHQL_PARSE_FAILED)]) from None
    except RecursionError:
        # graphql-core's parser is recursive: a few hundred nested braces exhaust the stack.
        raise Stopped([limit_error("The document is nested too deeply.")]) from None


def refuse_non_query_over_get(
    request: HttpRequest, document: DocumentNode, operation_name: str | None
) -> None:
    """A mutation or subscription over GET is refused with 405, before validation."""
    operation = get_operation_ast(document, operation_name)
    if (
        request.method == "GET"
        and operation is not None
        and operation.operation != OperationType.QUERY
    ):
        refuse(
            405,
            f"A {operation.operation.value} cannot be sent with GET: this API serves queries only.",
            headers={"Allow": ", ".join(ALLOWED_METHODS)},
        )


def check_limits(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: dict[str, Any] | None,
    config: dict[str, Any],
) -> int:
    """The limits pass (NUL check, cost rule); the cost the rate limit will charge.

    A refused request is charged the 1 point of any request (no cost is returned).
    """
    errors, cost = check_document(schema, document, variables, config)
    if errors:
        raise Stopped(errors)
    return cost


def check_spec(schema: GraphQLSchema, query: str, document: DocumentNode) -> None:
    """The spec pass; "Did you mean" suggestions dropped where the settings say so."""
    errors = validate_spec(schema, query, document)
    if errors:
        raise Stopped(
            [strip_suggestions(with_code(error, GRAPHQL_VALIDATION_FAILED)) for error in errors]
        )


def resolve_operation(document: DocumentNode, operation_name: str | None) -> None:
    """Stop unless the document names one operation to run, in graphql-core's words."""
    if get_operation_ast(document, operation_name) is not None:
        return
    raise Stopped(
        [
            GraphQLError(
                _operation_resolution_message(document.definitions, operation_name),
                extensions={"code": OPERATION_RESOLUTION_FAILURE},
            )
        ]
    )


def execute_operation(
    request: HttpRequest,
    schema: GraphQLSchema,
    document: DocumentNode,
    params: GraphQLParams,
    middleware: Sequence[Any],
    config: dict[str, Any],
) -> ExecutionResult:
    """Execute under the guards (deadline from now, rendition budget)."""
    guards = ExecutionGuards(
        *middleware,
        schema=schema,
        seconds=config["TIMEOUT_SECONDS"],
        max_new_renditions=config["MAX_NEW_RENDITIONS"],
    )
    result = execute(
        schema,
        document,
        context_value=request,
        variable_values=params.variables,
        operation_name=params.operation_name,
        middleware=guards,
        execution_context_class=CodedExecutionContext,
    )
    if not isinstance(result, ExecutionResult):
        # graphql-core returns an awaitable only for async resolvers; there are none.
        raise TypeError("An async resolver was run by the sync GraphQL view.")
    if result.errors:
        # Coercion errors (an enum value) suggest names too.
        result.errors = [strip_suggestions(error) for error in keep_one_timeout(result.errors)]
    return result


def middlewares(middleware: Any) -> list[Any]:
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
