"""The embedded engine's hybrid search: which pages match a query's vector (the semantic
matches), the query matching those or the words (what the facets count), the words' own
ranking, and the page of hits fused by rank with its total."""

from __future__ import annotations

from django.conf import settings
from tantivy import Occur, Query

from ...query import SearchRequest
from ...ranking import fuse, window
from .queries import all_of
from .schema import SCHEMA
from .vectors import VectorTable


def semantic_matches(table: VectorTable | None, request: SearchRequest) -> list[tuple[int, float]]:
    """The pages of the request's locale and site whose best vector is at least
    SEARCH_SEMANTIC_MIN_SIMILARITY from the query's, the SEARCH_SEMANTIC_MAX_MATCHES best,
    best first; none for a lexical search. The facet filters are not applied here: they are
    applied to these by the index (`matching`), like to the words' matches."""
    if table is None or not request.hybrid or not len(table):
        return []
    return table.nearest(
        request.vector,
        table.scope(request.locale, request.site),
        min_similarity=settings.SEARCH_SEMANTIC_MIN_SIMILARITY,
        limit=settings.SEARCH_SEMANTIC_MAX_MATCHES,
    )


def ids_query(ids: list[int]) -> Query:
    return Query.term_set_query(SCHEMA, "id", ids)


def matching(text: Query, semantic: list[tuple[int, float]]) -> Query:
    """The words' matches or the semantic ones. Semantic matches score 0 here, so the words'
    matches come first in their own order (BM25) and the lexical ranking can be read off."""
    if not semantic:
        return text
    ids = Query.const_score_query(ids_query([page_id for page_id, _ in semantic]), 0.0)
    return Query.boolean_query([(Occur.Should, text), (Occur.Should, ids)])


def lexical_ranking(searcher, query: Query, request: SearchRequest):
    """The words' matches (`query`: the words and every filter) deep enough to be fused
    (`ranking.window`), with their count."""
    depth = window(request.offset, request.per_page, settings.SEARCH_SEMANTIC_MAX_MATCHES)
    return searcher.search(query, limit=depth, count=True)


def fused_page(
    searcher,
    request: SearchRequest,
    text: Query,
    restrictions: list[Query],
    semantic: list[tuple[int, float]],
    lexical,
) -> tuple[list[tuple[float, object]], int]:
    """The page of hits matching the words or the vector within `restrictions` (scope and
    every filter), ranked by reciprocal rank fusion of the lexical ranking (`lexical`, from
    `lexical_ranking`) and the semantic one, with their fused scores; and their total."""
    if not semantic:
        page = lexical.hits[request.offset : request.offset + request.per_page]
        return page, lexical.count or 0
    addresses_ranked = [address for _score, address in lexical.hits]
    lexical_ids = searcher.fast_field_values("id", addresses_ranked) if addresses_ranked else []
    # The semantic matches the index holds within the scope and every filter (not the words'
    # query again, the costliest part), in similarity order.
    wanted = [page_id for page_id, _similarity in semantic]
    live = searcher.search(all_of([ids_query(wanted), *restrictions]), limit=len(wanted))
    live_addresses = [address for _score, address in live.hits]
    live_ids = searcher.fast_field_values("id", live_addresses) if live_addresses else []
    # The total of the words' matches or the semantic ones: those found both ways once.
    both = searcher.search(all_of([ids_query(wanted), text, *restrictions]), limit=1, count=True)
    total = (lexical.count or 0) + len(live_ids) - (both.count or 0)
    addresses = dict(zip(live_ids, live_addresses, strict=True))
    addresses.update(zip(lexical_ids, addresses_ranked, strict=True))
    present = set(live_ids)
    ranking = fuse([lexical_ids, [page_id for page_id in wanted if page_id in present]])
    page = ranking[request.offset : request.offset + request.per_page]
    return [(score, addresses[page_id]) for page_id, score in page], total
