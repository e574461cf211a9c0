"""What the Elasticsearch engine sends, compared exactly with the JSON in `expected/`.

No server is involved: these are the bodies a real cluster would receive (the live tier is
test_elastic_integration.py). Response handling is checked on answers shaped like
Elasticsearch 8's, written here by hand.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest

from search.documents import SearchDocument
from search.engines.elastic import (
    ElasticsearchEngine,
    alias_actions,
    document_body,
    index_definition,
    search_body,
    suggest_body,
    suggestion_text,
)
from search.engines.elastic import engine as elastic
from search.query import (
    UNKNOWN_YEAR,
    Facet,
    FacetValue,
    Highlight,
    SearchRequest,
    parse_query,
)

EXPECTED = Path(__file__).parent / "expected"


def expected(name: str) -> Any:
    return json.loads((EXPECTED / name).read_text())


ENGLISH = SearchDocument(
    id=101,
    type="publication",
    kind="report",
    locale="en",
    title="Policing and urban security",
    url="/en/publications/policing-and-urban-security/",
    sites=["efus.eu", "localhost"],
    date=datetime.date(2023, 5, 4),
    subtitle="A guide for European cities",
    summary="How cities work with the police.",
    body="Prevention starts in the neighbourhood.",
    people="Ana Costa ; Jan Novak",
    tags="Policing ; SAFE ; Safer cities",
    topics=["policing", "prevention"],
    languages=["en", "fr"],
    pdf_text={"en": "Annex: local safety audits.", "fr": "Annexe : les audits locaux de sécurité."},
)
# No date, no subtitle, body or people; its only PDF is German.
FRENCH = SearchDocument(
    id=202,
    type="press_release",
    kind="press_release",
    locale="fr",
    title="Sécurité urbaine : l'Efus à Paris",
    url="/fr/communiques/securite-urbaine/",
    sites=["efus.eu"],
    date=None,
    summary="Le Forum réunit les villes.",
    tags="Sécurité urbaine",
    topics=["urban-security"],
    languages=["de"],
    pdf_text={"de": "Städtische Sicherheit."},
)


def test_the_index_has_the_expected_analyzers_and_strict_mapping():
    assert index_definition("catalogue-20250102030405060708").to_dict() == expected("index.json")


@pytest.mark.parametrize(
    ("document", "filename"), [(ENGLISH, "document_en.json"), (FRENCH, "document_fr.json")]
)
def test_a_document_body_holds_its_text_in_its_language_and_pdfs_in_theirs(document, filename):
    body = document_body(document)
    assert body.pop("version") == document.version()
    assert body == expected(filename)


def test_every_field_of_a_document_body_is_in_the_strict_mapping():
    properties = index_definition("x").to_dict()["mappings"]["properties"]
    for document in (ENGLISH, FRENCH):
        assert set(document_body(document)) <= set(properties)


def test_a_page_in_a_language_without_analyzer_is_indexed_as_english():
    document = SearchDocument(
        id=3,
        type="publication",
        kind="report",
        locale="nl",
        title="Veilige steden",
        url="/nl/veilige-steden/",
        sites=[],
        date=None,
        pdf_text={"en": "Safe cities.", "nl": "Veilige steden."},
    )
    body = document_body(document)
    assert body["title_en"] == "Veilige steden"
    # The strict mapping has no pdf_nl: that text joins the page language's field.
    assert body["pdf_en"] == "Safe cities.\nVeilige steden."
    assert not any(name.endswith("_nl") for name in body)


def test_the_alias_moves_from_every_old_index_to_the_new_one_in_one_call():
    actions = alias_actions(
        "catalogue",
        ["catalogue-20240301120000000000", "catalogue-20240101000000000000"],
        "catalogue-20250102030405060708",
    )
    assert actions == expected("alias_swap.json")


def test_a_first_alias_only_adds():
    assert alias_actions("catalogue", [], "catalogue-1") == [
        {"add": {"index": "catalogue-1", "alias": "catalogue"}}
    ]


SEARCHES = {
    "search_words.json": SearchRequest(query=parse_query("urban security"), locale="en"),
    "search_phrase.json": SearchRequest(query=parse_query('policing "safer cities"'), locale="en"),
    "search_exclusion.json": SearchRequest(query=parse_query("security -drugs"), locale="en"),
    "search_filters.json": SearchRequest(
        query=parse_query("sécurité"),
        locale="fr",
        types=("publication",),
        topics=("policing",),
        languages=("fr", "en"),
        year_from=2019,
        year_to=2023,
    ),
    "search_date_page_2.json": SearchRequest(
        query=parse_query("prevention"),
        locale="de",
        kinds=("report",),
        year_from=2020,
        sort="date",
        page=2,
        per_page=20,
    ),
    # A locale without its own analyzer searches the English fields of its own pages.
    "search_site.json": SearchRequest(query=parse_query("prevention"), locale="nl", site="efus.eu"),
}


@pytest.mark.parametrize(("filename", "request_"), SEARCHES.items(), ids=SEARCHES.keys())
def test_the_search_body_is_exactly_the_expected_one(filename, request_):
    assert search_body(request_) == expected(filename)


def test_the_suggest_body_is_exactly_the_expected_one():
    body = suggest_body("urban sec", locale="fr", site="efus.eu", limit=8)
    assert body == expected("suggest.json")


def _walk(value: Any, path: tuple = ()):
    """Every (path, key, value) of a nested body."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield path, key, item
            yield from _walk(item, (*path, key))
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item, path)


