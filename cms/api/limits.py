"""Limits on what one anonymous GraphQL request may ask of the server, checked before execution.

The public endpoint answers anyone, so a single request must not be able to tie up a worker
or the database: the body size, the number of tokens, the number of operations and aliases,
the depth, the nesting of lists and an estimated cost (Shopify-like) are all bounded before
anything runs (execution's own limits: cms.api.deadline, cms.api.rendition_budget). The
defaults are in `settings.GRAPHQL_LIMITS`; docs/graphql-http.md ("Limits") describes them
for front ends.

The analysis walks the document once: named fragments are expanded through a memo, so a
"fragment bomb" (each fragment spreading the previous one ten times) costs as little to
analyse as it is long, and a fragment cycle or an unknown fragment counts as nothing here and
is left to the spec's validation rules, which report it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    VariableNode,
    Visitor,
    get_named_type,
    is_composite_type,
    is_leaf_type,
    parse,
    visit,
)
from graphql.language import BREAK
from graphql.type import GraphQLCompositeType

from .errors import GRAPHQL_VALIDATION_FAILED

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
    # Root fields that call the search engine cost this much on top, whatever they select:
    # thirty aliased searches of one word each would otherwise cost almost nothing.
    "FIELD_COSTS": {"search": 40, "suggest": 10},
}
# The argument that sizes a paginated root field's `items`, and the one that sizes a tree list.
PAGE_SIZE_ARGUMENT = "perPage"
LIST_SIZE_ARGUMENT = "limit"
_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


def limits() -> dict[str, Any]:
    """The limits in force: the defaults, overridden key by key by settings.GRAPHQL_LIMITS."""
    return {**DEFAULT_LIMITS, **getattr(settings, "GRAPHQL_LIMITS", {})}


@functools.lru_cache(maxsize=256)
def parsed_document(query: str, max_tokens: int) -> DocumentNode:
    """The parsed document, memoized: front ends send the same few documents again and
    again (execution never changes the AST; a document that fails to parse is not kept)."""
    return parse(query, max_tokens=max_tokens)


_NUL = "\x00"


class _NulFinder(Visitor):
    found = False

    def enter_string_value(self, node: StringValueNode, *_args: Any) -> Any:
        if _NUL in node.value:
            self.found = True
            return BREAK
        return None


@functools.lru_cache(maxsize=256)
def literal_holds_nul(query: str, max_tokens: int) -> bool:
    """Whether a string written in the (parsed, memoized) document holds U+0000."""
    finder = _NulFinder()
    visit(parsed_document(query, max_tokens), finder)
    return finder.found


def value_holds_nul(value: Any) -> bool:
    """Whether a string anywhere in decoded JSON (variables) holds U+0000, keys included."""
    stack = [value]
    while stack:  # not recursive: nesting is as deep as the body's size allows
        item = stack.pop()
        if isinstance(item, str):
            if _NUL in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


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


def limit_error(message: str, **extensions: Any) -> GraphQLError:
    """A refusal for breaking a limit: a validation failure, like any other refused document."""
    return GraphQLError(message, extensions={"code": GRAPHQL_VALIDATION_FAILED, **extensions})


# --- Static analysis ------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    """What a selection set asks for: its estimated cost, depth and nesting of lists."""

    cost: int = 0
    depth: int = 0
    list_nesting: int = 0

    def __add__(self, other: Measure) -> Measure:
        """Two selections side by side: costs add up, depth and nesting take the deeper."""
        return Measure(
            self.cost + other.cost,
            max(self.depth, other.depth),
            max(self.list_nesting, other.list_nesting),
        )


class _Analyzer:
    """Measures the operations of one document against a schema, linear in the document."""

    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        variables: Mapping[str, Any] | None,
        config: Mapping[str, Any],
    ) -> None:
        self.schema = schema
        self.variables = variables or {}
        self.config = config
        self.fragments = {
            definition.name.value: definition
            for definition in document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        # (fragment name, pending page size) -> its measure; a fragment measured once only.
        self.memo: dict[tuple[str, int | None], Measure] = {}
        self.in_progress: set[str] = set()
        self.variable_defaults: dict[str, Any] = {}

    def operation(self, operation: OperationDefinitionNode) -> Measure:
        """The measure of one operation (its variables' defaults count when none is sent)."""
        self.variable_defaults = {
            definition.variable.name.value: definition.default_value
            for definition in operation.variable_definitions or ()
        }
        root = self.schema.get_root_type(operation.operation)
        return self.selection_set(operation.selection_set, root, None)

    def selection_set(
        self,
        selection_set: SelectionSetNode,
        parent: GraphQLCompositeType | None,
        page_size: int | None,
    ) -> Measure:
        """The measure of the selections; `page_size` is the size a list inside is given."""
        total = Measure()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent, page_size)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self._type(condition.name.value) if condition else parent
                total += self.selection_set(selection.selection_set, inner, page_size)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.spread(selection.name.value, page_size)
        return total

    def spread(self, name: str, page_size: int | None) -> Measure:
        """A named fragment's measure, computed once; a cycle or an unknown name is nothing.

        NoFragmentCyclesRule and KnownFragmentNamesRule report those after this analysis.
        """
        key = (name, page_size)
        if key in self.memo:
            return self.memo[key]
        fragment = self.fragments.get(name)
        if fragment is None or name in self.in_progress:
            return Measure()
        self.in_progress.add(name)
        try:
            measure = self.selection_set(
                fragment.selection_set, self._type(fragment.type_condition.name.value), page_size
            )
        finally:
            self.in_progress.discard(name)
        self.memo[key] = measure
        return measure

    def field(
        self, node: FieldNode, parent: GraphQLCompositeType | None, page_size: int | None
    ) -> Measure:
        """One field and what it selects."""
        name = node.name.value
        if name.startswith("__"):
            # Introspection is on or off as a whole (GRAPHQL_INTROSPECTION), and GraphiQL's
            # own introspection query is deeper than any front-end query needs to be.
            return Measure()
        definition = getattr(parent, "fields", {}).get(name) if parent is not None else None
        field_type: GraphQLOutputType | None = definition.type if definition else None
        arguments = {argument.name.value: argument.value for argument in node.arguments or ()}

        list_levels = _list_levels(field_type)
        default_size = self.config["DEFAULT_LIST_SIZE"]
        size = 1
        for level in range(list_levels):
            if level == 0 and _argument_default(definition, LIST_SIZE_ARGUMENT) is not None:
                size *= self._argument(definition, arguments, LIST_SIZE_ARGUMENT, default_size)
            elif level == 0 and page_size is not None:
                size *= page_size
            else:
                size *= default_size
        # A paginated field is an object whose `items` list is as long as its page.
        inner_page_size = None
        if _argument_default(definition, PAGE_SIZE_ARGUMENT) is not None:
            inner_page_size = self._argument(
                definition, arguments, PAGE_SIZE_ARGUMENT, default_size
            )

        named = get_named_type(field_type) if field_type is not None else None
        own_cost = self.config["LEAF_COST"] if named is not None and is_leaf_type(named) else 1
        if parent is self.schema.query_type:
            own_cost += self.config.get("FIELD_COSTS", {}).get(name, 0)
        inner = Measure()
        if node.selection_set is not None:
            composite = named if named is not None and is_composite_type(named) else None
            inner = self.selection_set(node.selection_set, composite, inner_page_size)  # type: ignore[arg-type]
        # Each element of a list of objects is an object to load: 1 point, plus its selection.
        element_cost = 1 if list_levels and named is not None and is_composite_type(named) else 0
        return Measure(
            cost=own_cost + size * (element_cost + inner.cost),
            depth=1 + inner.depth,
            list_nesting=(1 if list_levels else 0) + inner.list_nesting,
        )

    def _type(self, name: str) -> GraphQLCompositeType | None:
        named = self.schema.get_type(name)
        return named if named is not None and is_composite_type(named) else None  # type: ignore[return-value]

    def _argument(
        self, definition: Any, arguments: Mapping[str, Any], name: str, fallback: int
    ) -> int:
        """The value a size argument will have: the one written, or the schema's default."""
        default = _argument_default(definition, name)
        if default is None:
            default = fallback
        if name not in arguments:
            return default
        return self._int(arguments[name], default)

    def _int(self, value: Any, default: int) -> int:
        """An argument's integer value: a literal, a variable's value or default, or `default`."""
        if isinstance(value, VariableNode):
            name = value.name.value
            sent = self.variables.get(name)
            if isinstance(sent, int) and not isinstance(sent, bool):
                return max(sent, 0)
            value = self.variable_defaults.get(name)
        if isinstance(value, IntValueNode):
            try:
                return max(int(value.value), 0)
            except ValueError:
                return default
        return default


