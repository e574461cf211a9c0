"""A bounded fuzz of the public GraphQL API: 1,000 queries generated from the served schema.

hypothesis-graphql builds valid queries for the `Query` type of the schema /graphql/ serves
(any root field, any selection below it, any arguments), with hostile strings and ids among
the argument values. Each one is POSTed to /graphql/ as a front end would, against a small
catalogue (every page type, downloads, topics, a translation).

What it proves, for every generated query:

* the server never answers 5xx;
* no error is INTERNAL_SERVER_ERROR: an argument the API cannot use is refused as
  BAD_USER_INPUT (or by validation and the query limits), never reaches the ORM unchecked;
* every error carries `extensions.code`;
* no response reveals internals: tracebacks, file paths, module names, SQL, the database,
  hosts, model field names or ORM lookups.

The run is derandomized (the same 1,000 queries each time) so it is a stable part of the
normal suite, not a flaky one.
"""

import json
import re

import graphql
import pytest
from django.test import Client
from grapple.schema import schema as grapple_schema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes, queries

from cms.api.errors import INTERNAL_SERVER_ERROR

EXAMPLES = 1000

# Values a hostile or careless client sends, mixed with whatever hypothesis makes up.
NASTY_STRINGS = [
    "abc",
    "-1",
    "0",
    "1",
    "99999999999999999999",
    "9223372036854775808",
    "1e3",
    "",
    " ",
    "' OR 1=1 --",
    '"; DROP TABLE wagtailcore_page; --',
    "../",
    "../../etc/passwd",
    "/",
    "//",
    "/publications/preventing-drug-harm/",
    "/fr/publications/preventing-drug-harm/",
    "preventing-drug-harm",
    "en",
    "fr",
    "xx",
    "EN",
    "report",
    "declaration",
    "drugs",
    "-date",
    "title",
    "path",
    "-pk",
    "locale__language_code",
    "owner__password",
    "publications.PublicationPage",
    "wagtailcore.Page",
    "localhost",
    "example.com",
    "width-100",
    "fill-10x10",
    "webp",
    "#fff",
    "%",
    "_",
    "\\",
    "\x00",
    "\u202e\u0645\u0631\u062d\u0628\u0627",
    "Prévenir 🚀 日本語",
    "a" * 2000,
]
STRINGS = st.one_of(st.sampled_from(NASTY_STRINGS), st.text(max_size=30)).map(nodes.String)
IDS = st.one_of(
    st.sampled_from(NASTY_STRINGS),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
).map(nodes.String)
POSITIVE_INTS = st.one_of(
    st.sampled_from([0, 1, 100, 101, 2**31 - 1]), st.integers(min_value=0, max_value=2**31 - 1)
).map(nodes.Int)

# What no response may contain: each one would tell a client how the service is built.
LEAKS = [
    "Traceback",
    'File "/',
    "django.",
    "SELECT ",
    "psycopg",
    "sqlite",
    "127.0.0.1",
    "localhost:9200",
    "publication_type",
    "date_precision",
    "wagtailcore_",
    "__",
]


def _served_documents():
    """Documents (not yet printed) for the Query type of the schema /graphql/ serves."""
    return queries(
        graphql.print_schema(grapple_schema.graphql_schema),
        custom_scalars={"String": STRINGS, "ID": IDS, "PositiveInt": POSITIVE_INTS},
        print_ast=lambda document: document,
    )


def _plausible_arguments(catalogue) -> dict[str, list[graphql.ValueNode]]:
    """Values the catalogue answers to, by argument name.

    Hostile values alone are refused at the root field, so the fields below it (items,
    downloads, tree navigation, renditions...) would seldom run: in half of the queries, nine
    in ten arguments with these names are given one of these values or left out instead.
    """
    pages = [
        catalogue.drug_guide,
        catalogue.night_guide,
        catalogue.french_drug_guide,
        catalogue.declaration,
        catalogue.press_release,
    ]
    strings = {
        "type": ["report", "guide"],
        "kind": ["declaration"],
        "order": ["-date", "date", "title", "-title"],
        "locale": ["en", "fr"],
        "language": ["en", "fr"],
        "site": ["localhost"],
        "topic": ["drugs", "public-spaces"],
        "project": [catalogue.drug_guide.project.slug],
        "slug": [page.slug for page in pages],
        "urlPath": ["/", "/fr/", *("/" + page.url_path.split("/", 2)[2] for page in pages)],
        "id": [str(page.pk) for page in pages],
        "country": ["BE", "be"],
    }
    ints = {
        "page": [1, 1, 2],
        "perPage": [1, 20, 100],
        "year": [2019, 2021, 2022, 2024],
        "limit": [1, 20, 100],
        "offset": [0, 1],
        "width": [100],
        "height": [100],
    }
    plausible = {name: [nodes.String(v) for v in values] for name, values in strings.items()}
    plausible.update({name: [nodes.Int(v) for v in values] for name, values in ints.items()})
    return plausible