@pytest.mark.parametrize(
    "text",
    [
        "title:x OR y*",
        'a AND (b OR c) -d~2 title:"x y"^3',
        'url:/admin/* _id:1 {"script": 1}',
        "locale:fr +sites:evil.example \\ ! ?",
    ],
)
def test_query_syntax_typed_by_the_public_reaches_elasticsearch_as_plain_words(text):
    parsed = parse_query(text)
    body = search_body(SearchRequest(query=parsed, locale="en"))
    keys = {key for _path, key, _value in _walk(body)}
    assert not keys & {"query_string", "simple_query_string", "script", "regexp", "wildcard"}

    # The user's text only appears as multi_match `query` values, word by word...
    queries = [
        value
        for path, key, value in _walk(body)
        if key == "query" and path[-1:] == ("multi_match",)
    ]
    assert queries == [*parsed.words, *(" ".join(p) for p in parsed.phrases), *parsed.excluded]
    for query in queries:
        assert not set(query) & set(':*?~^()[]{}"\\/!+')
    # ...and every field searched is one of ours, whatever the text names.
    fields = {f for path, key, value in _walk(body) if key == "fields" for f in value}
    assert all(
        f.split("^")[0] == "spell" or f.split("^")[0].rsplit("_", 1)[-1] in ("en", "*")
        for f in fields
    )


def test_only_suggest_searches_titles_as_typed():
    # The prefix is a match query's text: "title:x*" is looked for as the words "title x".
    body = suggest_body("title:x*", locale="en", site=None, limit=5)
    keys = {key for _path, key, _value in _walk(body)}
    assert "query_string" not in keys and "wildcard" not in keys
    assert body["query"]["bool"]["filter"] == [{"term": {"locale": "en"}}]


# --- Answers -------------------------------------------------------------------------------


class _Answer:
    """A client whose searches return one canned Elasticsearch 8 answer."""

    def __init__(self, answer: dict[str, Any]) -> None:
        self.answer = answer
        self.bodies: list[dict[str, Any]] = []

    def search(self, *, index: str, body: dict[str, Any]) -> dict[str, Any]:
        self.bodies.append(body)
        return self.answer


def _buckets(*pairs: tuple[Any, int]) -> dict[str, Any]:
    return {"values": {"buckets": [{"key": key, "doc_count": count} for key, count in pairs]}}


