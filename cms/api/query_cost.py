"""The static measure of a document: estimated cost, depth, nesting of lists and aliases.

One walk of the operations, linear in the document: named fragments are expanded through a
memo, so a "fragment bomb" (each fragment spreading the previous one ten times) costs as
little to measure as it is long. A fragment cycle or an unknown fragment counts as nothing
here; the spec's validation rules report it. The cost model: docs/graphql-http.md ("Limits").
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLList,
    GraphQLNonNull,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    Node,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    is_composite_type,
    is_leaf_type,
)
from graphql.type import GraphQLCompositeType

# The argument that sizes a paginated root field's `items`, and the one that sizes a tree list.
PAGE_SIZE_ARGUMENT = "perPage"
# The list of a paginated field's object that is as long as its page (its `facets` are not).
PAGE_ITEMS_FIELD = "items"
LIST_SIZE_ARGUMENT = "limit"
SIZE_ARGUMENTS = frozenset({PAGE_SIZE_ARGUMENT, LIST_SIZE_ARGUMENT})


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
    """Measures the operations of one document against a schema, linear in the document.

    Counts the document's aliases on the way: each fragment's once, however often it is
    spread or under however many page sizes it is measured.
    """

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
        self.aliases = 0
        # Fragments whose aliases are counted: every later walk of one counts none.
        self.counted: set[str] = set()

    def operation(self, operation: OperationDefinitionNode) -> Measure:
        """The measure of one operation (its variables' defaults count when none is sent)."""
        self.variable_defaults = {
            definition.variable.name.value: definition.default_value
            for definition in operation.variable_definitions or ()
        }
        root = self.schema.get_root_type(operation.operation)
        return self.selection_set(operation.selection_set, root, None, True)

    def unspread_fragments(self) -> None:
        """Count the aliases of the fragments no operation reached (validation refuses them)."""
        for name in self.fragments:
            if name not in self.counted:
                self.spread(name, None)

    def selection_set(
        self,
        selection_set: SelectionSetNode,
        parent: GraphQLCompositeType | None,
        page_size: int | None,
        count: bool,
    ) -> Measure:
        """The measure of the selections; `page_size` is the size a list inside is given,
        `count` whether their aliases are still to be counted."""
        total = Measure()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent, page_size, count)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self._type(condition.name.value) if condition else parent
                total += self.selection_set(selection.selection_set, inner, page_size, count)
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
        count = name not in self.counted
        self.counted.add(name)
        try:
            measure = self.selection_set(
                fragment.selection_set,
                self._type(fragment.type_condition.name.value),
                page_size,
                count,
            )
        finally:
            self.in_progress.discard(name)
        self.memo[key] = measure
        return measure

    def field(
        self,
        node: FieldNode,
        parent: GraphQLCompositeType | None,
        page_size: int | None,
        count: bool,
    ) -> Measure:
        """One field and what it selects."""
        name = node.name.value
        if count and node.alias is not None:
            self.aliases += 1
        if name.startswith("__"):
            # Introspection is on or off as a whole (GRAPHQL_INTROSPECTION), and GraphiQL's
            # own introspection query is deeper than any front-end query needs to be.
            if count and node.selection_set is not None:
                self.aliases += count_aliases(node.selection_set)
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
            elif level == 0 and page_size is not None and name == PAGE_ITEMS_FIELD:
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
        # A root field's extra cost by its name, any other field's as "Type.field".
        own_cost += self.config.get("FIELD_COSTS", {}).get(
            name if parent is self.schema.query_type else f"{getattr(parent, 'name', '')}.{name}",
            0,
        )
        inner = Measure()
        if node.selection_set is not None:
            composite = named if named is not None and is_composite_type(named) else None
            inner = self.selection_set(node.selection_set, composite, inner_page_size, count)  # type: ignore[arg-type]
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


def size_variables(document: DocumentNode) -> frozenset[str]:
    """The variables the measure may read (`_Analyzer._int`): those given as the value of a
    `perPage` or `limit` argument anywhere in `document`, whatever the field. Every other
    variable leaves the measure as it is; memoized per document (a repeat is the same one)."""
    found = _SIZE_VARIABLES.get(id(document))
    if found is not None and found[0] is document:
        return found[1]
    names: set[str] = set()
    stack: list[Any] = [document]
    while stack:  # not recursive: the document is not yet known to nest within the limits
        node = stack.pop()
        if isinstance(node, ArgumentNode):
            if node.name.value in SIZE_ARGUMENTS and isinstance(node.value, VariableNode):
                names.add(node.value.name.value)
            continue
        for key in node.keys:
            value = getattr(node, key, None)
            if isinstance(value, Node):
                stack.append(value)
            elif isinstance(value, tuple | list):
                stack.extend(item for item in value if isinstance(item, Node))
    result = frozenset(names)
    if len(_SIZE_VARIABLES) >= 256:  # bounded: drop the oldest (a lost entry is a walk)
        with contextlib.suppress(KeyError, StopIteration, RuntimeError):
            _SIZE_VARIABLES.pop(next(iter(_SIZE_VARIABLES)))
    _SIZE_VARIABLES[id(document)] = (document, result)
    return result


_SIZE_VARIABLES: dict[int, tuple[DocumentNode, frozenset[str]]] = {}


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


def count_aliases(root: DocumentNode | SelectionSetNode) -> int:
    """The aliases written under `root`, spreads not followed; a document's are each
    fragment's once (the measure's fallback when a document nests past the recursion limit)."""
    count = 0
    stack: list[Any] = (
        [
            definition.selection_set
            for definition in root.definitions
            if isinstance(definition, (OperationDefinitionNode, FragmentDefinitionNode))
        ]
        if isinstance(root, DocumentNode)
        else [root]
    )
    while stack:
        selection_set = stack.pop()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode) and selection.alias is not None:
                count += 1
            if getattr(selection, "selection_set", None) is not None:
                stack.append(selection.selection_set)
    return count


@dataclass(frozen=True)
class DocumentMeasure:
    """The measure of a whole document: its operations side by side, and its aliases."""

    aliases: int
    # None when the document nests fragments past what the walk can follow.
    measure: Measure | None


def measure_document(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Mapping[str, Any] | None,
    config: Mapping[str, Any],
) -> DocumentMeasure:
    """Measure `document` in one walk; it need not be valid (unknown fields cost 1)."""
    operations = [
        definition
        for definition in document.definitions
        if isinstance(definition, OperationDefinitionNode)
    ]
    analyzer = _Analyzer(schema, document, variables, config)
    try:
        measure = Measure()
        for operation in operations:
            measure += analyzer.operation(operation)
        analyzer.unspread_fragments()
    except RecursionError:
        return DocumentMeasure(count_aliases(document), None)
    return DocumentMeasure(analyzer.aliases, measure)
