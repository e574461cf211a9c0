"""Hybrid ranking, one function for both engines: reciprocal rank fusion (Cormack, Clarke and
Büttcher, SIGIR 2009) of the lexical and the semantic rankings. Ranks, not scores, are fused:
BM25 and cosine similarity are on scales that cannot be added."""

from __future__ import annotations

from collections.abc import Sequence

# The constant of the original paper (and Elasticsearch's `rrf` retriever default).
RRF_K = 60


def fuse(rankings: Sequence[Sequence[int]], k: int = RRF_K) -> list[tuple[int, float]]:
    """Ids with their fused score, best first: each id scores the sum of 1 / (k + rank) over
    the rankings that hold it (rank 1 is the first). Ties go to the id ranked higher in the
    first ranking that holds it, then the earlier ranking (the lexical one, by convention)."""
    scores: dict[int, float] = {}
    first_seen: dict[int, tuple[int, int]] = {}
    for which, ranking in enumerate(rankings):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
            first_seen.setdefault(item, (rank, which))
    order = sorted(scores, key=lambda item: (-scores[item], first_seen[item]))
    return [(item, scores[item]) for item in order]


def window(offset: int, per_page: int, semantic_cap: int) -> int:
    """How many lexical hits to rank before fusing. A lexical-only hit beyond it scores less
    than any hit fetched (the semantic ranking holds at most `semantic_cap`), so it cannot
    reach the page; a hit found both ways beyond it is fused with its semantic rank only."""
    return max(offset + per_page, semantic_cap)