SEARCH_ANSWER = {
    "hits": {
        "total": {"value": 42, "relation": "eq"},
        "hits": [
            {
                "_id": "101",
                "_score": 7.5,
                "_source": {
                    "id": 101,
                    "type": "publication",
                    "title": "Policing and urban security",
                    "url": "/en/publications/policing-and-urban-security/",
                    "date": "2023-05-04",
                },
                "highlight": {
                    "title_en": ["<mark>Policing</mark> and urban security"],
                    "body_en": ["<mark>Police</mark> &amp; cities"],
                    "pdf_fr": ["la <mark>police</mark> municipale"],
                    "pdf_en": ["one <mark>police</mark>", "two <mark>police</mark>"],
                },
            },
            {
                "_id": "202",
                "_score": 1.25,
                "_source": {"id": 202, "type": "press_release", "title": "No date", "url": ""},
            },
        ],
    },
    "aggregations": {
        "type": _buckets(("publication", 30), ("press_release", 12)),
        "kind": _buckets(("report", 20)),
        "topic": _buckets(("policing", 9)),
        "year": _buckets((2023, 5), (-1, 3)),
        "language": _buckets(("en", 40), ("fr", 2)),
    },
    "suggest": {
        "spell": [
            {"text": "policng", "offset": 0, "length": 7, "options": [{"text": "policing"}]},
            {"text": "cities", "offset": 8, "length": 6, "options": []},
        ]
    },
}


def test_a_search_answer_becomes_hits_facets_highlights_and_a_suggestion():
    engine = ElasticsearchEngine("http://127.0.0.1:1", index_name="catalogue")
    client = _Answer(SEARCH_ANSWER)
    engine._reader = lambda: client  # type: ignore[method-assign]
    request = SearchRequest(query=parse_query("policng cities -drugs"), locale="en")

    response = engine.search(request)

    assert client.bodies == [search_body(request)]
    assert response.total == 42
    first, second = response.hits
    assert (first.id, first.type, first.date, first.score) == (
        101,
        "publication",
        datetime.date(2023, 5, 4),
        7.5,
    )
    assert first.highlights == [
        Highlight("title", ["<mark>Policing</mark> and urban security"]),
        Highlight("body", ["<mark>Police</mark> &amp; cities"]),
        # Every PDF language's fragments, at most two, in a stable order.
        Highlight("pdf", ["one <mark>police</mark>", "two <mark>police</mark>"]),
    ]
    assert (second.date, second.highlights) == (None, [])
    assert response.facets[3] == Facet("year", [FacetValue("2023", 5), FacetValue(UNKNOWN_YEAR, 3)])
    assert [facet.name for facet in response.facets] == [
        "type",
        "kind",
        "topic",
        "year",
        "language",
    ]
    assert response.suggestion == "policing cities -drugs"


def test_a_search_sorted_by_date_has_no_scores():
    engine = ElasticsearchEngine("http://127.0.0.1:1", index_name="catalogue")
    engine._reader = lambda: _Answer(SEARCH_ANSWER)  # type: ignore[method-assign]
    request = SearchRequest(query=parse_query("police"), locale="en", sort="date")
    assert [hit.score for hit in engine.search(request).hits] == [0.0, 0.0]


def test_no_suggestion_when_every_word_is_known():
    parsed = parse_query("urban security")
    entries = [
        {"text": "urban", "offset": 0, "length": 5, "options": []},
        {"text": "security", "offset": 6, "length": 8, "options": []},
    ]
    assert suggestion_text(parsed, entries) is None


def test_a_suggestion_keeps_phrases_and_exclusions_and_skips_split_words():
    # "covid-19" is two tokens for the standard tokenizer: not corrected, as in the embedded
    # engine; "secuirty" is one, and is.
    parsed = parse_query('covid-19 secuirty "safer cities" -drugs')
    entries = [
        {"text": "covid", "offset": 0, "length": 5, "options": [{"text": "covis"}]},
        {"text": "19", "offset": 6, "length": 2, "options": []},
        {"text": "secuirty", "offset": 9, "length": 8, "options": [{"text": "security"}]},
    ]
    assert suggestion_text(parsed, entries) == 'covid-19 security "safer cities" -drugs'


