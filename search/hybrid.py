"""A search as the API runs it on an engine: with the query's vector when the mode is HYBRID
(quoted phrases and excluded words keep it lexical), and, when the words look misspelt, with
the vector of the corrected words: a typo's vector is near other pages than the word's, and
fused with the fuzzy lexical matches it pushed the right page down (benchmarks/RESULTS.md).
An engine that finds the correction before it ranks (`respells_vectors`: the embedded one)
does this in the same search; the others are asked a second time."""

from __future__ import annotations

import dataclasses

from .engines.base import BaseSearchEngine
from .query import SearchRequest, SearchResponse, parse_query
from .vectors import query_vector


def run_search(engine: BaseSearchEngine, request: SearchRequest) -> SearchResponse:
    """The engine's answer to `request`, its vector added for a hybrid search."""
    if request.mode != "hybrid" or request.query.phrases or request.query.excluded:
        return engine.search(request)
    request = dataclasses.replace(
        request, vector=query_vector(request.query), respell=respelled_vector
    )
    response = engine.search(request)
    if engine.respells_vectors or response.suggestion is None or request.vector is None:
        return response
    corrected = query_vector(parse_query(response.suggestion))
    if corrected is None:
        return response
    # The user's words still match lexically (fuzzily); only the meaning is the corrected one.
    return engine.search(dataclasses.replace(request, vector=corrected))


def respelled_vector(suggestion: str):
    """The vector of a corrected query (None: keep the words' own)."""
    return query_vector(parse_query(suggestion))
