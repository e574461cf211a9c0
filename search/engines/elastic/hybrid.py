"""The Elasticsearch engine's hybrid search, in two requests on the basic license:

1. `knn_body`: the semantic matches, a `knn` search over the pages' passage vectors with the
   lexical query's scope (locale, site) as its filter and the minimum similarity, returning
   the hits' sources (a page found by meaning alone is shown from this answer).
2. `hybrid_body`: the lexical request (`queries.search_request`, same facets, post_filter and
   highlights) whose query matches the words OR the semantic matches' ids (those scoring 0,
   so the lexical ranking can be read off the scores), with one more aggregation: which
   semantic matches pass every facet filter. The rankings are fused by `search.ranking.fuse`,
   the function the embedded engine uses.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from elasticsearch.dsl import Q, Search

from ...analysis import analysis_language
from ...query import SearchRequest
from ...ranking import window
from .queries import HIT_SOURCE, _all_of, _facet_filters, _scope, search_request, word_queries

# The fallback highlight of a page found by meaning alone is its summary.
SEMANTIC_SOURCE = [*HIT_SOURCE, "summary_*"]
SEMANTIC_LIVE = "semantic_live"


def knn_search(request: SearchRequest) -> Search:
    limit = settings.SEARCH_SEMANTIC_MAX_MATCHES
    scope = _scope(request.locale, request.site)
    search = Search().knn(
        field="passages.vector",
        k=limit,
        # HNSW is approximate: look at more candidates than kept for an exact-enough top k.
        num_candidates=max(2 * limit, 100),
        query_vector=[float(x) for x in request.vector],
        filter=scope[0] if len(scope) == 1 else Q("bool", filter=scope),
        similarity=settings.SEARCH_SEMANTIC_MIN_SIMILARITY,
    )
    return search.extra(size=limit).source(SEMANTIC_SOURCE)


def knn_body(request: SearchRequest) -> dict[str, Any]:
    return knn_search(request).to_dict()


def hybrid_search(request: SearchRequest, semantic_ids: list[int]) -> Search:
    """The lexical request, matching the words or `semantic_ids` (see the module)."""
    words = Q("bool", must=word_queries(request, analysis_language(request.locale)))
    semantic = Q("constant_score", filter=Q("terms", id=semantic_ids), boost=0)
    query = Q(
        "bool",
        should=[words, semantic],
        minimum_should_match=1,
        filter=_scope(request.locale, request.site),
    )
    search = search_request(request, query)
    filters = list(_facet_filters(request).values())
    search.aggs.bucket(
        SEMANTIC_LIVE, "filter", filter=_all_of([Q("terms", id=semantic_ids), *filters])
    ).bucket("ids", "terms", field="id", size=len(semantic_ids))
    if request.sort == "relevance":
        depth = window(request.offset, request.per_page, settings.SEARCH_SEMANTIC_MAX_MATCHES)
        search = search.extra(from_=0, size=depth)
    return search


def hybrid_body(request: SearchRequest, semantic_ids: list[int]) -> dict[str, Any]:
    return hybrid_search(request, semantic_ids).to_dict()


def summary_of(source: dict[str, Any], locale: str) -> str:
    return source.get(f"summary_{analysis_language(locale)}") or ""


def similar_search(
    vector: list[float],
    *,
    page_id: int,
    locale: str,
    sites: list[str],
    types: tuple[str, ...],
    limit: int,
) -> Search:
    """The pages of `types` in `locale` and on one of `sites` (the page's own: a page of one
    site is never suggested on another) nearest `vector` (a page's own), the page excluded."""
    scope = [Q("term", locale=locale), Q("terms", sites=list(sites))]
    if types:
        scope.append(Q("terms", type=list(types)))
    search = Search().knn(
        field="passages.vector",
        k=limit,
        num_candidates=max(10 * limit, 100),
        query_vector=vector,
        filter=Q("bool", filter=scope, must_not=[Q("ids", values=[str(page_id)])]),
    )
    return search.extra(size=limit).source(["id"])


def similar_body(
    vector: list[float],
    *,
    page_id: int,
    locale: str,
    sites: list[str],
    types: tuple[str, ...],
    limit: int,
) -> dict[str, Any]:
    return similar_search(
        vector, page_id=page_id, locale=locale, sites=sites, types=types, limit=limit
    ).to_dict()