def test_suggestions_come_back_as_titles():
    engine = ElasticsearchEngine("http://127.0.0.1:1", index_name="catalogue")
    answer = {
        "hits": {
            "total": {"value": 1, "relation": "eq"},
            "hits": [
                {
                    "_id": "7",
                    "_score": 1.0,
                    "_source": {"id": 7, "type": "publication", "title": "Urban", "url": "/u/"},
                }
            ],
        }
    }
    engine._reader = lambda: _Answer(answer)  # type: ignore[method-assign]
    [suggestion] = engine.suggest("urb", locale="en", site=None, limit=5)
    assert (suggestion.id, suggestion.title, suggestion.url) == (7, "Urban", "/u/")
    # Nothing to complete: no request at all.
    assert engine.suggest(" -*", locale="en", site=None, limit=5) == []


def test_a_rebuild_fills_a_new_index_then_swaps_the_alias_once_then_drops_the_old(monkeypatch):
    calls: list[tuple[str, Any]] = []

    class Indices:
        def create(self, *, index, settings, mappings, **extra):
            calls.append(("create", (index, settings.get("refresh_interval"), extra)))

        def put_settings(self, *, index, settings):
            calls.append(("put_settings", (index, settings)))

        def refresh(self, *, index):
            calls.append(("refresh", index))

        def exists_alias(self, *, name):
            return True

        def get_alias(self, *, name):
            return type("Answer", (), {"body": {"catalogue-old": {"aliases": {name: {}}}}})()

        def update_aliases(self, *, actions):
            calls.append(("update_aliases", actions))

        def delete(self, *, index, ignore_unavailable):
            calls.append(("delete", index))

    class Client:
        indices = Indices()

    def record_bulk(client, actions, **options):
        actions = list(actions)
        calls.append(("bulk", ({a["_index"] for a in actions}, len(actions), options)))

    monkeypatch.setattr(elastic, "bulk", record_bulk)
    engine = ElasticsearchEngine("http://127.0.0.1:1", index_name="catalogue")
    engine._writer = lambda: Client()  # type: ignore[method-assign]
    seen: list[int] = []
    documents = [
        SearchDocument(
            id=i, type="publication", kind="", locale="en", title=f"T{i}", url="", sites=[],
            date=None,
        )
        for i in range(1, 1202)
    ]  # fmt: skip

    result = engine.rebuild(iter(documents), progress=seen.append)

    new = result.index_name
    assert new.startswith("catalogue-") and len(new) == len("catalogue-") + 20
    assert result.documents == 1201
    assert seen == [500, 1000, 1201]
    assert [name for name, _args in calls] == [
        "create", "bulk", "bulk", "bulk", "put_settings", "refresh", "update_aliases", "delete",
    ]  # fmt: skip
    assert calls[0][1] == (new, "-1", {})
    assert [args for name, args in calls if name == "bulk"] == [
        ({new}, 500, {}),
        ({new}, 500, {}),
        ({new}, 201, {}),
    ]
    assert calls[6][1] == alias_actions("catalogue", ["catalogue-old"], new)
    assert calls[7][1] == "catalogue-old"


def test_a_failed_rebuild_drops_its_new_index_and_leaves_the_alias(monkeypatch):
    calls: list[str] = []

    class Indices:
        def create(self, *, index, settings, mappings, **extra):
            calls.append("create")

        def update_aliases(self, *, actions):
            calls.append("update_aliases")

        def delete(self, *, index, ignore_unavailable):
            calls.append(f"delete {index}")

    class Client:
        indices = Indices()

    def broken_documents():
        yield SearchDocument(
            id=1, type="publication", kind="", locale="en", title="T", url="", sites=[], date=None
        )
        raise RuntimeError("the database went away")

    monkeypatch.setattr(elastic, "bulk", lambda client, actions, **options: list(actions))
    engine = ElasticsearchEngine("http://127.0.0.1:1", index_name="catalogue")
    engine._writer = lambda: Client()  # type: ignore[method-assign]

    with pytest.raises(RuntimeError):
        engine.rebuild(broken_documents())
    assert calls[0] == "create" and "update_aliases" not in calls
    assert len(calls) == 2 and calls[1].startswith("delete catalogue-")
