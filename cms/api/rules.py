"""The API's graphql-core validation rules: the limits pass and the spec pass.

The limits pass (LimitCheck.rules: the NUL check, one operation, the cost rule) runs with
`validate()` before the spec's rules: it is linear in the document, whereas some of the
spec's rules (OverlappingFieldsCanBeMerged) are not. `SPEC_RULES` are the spec's rules as
this endpoint applies them, plus queries only. Limits for front ends: docs/graphql-http.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    StringValueNode,
    ValidationRule,
    specified_rules,
)
from graphql.language import BREAK
from graphql.validation import NoUnusedFragmentsRule

from .errors import BAD_USER_INPUT, GRAPHQL_VALIDATION_FAILED
from .query_cost import Measure, measure_document

_NUL = "\x00"


def limit_error(message: str, **extensions: Any) -> GraphQLError:
    """A refusal for breaking a limit: a validation failure, like any other refused document."""
    return GraphQLError(message, extensions={"code": GRAPHQL_VALIDATION_FAILED, **extensions})


@dataclass
class LimitCheck:
    """One request's limits pass: what the rules read (variables, limits) and what they found."""

    variables: Mapping[str, Any] | None
    config: Mapping[str, Any]
    # Set by the first two rules: a document refused by one of them is not measured.
    refused: bool = False
    # The estimated cost, once the cost rule measured the document (0 if it was refused).
    cost: int = 0

    def rules(self) -> tuple[type[ASTValidationRule], ...]:
        """The limits pass for this request: the NUL check, one operation, then the cost."""
        check = self

        class NulCheck(NoNulCharactersRule):
            limit_check = check

        class OneOperation(OneOperationRule):
            limit_check = check

        class Cost(QueryCostRule):
            limit_check = check

        return (NulCheck, OneOperation, Cost)


class NoNulCharactersRule(ValidationRule):
    """A string holding U+0000, in the document or in a variable, is refused (BAD_USER_INPUT).

    No use to anyone, and PostgreSQL refuses the character in any text it is sent. A document
    refused for it is not measured: this is its one error.
    """

    limit_check: LimitCheck

    def enter_document(self, *_args: Any) -> Any:
        if value_holds_nul(self.limit_check.variables):
            return self._refuse()
        return None

    def enter_string_value(self, node: StringValueNode, *_args: Any) -> Any:
        return self._refuse() if _NUL in node.value else None

    def _refuse(self) -> Any:
        self.limit_check.refused = True
        self.report_error(
            GraphQLError(
                "Strings cannot contain the NUL character (U+0000).",
                extensions={"code": BAD_USER_INPUT},
            )
        )
        return BREAK


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


class OneOperationRule(ValidationRule):
    """A document defines at most MAX_OPERATIONS operations (one): this is then its one error.

    Reported when the document has been read, unless it was refused for a NUL character.
    """

    limit_check: LimitCheck

    def leave_document(self, node: DocumentNode, *_args: Any) -> None:
        check = self.limit_check
        operations = sum(
            isinstance(definition, OperationDefinitionNode) for definition in node.definitions
        )
        if check.refused or operations <= check.config["MAX_OPERATIONS"]:
            return
        check.refused = True
        self.report_error(
            limit_error(
                f"The document defines {operations} operations: send one operation per request."
            )
        )


class QueryCostRule(ValidationRule):
    """The aliases, depth, nesting of lists and cost of the document, from one
    walk (cms.api.query_cost) against the limits in force; the cost goes to the LimitCheck.

    It never relies on the document being valid: unknown fields cost 1 and select nothing
    measurable, unknown or cyclic fragments count as nothing (the spec pass reports them).
    """

    limit_check: LimitCheck

    def leave_document(self, *_args: Any) -> None:
        check = self.limit_check
        if check.refused:
            return
        for error in self.errors(check.config):
            self.report_error(error)

    def errors(self, config: Mapping[str, Any]) -> list[GraphQLError]:
        """The limits the document breaks; its cost goes to the LimitCheck."""
        check = self.limit_check
        found = measure_document(
            self.context.schema, self.context.document, check.variables, config
        )
        errors = []
        if found.aliases > config["MAX_ALIASES"]:
            errors.append(
                limit_error(
                    f"The document has {found.aliases} aliases, more than {config['MAX_ALIASES']}."
                )
            )
        if found.measure is None:
            return [*errors, limit_error("The query is nested too deeply.")]
        check.cost = found.measure.cost
        return [*errors, *_measure_errors(found.measure, config)]


def _measure_errors(measure: Measure, config: Mapping[str, Any]) -> list[GraphQLError]:
    """The depth, nesting of lists and cost over their limits."""
    errors = []
    if measure.depth > config["MAX_DEPTH"]:
        errors.append(
            limit_error(
                f"The query is {measure.depth} fields deep, more than {config['MAX_DEPTH']}."
            )
        )
    if measure.list_nesting > config["MAX_LIST_NESTING"]:
        errors.append(
            limit_error(
                f"The query nests {measure.list_nesting} lists one inside another, more "
                f"than {config['MAX_LIST_NESTING']}."
            )
        )
    if measure.cost > config["MAX_COST"]:
        errors.append(
            limit_error(
                f"The query's estimated cost is {measure.cost}, more than "
                f"{config['MAX_COST']}: ask for fewer items per list, or fewer lists.",
                cost=measure.cost,
                maxCost=config["MAX_COST"],
            )
        )
    return errors


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


SPEC_RULES: tuple[type[ASTValidationRule], ...] = (
    *(AllFragmentsUsedRule if rule is NoUnusedFragmentsRule else rule for rule in specified_rules),
    QueryOperationsOnlyRule,
)
