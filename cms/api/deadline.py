"""The deadline of one query's execution (QUERY_TIMEOUT), held by the execution guards.

`ExecutionGuards` is the middleware manager the view executes with: it refuses every field
past the deadline and hands the fields that make image renditions to the rendition budget
(cms.api.rendition_budget). docs/graphql-http.md ("Limits") describes both for front ends.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from graphql import GraphQLError, GraphQLResolveInfo, GraphQLSchema, MiddlewareManager

from .media_urls import media_url_resolvers, resolve_on_request_host
from .rendition_budget import RenditionBudget, rendition_fields

# Execution ran past its deadline: the fields not resolved yet are null.
QUERY_TIMEOUT = "QUERY_TIMEOUT"


class ExecutionGuards(MiddlewareManager):
    """What holds while a query runs: a deadline, a budget of new image renditions, and
    media URLs on the request's host.

    graphql-core asks its middleware manager for each field's resolver just before calling
    it; answering there keeps both checks off the fields they do not concern. The deadline
    costs one clock reading per field that has a resolver of its own (plain values read off
    an object take cms.api.fast_leaves's short path unchecked: each is one attribute read), and only
    the two image fields that make renditions are wrapped: as middlewares, both would wrap
    every field of the answer (~750 in a page of 20 publications). The deadline is checked
    between fields, so a single slow resolver is not interrupted (no signals, no threads:
    they do not mix with database connections), but a query cannot go on resolving field
    after field past it.
    """

    def __init__(
        self,
        *middlewares: Any,
        schema: GraphQLSchema,
        seconds: float,
        max_new_renditions: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(*middlewares)
        self.clock = clock
        self.deadline = clock() + seconds
        self.seconds = seconds
        self.renditions = RenditionBudget(max_new_renditions)
        self._makes_renditions = _rendition_resolvers(schema)
        self._gives_media_urls = media_url_resolvers(schema)

    def get_field_resolver(self, field_resolver: Callable[..., Any]) -> Callable[..., Any]:
        """The resolver to call for a field: refused past the deadline, budgeted if it can
        make renditions, wrapped by the configured middlewares."""
        if self.clock() > self.deadline:
            return self._timed_out
        resolver = super().get_field_resolver(field_resolver)
        if field_resolver in self._makes_renditions:
            resolver = functools.partial(self.renditions.resolve, resolver)
        if field_resolver in self._gives_media_urls:
            # On the request's host, not WAGTAILADMIN_BASE_URL's (cms.api.media_urls).
            resolver = functools.partial(resolve_on_request_host, resolver)
        return resolver

    def _timed_out(self, root: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
        raise GraphQLError(
            f"The query took longer than {self.seconds:g} s and was stopped.",
            extensions={"code": QUERY_TIMEOUT},
        )


@functools.lru_cache(maxsize=8)
def _rendition_resolvers(schema: GraphQLSchema) -> frozenset[Callable[..., Any]]:
    return frozenset(field.resolve for _name, field in rendition_fields(schema) if field.resolve)


def keep_one_timeout(errors: list[GraphQLError]) -> list[GraphQLError]:
    """The errors with only the first of the timeout errors: every field after it has one."""
    kept: list[GraphQLError] = []
    timed_out = False
    for error in errors:
        if (error.extensions or {}).get("code") == QUERY_TIMEOUT:
            if timed_out:
                continue
            timed_out = True
        kept.append(error)
    return kept
