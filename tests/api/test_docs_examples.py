"""Every example query in docs/graphql.md runs, without error, on demo-like data."""

import re
from pathlib import Path

import pytest

from search import indexing

from .catalogue_data import graphql

DOC = Path(__file__).resolve().parents[2] / "docs" / "graphql.md"
EXAMPLES = re.findall(r"```graphql\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
# Examples that need a variable from elsewhere (a preview token) are run by their own tests.
RUNNABLE = {re.search(r"query (\w+)", q)[1]: q for q in EXAMPLES if "$" not in q}


def test_the_doc_has_examples():
    assert len(RUNNABLE) >= 8


@pytest.mark.parametrize("name", sorted(RUNNABLE))
def test_documented_query_runs(client, catalogue, name):
    indexing.rebuild()  # the search examples read the index built from this catalogue
    data = graphql(client, RUNNABLE[name])

    assert "errors" not in data, data["errors"]
    for field, value in data["data"].items():
        assert value, f"{name}: {field} came back empty"
        if isinstance(value, dict) and "items" in value:
            assert value["items"], f"{name}: {field} listed nothing"
