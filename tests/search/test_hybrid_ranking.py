"""The embedded engine's hybrid ranking, on the engine itself: a page found by its meaning
only is ranked once (by its vector), not also as if found by its words; a misspelt query
ranks by the corrected words' meaning in one search, as two searches did."""

from __future__ import annotations

import dataclasses

from search.engines import get_engine
from search.hybrid import run_search
from search.query import SearchRequest, parse_query
from search.ranking import RRF_K


def hybrid_request(text: str) -> SearchRequest:
    return SearchRequest(query=parse_query(text), locale="en", mode="hybrid")


def test_a_page_found_only_by_its_meaning_scores_its_semantic_rank_only(hybrid, indexed):
    engine = get_engine()
    assert engine.search(SearchRequest(query=parse_query("drogues"), locale="en")).total == 0
    found = run_search(engine, hybrid_request("drogues"))
    assert found.hits
    # No word matches: each hit is in the semantic ranking alone, 1 / (k + its rank there).
    for rank, hit in enumerate(found.hits, start=1):
        assert abs(hit.score - 1 / (RRF_K + rank)) < 1e-9, (rank, hit)


def test_a_misspelt_query_takes_one_search_with_the_corrected_meaning(hybrid, indexed, monkeypatch):
    engine = get_engine()
    calls: list[SearchRequest] = []
    search = engine.search

    def counted(request):
        calls.append(request)
        return search(request)

    monkeypatch.setattr(engine, "search", counted)
    one = run_search(engine, hybrid_request("drgus harm"))
    assert one.suggestion == "drugs harm"
    assert len(calls) == 1
    # As an engine that cannot respell answers: twice, the second time with the new vector.
    calls.clear()
    monkeypatch.setattr(type(engine), "respells_vectors", False)
    monkeypatch.setattr(engine, "search", lambda r: counted(dataclasses.replace(r, respell=None)))
    two = run_search(engine, hybrid_request("drgus harm"))
    assert len(calls) == 2
    assert [(h.id, h.score) for h in one.hits] == [(h.id, h.score) for h in two.hits]
    assert (one.total, one.facets, one.suggestion) == (two.total, two.facets, two.suggestion)
