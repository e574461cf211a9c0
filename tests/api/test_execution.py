"""The API's executor (cms/api/fast_leaves.py) answers exactly as graphql-core's own does.

Plain leaf fields take a shorter path there; these tests run the same documents through both
executors and compare data and errors, including the null and serialization errors.
"""

from __future__ import annotations

from types import SimpleNamespace

import graphene
import pytest
from graphene_django.settings import graphene_settings
from graphql import ExecutionContext, execute, parse

from cms.api.fast_leaves import CodedExecutionContext, plain_leaf


class Colour(graphene.Enum):
    RED = 1
    BLUE = 2


class Item(graphene.ObjectType):
    name = graphene.String(required=True)
    note = graphene.String()
    count = graphene.Int(required=True)
    colour = graphene.Field(Colour)
    shout = graphene.String()

    def resolve_shout(self, info):
        return self["name"].upper() if isinstance(self, dict) else self.name.upper()


class Query(graphene.ObjectType):
    items = graphene.List(Item)

    def resolve_items(root, info):
        return [
            {"name": "a dict", "note": None, "count": 1, "colour": 1},
            SimpleNamespace(name="an object", note="kept", count=2, colour=2),
            SimpleNamespace(name=None, note="x", count=3, colour=1),  # null in a non-null
            SimpleNamespace(name="bad count", note=None, count="many", colour=1),
            SimpleNamespace(name="bad colour", note=None, count=4, colour=7),
            {"name": "missing keys"},
        ]


SCHEMA = graphene.Schema(query=Query).graphql_schema
DOCUMENT = parse("{ items { name note count colour shout alias: count __typename } }")


def answer(context_class, **kwargs) -> tuple:
    result = execute(SCHEMA, DOCUMENT, execution_context_class=context_class, **kwargs)
    return result.data, [error.formatted for error in result.errors or []]


def test_plain_leaves_answer_as_graphql_core_does():
    data, errors = answer(CodedExecutionContext)
    assert (data, errors) == answer(ExecutionContext)
    # The cases compared above are all there: values, nulls, and each kind of error.
    assert data["items"][0] == {
        "name": "a dict",
        "note": None,
        "count": 1,
        "colour": "RED",
        "shout": "A DICT",
        "alias": 1,
        "__typename": "Item",
    }
    assert data["items"][2] is None  # a null name nulls its whole (nullable) item
    assert len(errors) == 4
    assert "Cannot return null for non-nullable field Item.name." in errors[0]["message"]
    assert errors[0]["path"] == ["items", 2, "name"]


def test_a_configured_middleware_still_sees_every_field():
    def fields_seen(context_class) -> list[str]:
        seen: list[str] = []

        def record(next_, root, info, **args):
            seen.append(info.field_name)
            return next_(root, info, **args)

        execute(SCHEMA, DOCUMENT, execution_context_class=context_class, middleware=[record])
        return seen

    seen = fields_seen(CodedExecutionContext)
    assert seen == fields_seen(ExecutionContext)
    assert seen.count("note") == 5  # the item with a null name stops at it


def test_plain_leaves_skip_the_resolve_info(monkeypatch):
    built: list[str] = []
    original = CodedExecutionContext.build_resolve_info

    def counting(self, field_def, field_nodes, parent_type, path):
        built.append(field_nodes[0].name.value)
        return original(self, field_def, field_nodes, parent_type, path)

    monkeypatch.setattr(CodedExecutionContext, "build_resolve_info", counting)
    execute(SCHEMA, DOCUMENT, execution_context_class=CodedExecutionContext)
    # `items` has its own resolver, `shout` too, `__typename` is graphql-core's.
    assert set(built) == {"items", "shout", "__typename"}


@pytest.mark.parametrize(
    ("type_name", "field_name", "plain"),
    [
        ("SearchFacetValue", "count", True),
        ("SearchHit", "title", True),
        ("SearchHit", "highlights", False),  # a list of objects
        ("SearchHit", "item", False),  # a resolver of its own
        ("SearchHighlight", "fragments", False),  # a list
        ("ImageObjectType", "srcSet", False),  # arguments
        ("SearchHit", "__typename", False),
    ],
)
def test_which_fields_of_the_api_are_plain_leaves(type_name, field_name, plain):
    schema = graphene_settings.SCHEMA.graphql_schema
    assert (plain_leaf(schema.type_map[type_name], field_name) is not None) is plain
