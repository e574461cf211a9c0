"""Where a HYBRID search's time goes, beside a LEXICAL one: the benchmark's own GraphQL
requests (benchmarks/hybrid.py: 20 hits, facets, highlights), each part timed on the wall
clock (the facets run in a thread of their own: cProfile would not see them), then the
functions that spend the most time themselves under cProfile.

    BENCH_N=6000 python -m benchmarks.profile_hybrid [--reps 30]

Runs on the database and index `make bench` (or `python -m benchmarks.hybrid`) built.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import time
from collections import defaultdict
from contextlib import ExitStack
from unittest import mock

os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"

import django

django.setup()

from search import hybrid as search_hybrid  # noqa: E402
from search.engines.embedded import engine as embedded  # noqa: E402
from search.engines.embedded import vectors as embedded_vectors  # noqa: E402

from .harness import WSGIClient  # noqa: E402
from .hybrid import MODE_QUERY, SEARCHES  # noqa: E402

# (label, object, attribute): the parts timed, nested as listed (indented ones inside).
PARTS = [
    ("run_search (the engine's share)", search_hybrid, "run_search"),
    ("  query vector (LRU)", search_hybrid, "query_vector"),
    ("  engine.search", embedded.EmbeddedEngine, "search"),
    ("    semantic top-k (matrix product, mask)", embedded, "semantic_matches"),
    ("      best_similarities", embedded_vectors.VectorTable, "best_similarities"),
    ("    fused page (union top-N, live ids)", embedded, "fused_page"),
    ("    highlights (per hit)", embedded.Snippets, "for_document"),
    ("    waiting for the facets thread", embedded._InThread, "result"),
    ("    did-you-mean", embedded, "did_you_mean"),
    ("  facets (in their thread)", embedded.EmbeddedEngine, "_facets"),
]


def timed_parts(totals: dict[str, list[float]]) -> ExitStack:
    stack = ExitStack()
    for label, owner, name in PARTS:
        original = getattr(owner, name)

        def wrapper(*args, __original=original, __label=label, **kwargs):
            started = time.perf_counter()
            try:
                return __original(*args, **kwargs)
            finally:
                totals[__label].append(time.perf_counter() - started)

        stack.enter_context(mock.patch.object(owner, name, wrapper))
    return stack


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--profile", action="store_true", help="also run cProfile")
    args = parser.parse_args()
    client = WSGIClient()

    def send(text: str, mode: str, i: int):
        nonce = f"profile-{mode}-{i}-{time.perf_counter_ns()}"  # misses the response cache
        response = client.graphql(MODE_QUERY, {"query": text, "mode": mode, "benchNonce": nonce})
        assert "errors" not in json.loads(response.body), response.body[:300]

    for text in SEARCHES.values():  # warm up: vectors, index, caches
        for mode in ("HYBRID", "LEXICAL"):
            send(text, mode, -1)
    for mode in ("LEXICAL", "HYBRID"):
        totals: dict[str, list[float]] = defaultdict(list)
        requests: list[float] = []
        with timed_parts(totals):
            for i in range(args.reps):
                for text in SEARCHES.values():
                    started = time.perf_counter()
                    send(text, mode, i)
                    requests.append(time.perf_counter() - started)
        count = len(requests)
        print(f"\n{mode}: {count} requests, median {statistics.median(requests) * 1000:.1f} ms")
        print(f"  {'whole request':46} {sum(requests) * 1000 / count:6.2f} ms per request")
        for label, _owner, _name in PARTS:
            if totals[label]:
                spent = sum(totals[label]) * 1000 / count
                print(f"  {label:46} {spent:6.2f} ms per request ({len(totals[label])} calls)")
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for i in range(args.reps):
            for text in SEARCHES.values():
                send(text, "HYBRID", 10_000 + i)
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
