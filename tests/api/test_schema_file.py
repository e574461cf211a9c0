"""The committed schema.graphql is the schema served: a contract change is a visible diff; its
root fields are those the apps register."""

from pathlib import Path

from graphene.utils.str_converters import to_camel_case
from graphql import print_schema
from grapple.schema import schema

from cms.schema import CmsQuery
from positions.schema import PositionsQuery
from publications.schema import PublicationsQuery
from search.schema import SearchQuery

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"


def test_committed_schema_matches_the_served_schema():
    served = print_schema(schema.graphql_schema)
    committed = SCHEMA_FILE.read_text(encoding="utf-8")
    assert served == committed, (
        "schema.graphql is out of date: run `make schema` and commit the diff "
        "(front-end teams read it)."
    )


def test_the_root_fields_are_the_apps_own_and_none_of_grapples():
    # Grapple's own root fields (`pages`, `documents`, ...) are absent: asked over HTTP in
    # test_leaks. Each app registers its fields from its own wagtail_hooks.py.
    registered = {
        to_camel_case(name)
        for query in (CmsQuery, PublicationsQuery, PositionsQuery, SearchQuery)
        for name in query._meta.fields
    }
    root_fields = set(schema.graphql_schema.query_type.fields)

    assert root_fields == registered
    assert {"publications", "positionPapers", "pressReleases", "topics", "page", "search"} <= (
        root_fields
    )
    assert not root_fields & {"pages", "documents", "images", "snippets", "sites", "redirects"}
