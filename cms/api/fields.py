"""Declarations for `graphql_fields` that grapple lacks: plain lists resolved by a model method.

Grapple wraps lists of foreign keys and snippets in its QuerySetList, which adds `order`,
`limit` and `searchQuery` arguments that reach the ORM unchecked. A list declared here has no
arguments: the model method named as `source` returns exactly what may be shown.
"""

from __future__ import annotations

import graphene
from django.apps import apps
from grapple.models import GraphQLField
from grapple.registry import registry


def GraphQLList(field_name: str, model_label: str, *, source: str, description: str = ""):
    """A required list of non-null items of `model_label`'s GraphQL type, from `source(info)`."""

    def item_type():
        return registry.models[apps.get_model(model_label)]

    def mixin():
        return GraphQLField(
            field_name,
            graphene.List(graphene.NonNull(item_type), required=True),
            source=source,
            description=description or None,
        )

    return mixin


def GraphQLLimitedList(
    field_name: str, model_label: str, *, source: str, description: str, limit: int, most: int
):
    """A required list like `GraphQLList`, with one argument, `limit` (default `limit`, at most
    `most`), passed to `source(info, limit=...)`, which checks it."""

    def item_type():
        return registry.models[apps.get_model(model_label)]

    def with_limit(field_type):
        return graphene.Field(
            field_type,
            description=description,
            limit=graphene.Int(default_value=limit, description=f"At most {most}"),
        )

    def mixin():
        field = GraphQLField(
            field_name,
            graphene.List(graphene.NonNull(item_type), required=True),
            source=source,
            description=description,
        )
        return field, with_limit

    return mixin
