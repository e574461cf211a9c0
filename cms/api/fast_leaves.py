"""Copies graphql-core's field execution for speed: plain leaf fields take a shorter path.

graphql-core spends about 12 µs on every field it resolves (resolve info, arguments,
middleware, awaitable tests, completion's type dispatch). A field whose value is an attribute
read by graphene's default resolver needs none of it: `CodedExecutionContext.execute_field`
mirrors graphql-core's `ExecutionContext.execute_field` and `complete_value` for such fields,
with the same result and errors. tests/api/test_upstream_copies.py pins the mirrored sources.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from types import CoroutineType
from typing import Any

from graphene.types.resolver import attr_resolver, dict_or_attr_resolver, dict_resolver
from graphql import (
    FieldNode,
    GraphQLError,
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    Undefined,
    is_leaf_type,
    located_error,
)
from graphql.execution import ExecutionContext, MiddlewareManager
from graphql.pyutils import Path

from .errors import BAD_USER_INPUT, with_code

# graphene's resolvers for a field with no `resolve_<name>`: they read an attribute or a key
# and look at nothing else (not `info`, not the arguments).
_DEFAULT_RESOLVERS = (dict_or_attr_resolver, attr_resolver, dict_resolver)


@dataclass(frozen=True)
class PlainLeaf:
    """A field whose value is a source's attribute, serialized as a scalar or an enum."""

    resolve: functools.partial
    field_type: GraphQLOutputType  # the leaf type, or NonNull around it
    leaf_type: GraphQLLeafType

    @property
    def non_null(self) -> bool:
        return self.field_type is not self.leaf_type


@functools.lru_cache(maxsize=4096)
def plain_leaf(parent_type: GraphQLObjectType, field_name: str) -> PlainLeaf | None:
    """What the short path needs to resolve `parent_type.field_name`, or None when the field
    must go through graphql-core's own path (a resolver of its own, arguments, a list, an
    object, an introspection field)."""
    field = parent_type.fields.get(field_name)
    if field is None or field.args:
        return None
    resolve = field.resolve
    if not (isinstance(resolve, functools.partial) and resolve.func in _DEFAULT_RESOLVERS):
        return None
    leaf_type = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
    if not is_leaf_type(leaf_type):
        return None
    return PlainLeaf(resolve=resolve, field_type=field.type, leaf_type=leaf_type)


class CodedExecutionContext(ExecutionContext):
    """graphql-core's execution context, with variable coercion errors coded BAD_USER_INPUT,
    a cheaper test for awaitable values and a short path for plain leaf fields.

    By the time `build` runs, the view has already resolved the operation, so the only
    request errors `build` can return are those of CoerceVariableValues(): a value of the
    wrong type, a missing non-null variable, a number out of range.
    """

    @staticmethod
    def is_awaitable(value: Any) -> bool:
        """Only coroutines: the schema's resolvers are synchronous (the view refuses an
        awaitable result), and graphql-core's general test, asked a few times per field,
        looks for `__await__` on every model instance and value it meets."""
        return isinstance(value, CoroutineType)

    @classmethod
    def build(cls, *args: Any, **kwargs: Any) -> list[GraphQLError] | ExecutionContext:
        """Build as graphql-core does; code the errors, if that is what comes back."""
        built = super().build(*args, **kwargs)
        if isinstance(built, list):
            return [with_code(error, BAD_USER_INPUT) for error in built]
        return built

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A configured middleware must see every field: then every field takes the long way.
        # The execution guards' deadline is still checked at every object and list field.
        manager = self.middleware_manager
        self.short_path = manager is None or (
            isinstance(manager, MiddlewareManager) and not manager.middlewares
        )

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_nodes: list[FieldNode],
        path: Path,
    ) -> Any:
        """A plain leaf field resolved and serialized as graphql-core would, minus the work
        its value does not need; any other field by graphql-core itself."""
        leaf = plain_leaf(parent_type, field_nodes[0].name.value) if self.short_path else None
        if leaf is None:
            return super().execute_field(parent_type, source, field_nodes, path)
        try:
            value = leaf.resolve(source, None)
            if isinstance(value, Exception):
                raise value
            if value is None or value is Undefined:
                if leaf.non_null:
                    raise TypeError(
                        "Cannot return null for non-nullable field"
                        f" {parent_type.name}.{field_nodes[0].name.value}."
                    )
                return None
            return self.complete_leaf_value(leaf.leaf_type, value)
        except Exception as raw_error:
            error = located_error(raw_error, field_nodes, path.as_list())
            self.handle_field_error(error, leaf.field_type, path)
            return None
