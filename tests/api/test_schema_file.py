"""The committed schema.graphql is the schema served: a contract change is a visible diff."""

from pathlib import Path

from graphql import print_schema
from grapple.schema import schema

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"


def test_committed_schema_matches_the_served_schema():
    served = print_schema(schema.graphql_schema)
    committed = SCHEMA_FILE.read_text(encoding="utf-8")
    assert served == committed, (
        "schema.graphql is out of date: run `make schema` and commit the diff "
        "(front-end teams read it)."
    )
