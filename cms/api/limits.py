"""Limits on what one anonymous GraphQL request may ask of the server, checked before execution.

The public endpoint answers anyone, so a single request must not be able to tie up a worker
or the database: the body size, the number of tokens, the number of operations and aliases,
the depth, the nesting of lists and an estimated cost (Shopify-like) are all bounded before
anything runs (execution's own limits: cms.api.deadline, cms.api.rendition_budget). The
defaults are in `settings.GRAPHQL_LIMITS`; docs/graphql-http.md ("Limits") describes them
for front ends.

Both passes run with graphql-core's `validate()`, their rules in cms.api.rules: the limits
(`check_document`), then the spec (`validate_spec`, memoised per document).
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from graphene_django.settings import graphene_settings
from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse, validate
from graphql.validation import NoSchemaIntrospectionCustomRule

from .query_cost import size_variables
from .rules import SPEC_RULES, LimitCheck, value_holds_nul

DEFAULT_LIMITS: dict[str, Any] = {
    "MAX_BODY_BYTES": 20_000,
    "MAX_TOKENS": 2_000,
    "MAX_OPERATIONS": 1,
    "MAX_ALIASES": 30,
    "MAX_DEPTH": 10,
    "MAX_LIST_NESTING": 3,
    "MAX_COST": 1_000,
    # The size assumed for a list without a `perPage` or `limit` argument.
    "DEFAULT_LIST_SIZE": 10,
    # What a leaf (scalar or enum) field costs; objects and lists cost 1.
    "LEAF_COST": 0,
    "TIMEOUT_SECONDS": 5.0,
    # Image sizes one request may create; renditions that exist already are free.
    "MAX_NEW_RENDITIONS": 4,
    # Fields that cost this much on top, whatever they select: root fields by name, others as
    # "Type.field". The root fields that call the search engine (thirty aliased searches of
    # one word each would otherwise cost almost nothing), and the catalogue lists' facets
    # (cms/api/facets.py), whose GROUP BY queries read the whole list, not one page of it.
    "FIELD_COSTS": {
        "search": 40,
        "suggest": 10,
        "PublicationList.facets": 20,
        "PositionPaperList.facets": 20,
        "PressReleaseList.facets": 20,
    },
}
_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


def limits() -> dict[str, Any]:
    """The limits in force: the defaults, overridden key by key by settings.GRAPHQL_LIMITS."""
    return {**DEFAULT_LIMITS, **getattr(settings, "GRAPHQL_LIMITS", {})}


@functools.lru_cache(maxsize=256)
def parsed_document(query: str, max_tokens: int) -> DocumentNode:
    """The parsed document, memoized: front ends send the same few documents again and
    again (execution never changes the AST; a document that fails to parse is not kept)."""
    return parse(query, max_tokens=max_tokens)


def introspection_allowed() -> bool:
    """Whether `__schema` and `__type` may be queried (`__typename` always may)."""
    return bool(getattr(settings, "GRAPHQL_INTROSPECTION", True))


def strip_suggestions(error: GraphQLError) -> GraphQLError:
    """Drop graphql-core's "Did you mean …?" unless settings.GRAPHQL_SUGGESTIONS allows it.

    The suggestions name fields and types of the schema, which is what switching
    introspection off is meant to keep to ourselves. Returns the same error.
    """
    if not getattr(settings, "GRAPHQL_SUGGESTIONS", True):
        error.message = _SUGGESTION.sub("", error.message)
    return error


def check_document(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Mapping[str, Any] | None = None,
    config: Mapping[str, Any] | None = None,
) -> tuple[list[GraphQLError], int]:
    """The limits pass: the errors of LimitCheck's rules run by graphql-core's `validate()`,
    and the document's estimated cost (cms.api.rules.QueryCostRule).

    A document that passes is remembered with the limits and the values of the variables the
    rules read (`size_variables`: the cost depends on them, not on a slug): a repeat is not
    walked again, only its variables checked for NUL (the one rule that reads all of them).
    Errors are always computed afresh.
    """
    config = config or limits()
    key = _limits_key(schema, document, variables, config)
    passed = _PASSED.get(key) if key else None
    if passed is not None and passed[0] is document and not value_holds_nul(variables):
        return [], passed[1]
    check = LimitCheck(variables, config)
    errors = validate(schema, document, check.rules())
    if not errors and key:
        _remember(_PASSED, key, (document, check.cost))
    return errors, check.cost


def _limits_key(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Mapping[str, Any] | None,
    config: Mapping[str, Any],
) -> tuple | None:
    # The document by identity (parsed_document gives a repeat the same one; the entry keeps
    # the document, so an id reused after eviction is told apart). Of the variables, only
    # those the cost rule reads: an item's slug changes with each request, its cost does not.
    read = size_variables(document)
    sent = {name: value for name, value in (variables or {}).items() if name in read}
    try:
        return (id(schema), id(document), json.dumps([sent, config], sort_keys=True))
    except (TypeError, ValueError):
        return None


def validate_spec(schema: GraphQLSchema, query: str, document: DocumentNode) -> list[GraphQLError]:
    """The spec pass (cms.api.rules.SPEC_RULES, and no introspection where it is off).

    Front ends send the same few documents again and again: each is validated once per
    process; only a valid one is remembered, so errors are always computed afresh.
    """
    rules = SPEC_RULES if introspection_allowed() else _SPEC_RULES_NO_INTROSPECTION
    key = (id(schema), query, rules)
    if key in _VALID:
        return []
    errors = validate(schema, document, rules, max_errors=graphene_settings.MAX_VALIDATION_ERRORS)
    if not errors:
        _remember(_VALID, key, None)
    return errors


_SPEC_RULES_NO_INTROSPECTION = (*SPEC_RULES, NoSchemaIntrospectionCustomRule)
_MEMO_SIZE = 256
_VALID: dict[tuple, None] = {}
_PASSED: dict[tuple, tuple[DocumentNode, int]] = {}


def _remember(memo: dict[tuple, Any], key: tuple, value: Any) -> None:
    if len(memo) >= _MEMO_SIZE:
        # Threads may evict at once: losing a memo entry costs one validation, nothing more.
        with contextlib.suppress(KeyError, StopIteration, RuntimeError):
            memo.pop(next(iter(memo)))
    memo[key] = value
