"""The Elasticsearch engine against a real cluster: `ELASTICSEARCH_URL=... pytest -m elasticsearch`.

Skipped without ELASTICSEARCH_URL (the test settings never set it: only the environment
does). Each test gets its own index name, prefixed per run and worker, deleted afterwards.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import uuid
from collections.abc import Iterator

import numpy as np
import pytest
from elasticsearch import Elasticsearch

from search.documents import SearchDocument
from search.engines.elastic import ElasticsearchEngine
from search.query import SearchRequest, parse_query

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")

pytestmark = [
    pytest.mark.elasticsearch,
    pytest.mark.skipif(not ELASTICSEARCH_URL, reason="ELASTICSEARCH_URL is not set"),
]

RUN = uuid.uuid4().hex[:8]


def page(id_: int, title: str, **fields) -> SearchDocument:
    fields.setdefault("type", "publication")
    fields.setdefault("kind", "report")
    fields.setdefault("locale", "en")
    fields.setdefault("sites", ["localhost"])
    fields.setdefault("date", datetime.date(2022, 3, 1))
    return SearchDocument(id=id_, title=title, url=f"/p/{id_}/", **fields)


POLICE = page(
    1,
    "Local police and crime prevention",
    summary="How city police forces prevent crime.",
    body="Neighbourhood police officers meet residents every week.",
    topics=["policing"],
    languages=["en"],
)
AUDIT_TITLE = page(2, "Safety audit handbook", topics=["prevention"], date=None)
AUDIT_PDF = page(
    3,
    "Annual review",
    pdf_text={"en": "The annual safety audit of every member city."},
    date=datetime.date(2021, 6, 1),
)
DECLARATION = page(
    4,
    "Declaration on policing and prevention",
    type="position_paper",
    kind="declaration",
    topics=["policing", "prevention"],
    languages=["fr"],
    date=datetime.date(2021, 1, 1),
)
SECURITE = page(
    5,
    "La sécurité urbaine en Europe",
    locale="fr",
    type="press_release",
    kind="press_release",
    summary="Les villes européennes et la prévention.",
    topics=["urban-security"],
)
CATALOGUE = [POLICE, AUDIT_TITLE, AUDIT_PDF, DECLARATION, SECURITE]


@pytest.fixture
def client() -> Iterator[Elasticsearch]:
    with Elasticsearch(ELASTICSEARCH_URL, request_timeout=30) as es:
        yield es


@pytest.fixture
def engine(settings, client: Elasticsearch) -> Iterator[ElasticsearchEngine]:
    # A cold single-node cluster in CI can be slow to create its first indexes.
    settings.SEARCH_TIMEOUT_SECONDS = 30
    settings.SEARCH_WRITE_TIMEOUT_SECONDS = 60
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"test-search-{RUN}-{worker}-{uuid.uuid4().hex[:6]}"
    yield ElasticsearchEngine(ELASTICSEARCH_URL, index_name=name)
    # Clusters refuse wildcard deletes by default: delete each concrete index by name.
    for index in client.indices.get(index=f"{name}-*", ignore_unavailable=True):
        client.indices.delete(index=index)


def search(engine: ElasticsearchEngine, text: str, locale: str = "en", **options):
    return engine.search(SearchRequest(query=parse_query(text), locale=locale, **options))


def ids(response) -> list[int]:
    return [hit.id for hit in response.hits]


def test_a_rebuild_swaps_the_alias_and_deletes_the_old_index(engine, client):
    assert not engine.exists()
    first = engine.rebuild(CATALOGUE)
    assert engine.exists()
    assert first.documents == len(CATALOGUE)
    assert list(client.indices.get_alias(name=engine.index_name)) == [first.index_name]

    during: list[list[int]] = []

    def search_while_filling(count: int) -> None:
        # Before the swap, searches still answer from the first index.
        during.append(sorted(ids(search(engine, "police"))))

    second = engine.rebuild([POLICE, SECURITE], progress=search_while_filling)

    # "police" and "policing" share a stem: the declaration is found too, until the swap.
    assert during == [[1, 4]]
    assert list(client.indices.get_alias(name=engine.index_name)) == [second.index_name]
    assert not client.indices.exists(index=first.index_name)
    assert ids(search(engine, "police")) == [1]
    assert engine.counts_by_type() == {"publication": 1, "press_release": 1}


def test_the_first_write_creates_the_index_and_documents_come_and_go(engine):
    engine.index_documents([POLICE])
    assert engine.exists()
    assert ids(search(engine, "police")) == [1]

    engine.index_documents([AUDIT_TITLE])
    engine.delete_documents([1, 999])  # 999 was never indexed: not an error
    assert ids(search(engine, "police")) == []
    assert ids(search(engine, "audit")) == [2]
    assert engine.versions() == {2: AUDIT_TITLE.version()}


def test_a_missing_alias_is_nothing_to_delete(engine):
    engine.delete_documents([1])
    assert not engine.exists()


def test_words_are_stemmed_and_accents_folded(engine):
    engine.rebuild(CATALOGUE)
    assert 1 in ids(search(engine, "policing"))
    assert ids(search(engine, "securite", locale="fr")) == [5]
    assert ids(search(engine, "europeennes", locale="fr")) == [5]
    # Locales never mix: the French page is not an English result.
    assert 5 not in ids(search(engine, "securite"))


def test_a_title_match_ranks_above_a_pdf_only_match(engine):
    engine.rebuild(CATALOGUE)
    assert ids(search(engine, "audit")) == [2, 3]


def test_phrases_and_exclusions(engine):
    engine.rebuild(CATALOGUE)
    assert ids(search(engine, '"crime prevention"')) == [1]
    assert 1 not in ids(search(engine, "prevention -police"))


def test_each_facet_is_counted_under_the_other_filters(engine):
    engine.rebuild(CATALOGUE)
    response = search(engine, "policing prevention", types=("publication",))
    assert ids(response) == [1]
    facets = {facet.name: {v.value: v.count for v in facet.values} for facet in response.facets}
    # The type facet ignores the type filter: the position paper is still offered...
    assert facets["type"] == {"publication": 1, "position_paper": 1}
    # ...while the other facets count publications only.
    assert facets["topic"] == {"policing": 1}
    assert facets["year"] == {"2022": 1}

    response = search(engine, "audit")
    years = {v.value: v.count for f in response.facets if f.name == "year" for v in f.values}
    assert years == {"2021": 1, "unknown": 1}

    response = search(engine, "audit", year_from=2021, year_to=2021)
    assert ids(response) == [3]


def test_highlights_mark_the_matched_words(engine):
    engine.rebuild(CATALOGUE)
    [hit] = search(engine, "crime").hits
    by_field = {h.field: h.fragments for h in hit.highlights}
    assert by_field["title"] == ["Local police and <mark>crime</mark> prevention"]
    assert "<mark>crime</mark>" in by_field["summary"][0]

    [hit] = search(engine, "annual member").hits
    assert any(h.field == "pdf" and "<mark>member</mark>" in h.fragments[0] for h in hit.highlights)


def test_typos_are_tolerated_and_corrected(engine):
    engine.rebuild(CATALOGUE)
    response = search(engine, "neighbourhod")
    assert ids(response) == [1]
    assert response.suggestion == "neighbourhood"
    assert search(engine, "police").suggestion is None


def test_suggest_completes_titles_in_the_locale_and_site(engine):
    engine.rebuild(CATALOGUE)
    suggestions = engine.suggest("local pol", locale="en", site=None, limit=5)
    assert [(s.id, s.title, s.url) for s in suggestions] == [
        (1, "Local police and crime prevention", "/p/1/")
    ]
    assert engine.suggest("local pol", locale="fr", site=None, limit=5) == []
    assert engine.suggest("local pol", locale="en", site="elsewhere.example", limit=5) == []
    assert [s.id for s in engine.suggest("la secu", locale="fr", site=None, limit=5)] == [5]


def test_versions_and_counts_by_type(engine):
    engine.rebuild(CATALOGUE)
    assert engine.versions() == {doc.id: doc.version() for doc in CATALOGUE}
    assert engine.counts_by_type() == {"publication": 3, "position_paper": 1, "press_release": 1}


def test_dates_sort_newest_first_with_undated_pages_last(engine):
    engine.rebuild(CATALOGUE)
    response = search(engine, "safety", sort="date")
    assert ids(response) == [3, 2]
    assert [hit.date for hit in response.hits] == [datetime.date(2021, 6, 1), None]


def _axis(position: int, *, lean: int | None = None) -> np.ndarray:
    """A unit vector along one axis (leaning towards another when `lean` is given)."""
    vector = np.zeros(512, dtype=np.float32)
    vector[position] = 1.0
    if lean is not None:
        vector[lean] = 0.5
    return (vector / np.linalg.norm(vector)).reshape(1, 512)


def test_a_page_is_found_by_its_vector_with_the_filters_applied(engine):
    near = dataclasses.replace(AUDIT_TITLE, vectors=_axis(0), embedded_by="test")
    far = dataclasses.replace(POLICE, vectors=_axis(1), embedded_by="test")
    other_type = dataclasses.replace(DECLARATION, vectors=_axis(0, lean=2), embedded_by="test")
    engine.rebuild([near, far, other_type, SECURITE])
    query = _axis(0, lean=3)[0]
    found = search(engine, "zzzz", mode="hybrid", vector=query)
    # No word matches: the two pages near the query vector, nearest first; not the far one.
    assert ids(found) == [2, 4]
    assert found.total == 2
    assert found.hits[0].highlights == []  # no summary to show
    filtered = search(engine, "zzzz", mode="hybrid", vector=query, types=("publication",))
    assert ids(filtered) == [2]
    assert ids(search(engine, "zzzz", locale="fr", mode="hybrid", vector=query)) == []
