"""Where an uncached item query's time goes: cProfile over the benchmark's own requests.

    BENCH_N=60 python -m benchmarks.profile_item [--case "publication(slug)"] [--reps 200]

Runs on the database `make bench` seeded for BENCH_N (run it, or `make bench-quick`, first):
the item query through the whole WSGI stack, missing the response cache each time, under
cProfile. Prints the time per request in each part of the path (cumulative, so the parts
nest: execution includes SQL) and the functions that spend the most time themselves.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import time

os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"

import django

django.setup()

from . import seed  # noqa: E402
from .harness import WSGIClient, check  # noqa: E402
from .items import _item_specs  # noqa: E402
from .queries import ITEM_QUERIES, TYPENAME_QUERY  # noqa: E402

# (label, file suffix, function name): the parts of the path, cumulative time per request.
PARTS = [
    ("whole request (WSGI handler)", "django/core/handlers/wsgi.py", "__call__"),
    ("the /graphql/ view", "cms/api/view.py", None),
    ("response cache (key, lookup, store)", "cms/api/cache.py", None),
    ("rate limit", "cms/api/ratelimit.py", None),
    ("parse", "graphql/language/parser.py", "parse"),
    ("validation and limits (rules)", "graphql/validation/validate.py", "validate"),
    ("execution (graphql-core, graphene, resolvers)", "graphql/execution/execute.py", "execute"),
    ("  SQL (build, run, read: the compiler)", "django/db/models/sql/compiler.py", "execute_sql"),
    ("  item lookup (resolve_item / resolve_page)", "cms/api/items.py", "resolve_item"),
    ("  page(urlPath) lookup", "cms/schema.py", "resolve_page"),
    ("  visibility: restricted pages", "cms/visibility.py", "restricted_page_paths"),
    ("  visibility: restricted collections", "cms/visibility.py", "restricted_collection_ids"),
    ("  rich text: public_rich_text", "cms/visibility.py", "public_rich_text"),
    ("    of which nh3 sanitizing", "cms/sanitize.py", "sanitize_rich_text"),
    ("  rich text: grapple's RichText expansion", "grapple/types/rich_text.py", "serialize"),
    ("  body: public_stream", "cms/visibility.py", "public_stream"),
    ("  StreamField to_python (JSON to blocks)", "wagtail/fields.py", "to_python"),
    ("  renditions (image resolvers)", "cms/api/fast_renditions.py", None),
    ("  topics in the page's locale", "cms/topic_translations.py", "localize_topics"),
    ("  translations", "cms/api/interfaces.py", "live_translations"),
    ("  related pages (public_targets)", "cms/models/pages.py", "public_targets"),
    ("  URLs (get_url_parts)", "cms/models/pages.py", "get_url_parts"),
    ("JSON encoding of the answer", "json/encoder.py", "encode"),
]


def part_times(stats: pstats.Stats, reps: int) -> list[tuple[str, float]]:
    """Each part's cumulative milliseconds per request (a module: its outermost functions)."""
    raw = stats.stats  # {(file, line, name): (cc, nc, tt, ct, callers)}
    out = []
    for label, suffix, name in PARTS:
        total = 0.0
        for (file, _line, func), (_cc, _nc, _tt, ct, callers) in raw.items():
            if not file.endswith(suffix) or (name is not None and func != name):
                continue
            if name is None and any(caller[0].endswith(suffix) for caller in callers):
                continue  # called from the same module: already counted in its caller
            total += ct
        out.append((label, total * 1000 / reps))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--case", default="publication(slug)", choices=[*ITEM_QUERIES, "fixed"])
    parser.add_argument("--reps", type=int, default=200, help="Requests profiled")
    parser.add_argument("--top", type=int, default=25, help="Functions listed by own time")
    args = parser.parse_args()
    marker = seed.read_marker()
    if not marker or "items" not in marker:
        raise SystemExit("Seed first: make bench-quick (or make bench) for this BENCH_N.")
    client = WSGIClient()
    if args.case == "fixed":
        query, variables = TYPENAME_QUERY, {}
    else:
        query, variables = (
            ITEM_QUERIES[args.case],
            _item_specs(marker["items"])[args.case]["variables"],
        )
    for i in range(5):  # warm: per-process caches, as a running server has them
        check(client.graphql(query, {**variables, "benchNonce": f"warm-{i}"}))
    started = time.perf_counter()
    for i in range(args.reps):
        check(client.graphql(query, {**variables, "benchNonce": f"plain-{i}"}))
    plain_ms = (time.perf_counter() - started) * 1000 / args.reps
    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(args.reps):
        check(client.graphql(query, {**variables, "benchNonce": f"profiled-{i}"}))
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = part_times(stats, args.reps)[0][1]
    print(f"{args.case}: {plain_ms:.2f} ms per request unprofiled, {total:.2f} ms profiled")
    print(f"{'part (cumulative, nested)':55} {'ms/req':>7} {'share':>6}")
    for label, ms in part_times(stats, args.reps):
        print(f"{label:55} {ms:7.2f} {ms / total:6.0%}")
    print(f"\nTop {args.top} functions by own time:")
    stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