def _list_levels(field_type: GraphQLOutputType | None) -> int:
    """How many lists wrap the type: 0 for `Page`, 1 for `[Page!]!`, 2 for `[[Page]]`."""
    levels = 0
    while isinstance(field_type, (GraphQLNonNull, GraphQLList)):
        if isinstance(field_type, GraphQLList):
            levels += 1
        field_type = field_type.of_type
    return levels


def _argument_default(definition: Any, name: str) -> int | None:
    """The integer default of a field's argument; None without such an argument."""
    if definition is None:
        return None
    argument = definition.args.get(name)
    default = getattr(argument, "default_value", None)
    return default if isinstance(default, int) and not isinstance(default, bool) else None


def count_aliases(document: DocumentNode) -> int:
    """The aliases written in the document (each fragment's once, however often it is spread)."""
    count = 0
    stack: list[Any] = [
        definition.selection_set
        for definition in document.definitions
        if isinstance(definition, (OperationDefinitionNode, FragmentDefinitionNode))
    ]
    while stack:
        selection_set = stack.pop()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode) and selection.alias is not None:
                count += 1
            if getattr(selection, "selection_set", None) is not None:
                stack.append(selection.selection_set)
    return count


def check_document(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Mapping[str, Any] | None = None,
    config: Mapping[str, Any] | None = None,
) -> tuple[list[GraphQLError], int]:
    """The limits `document` breaks, as coded errors, and its estimated cost.

    Runs before the spec's validation rules, so it never relies on the document being valid:
    unknown fields cost 1 and select nothing measurable, unknown or cyclic fragments count as
    nothing (validation reports them).
    """
    config = config or limits()
    operations = [
        definition
        for definition in document.definitions
        if isinstance(definition, OperationDefinitionNode)
    ]
    if len(operations) > config["MAX_OPERATIONS"]:
        return [
            limit_error(
                f"The document defines {len(operations)} operations: send one operation per "
                "request."
            )
        ], 0

    errors = []
    aliases = count_aliases(document)
    if aliases > config["MAX_ALIASES"]:
        errors.append(
            limit_error(f"The document has {aliases} aliases, more than {config['MAX_ALIASES']}.")
        )

    analyzer = _Analyzer(schema, document, variables, config)
    try:
        measure = Measure()
        for operation in operations:
            measure += analyzer.operation(operation)
    except RecursionError:
        return [*errors, limit_error("The query is nested too deeply.")], 0

    if measure.depth > config["MAX_DEPTH"]:
        errors.append(
            limit_error(
                f"The query is {measure.depth} fields deep, more than {config['MAX_DEPTH']}."
            )
        )
    if measure.list_nesting > config["MAX_LIST_NESTING"]:
        errors.append(
            limit_error(
                f"The query nests {measure.list_nesting} lists one inside another, more than "
                f"{config['MAX_LIST_NESTING']}."
            )
        )
    if measure.cost > config["MAX_COST"]:
        errors.append(
            limit_error(
                f"The query's estimated cost is {measure.cost}, more than {config['MAX_COST']}: "
                "ask for fewer items per list, or fewer lists.",
                cost=measure.cost,
                maxCost=config["MAX_COST"],
            )
        )
    return errors, measure.cost