def _with_plausible_arguments(document, plausible, data) -> str:
    """`document` printed, with most of its arguments named in `plausible` replaced."""

    class Replace(graphql.Visitor):
        def enter_argument(self, node, *_args):
            values = plausible.get(node.name.value)
            if values is None or node.value.kind in ("variable", "list_value", "object_value"):
                return None
            choice = data.draw(st.integers(0, 9))
            if choice == 0:
                return None  # the generated, maybe hostile, value
            if choice <= 4:
                # Filters left out, as most front ends send them, so the lists are not empty.
                return graphql.REMOVE
            return graphql.ArgumentNode(name=node.name, value=data.draw(st.sampled_from(values)))

    return graphql.print_ast(graphql.visit(document, Replace()))


def _without_introspection(text: str) -> str:
    return re.sub(r"__(typename|schema|type)\b", "", text)


def _check(query: str, response) -> list[str]:
    """The problems with one response (empty: it is fine)."""
    problems = []
    text = response.content.decode()
    if response.status_code >= 500:
        problems.append(f"status {response.status_code}")
    # GraphQL's own names (__typename) are no leak; nor is the client's own value echoed back.
    plain_text, plain_query = _without_introspection(text), _without_introspection(query)
    for leak in LEAKS:
        if leak in plain_text and leak not in plain_query:
            problems.append(f"response contains {leak!r}")
    try:
        body = json.loads(text)
    except ValueError:
        return [*problems, "response is not JSON"]
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        if code is None:
            problems.append(f"error without a code: {error.get('message')!r}")
        elif code == INTERNAL_SERVER_ERROR:
            problems.append(f"internal error at {error.get('path')}")
    return problems


@pytest.mark.django_db
def test_generated_queries_never_fail_or_leak(catalogue, caplog):
    """1,000 schema-generated queries: no 5xx, no internal error, codes on all, no leaks."""
    client = Client()
    failures: dict[str, str] = {}
    sent = []
    plausible = _plausible_arguments(catalogue)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(document=_served_documents(), data=st.data())
    def send(document, data) -> None:
        # Half the queries as generated (hostile values everywhere), half made plausible.
        if data.draw(st.booleans()):
            query = graphql.print_ast(document)
        else:
            query = _with_plausible_arguments(document, plausible, data)
        sent.append(query)
        caplog.clear()
        response = client.post(
            "/graphql/", json.dumps({"query": query}), content_type="application/json"
        )
        # The log says which exception an internal error hid: distinct failures, not paths.
        logged = "; ".join(r.getMessage().split(": ", 1)[-1] for r in caplog.records)
        for problem in _check(query, response):
            failures.setdefault(f"{problem} ({logged})" if logged else problem, query)

    send()
    assert len(sent) >= EXAMPLES
    assert not failures, "\n\n".join(f"{problem}:\n{query}" for problem, query in failures.items())


@pytest.mark.parametrize(
    ("query", "argument"),
    [
        ("{ publications(page: null) { items { title } } }", "page"),
        ("{ publications(perPage: null) { items { title } } }", "perPage"),
        ("{ pressReleases { items { siblings(limit: null) { title } } } }", "limit"),
        ("{ pressReleases { items { children(offset: null) { title } } } }", "offset"),
    ],
)
@pytest.mark.django_db
def test_explicit_null_is_refused_not_a_crash(catalogue, query, argument):
    """Failures the fuzz found: `null` for an argument with a default reached a comparison."""
    response = Client().post(
        "/graphql/", json.dumps({"query": query}), content_type="application/json"
    )
    errors = response.json()["errors"]
    assert [error["extensions"]["code"] for error in errors] == ["BAD_USER_INPUT"], errors
    assert errors[0]["extensions"]["argument"] == argument
