"""The measured cases, run in one process per database and catalogue size.

`python -m benchmarks.cases --out FILE [--quick] [--only publish|prepare|items]` with BENCH_N (and
BENCH_DATABASE_URL for PostgreSQL) in the environment; benchmarks/run.py starts it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from dataclasses import replace

os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command, get_commands  # noqa: E402
from django.db import connection  # noqa: E402
from graphene_django.settings import graphene_settings  # noqa: E402
from graphql import parse  # noqa: E402

from cms.api.limits import check_document, limits  # noqa: E402
from publications.models import PublicationPage  # noqa: E402

from . import config, items, seed, views  # noqa: E402
from .harness import (  # noqa: E402
    CaseFailed,
    Plan,
    WSGIClient,
    count_queries,
    measure,
    measure_side_by_side,
    percentile,
)
from .queries import (  # noqa: E402
    LISTING_QUERY,
    PAGE_SIZES,
    SEARCH_QUERY,
    SEARCH_TERMS,
    graphql_path,
    rest_listing_path,
)


def say(line: str) -> None:
    print(line, flush=True)


def nonce_variables(per_page: int, i: int) -> dict:
    # The response cache keys on the variables (cms/api/cache.py); graphql-core ignores a
    # variable the operation does not declare. So each request misses the cache.
    return {"perPage": per_page, "benchNonce": f"{os.getpid()}-{i}-{time.perf_counter_ns()}"}


def plan_for(n: int, quick: bool) -> Plan:
    if quick:
        return Plan(warmup=2, min_reps=10, max_reps=200, budget_s=0.6)
    # Fewer repetitions where a request is slow; always enough for a p95 (>= 30 samples).
    return Plan(warmup=3, min_reps=30, max_reps=400, budget_s=2.5 if n < 6000 else 3.0)


def query_cost(query: str, variables: dict) -> int:
    """The estimated cost cms/api/limits.py gives the query (production refuses > MAX_COST)."""
    _errors, cost = check_document(
        graphene_settings.SCHEMA.graphql_schema, parse(query), variables, limits()
    )
    return cost


def schema_has_search() -> bool:
    return "search" in graphene_settings.SCHEMA.graphql_schema.query_type.fields


def prepare(n: int) -> dict:
    """Migrate, seed once (reused while the seed version holds), build the search indexes."""
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    info: dict = {"migrate_s": time.perf_counter() - started}
    if seed.is_seeded(n):
        info["seeded"] = "reused"
        marker = seed.read_marker()
    else:
        say(f"  seeding {n} publications into {config.database_key()} ...")
        info["seed_timings"] = seed.seed(n, say)
        info["seeded"] = "now"
        marker = {"seed_version": config.SEED_VERSION, "n": n, "timings": info["seed_timings"]}
        seed.write_marker(marker)
    # The project's own search index, once its command exists (search/ is being built).
    from search.engines import get_engine

    if "search_reindex" in get_commands() and (
        not marker.get("search_indexed") or not get_engine().exists()
    ):
        mark = time.perf_counter()
        say("  search_reindex ...")
        call_command("search_reindex")
        marker["search_indexed"] = True
        marker["search_reindex_s"] = time.perf_counter() - mark
        seed.write_marker(marker)
    info["search_reindex_s"] = marker.get("search_reindex_s")
    if marker.get("items", {}).get("version") != items.ITEMS_VERSION:
        marker["items"] = items.seed_items(say)
        seed.write_marker(marker)
    info["items"] = marker["items"]
    # Planner statistics, as autovacuum would have gathered them on a live database: a
    # freshly seeded PostgreSQL database without them sorts the catalogue three times slower.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return info


def listing_cases(client: WSGIClient, plan: Plan) -> dict:
    results: dict = {}
    for per_page in PAGE_SIZES:
        # 1. Our GraphQL listing, missing the response cache on every request, and 2. the same
        # page through Wagtail's REST API v2, timed side by side.
        queries, first = count_queries(
            lambda pp=per_page: client.graphql(LISTING_QUERY, nonce_variables(pp, -99))
        )
        body = json.loads(first.body)
        if "errors" in body:
            raise CaseFailed(f"listing {per_page}: {body['errors']}")
        items = body["data"]["publications"]["items"]
        rest_path = rest_listing_path(per_page)
        rest_queries, rest_first = count_queries(lambda p=rest_path: client.get(p))
        timings = measure_side_by_side(
            {
                "ours": lambda i, pp=per_page: client.graphql(
                    LISTING_QUERY, nonce_variables(pp, i)
                ),
                "rest": lambda i, p=rest_path: client.get(p),
            },
            plan,
        )
        results[f"graphql_{per_page}"] = {
            **timings["ours"],
            "queries": queries,
            "items": len(items),
            "bytes": len(first.body),
            "cost": query_cost(LISTING_QUERY, {"perPage": per_page}),
            "production_max_cost": settings.PRODUCTION_MAX_COST,
        }
        results[f"rest_v2_{per_page}"] = {
            **timings["rest"],
            "queries": rest_queries,
            "items": len(json.loads(rest_first.body)["items"]),
            "bytes": len(rest_first.body),
        }
        say(_line(f"graphql listing {per_page}", results[f"graphql_{per_page}"]))
        say(_line(f"REST v2 listing {per_page}", results[f"rest_v2_{per_page}"]))

        # 3. The floor: the same response bytes from memory, through the same stack, and 4. our
        # listing again, the same request each time (the response cache is warm), side by side.
        # The URL is encoded once, as the floor's is: encoding it is the client's time.
        cached_path = graphql_path(LISTING_QUERY, {"perPage": per_page})
        reference = client.get(cached_path)
        views.write_floor(f"listing{per_page}", reference.body)
        floor_path = f"/bench/floor/listing{per_page}/"
        floor_queries, _ = count_queries(lambda p=floor_path: client.get(p))
        cached_queries, again = count_queries(lambda p=cached_path: client.get(p))
        timings = measure_side_by_side(
            {
                "floor": lambda i, p=floor_path: client.get(p),
                "cached": lambda i, p=cached_path: client.get(p),
            },
            plan,
        )
        results[f"floor_{per_page}"] = {
            **timings["floor"],
            "queries": floor_queries,
            "bytes": len(reference.body),
        }
        results[f"cached_{per_page}"] = {
            **timings["cached"],
            "queries": cached_queries,
            "bytes": len(again.body),
            "cache_active": cached_queries < results[f"graphql_{per_page}"]["queries"],
            "same_bytes_as_floor": again.body == reference.body,
        }
        say(_line(f"floor {per_page}", results[f"floor_{per_page}"]))
        say(_line(f"cached listing {per_page}", results[f"cached_{per_page}"]))
    return results


def search_cases(client: WSGIClient, plan: Plan) -> dict:
    results: dict = {"queries": {}}
    ours_available = schema_has_search()
    if not ours_available:
        results["skipped"] = "the GraphQL schema has no `search` root field yet"
        say(f"  search (ours): skipped: {results['skipped']}")
    for term in SEARCH_TERMS:
        entry: dict = {}
        path = f"/bench/anchor-search/?q={term}"
        queries, first = count_queries(lambda p=path: client.get(p))
        entry["anchor"] = {
            # At least 5 runs, not 30: at N = 6000 one run of the anchor takes seconds, and
            # only its median enters the ratio.
            **measure(lambda i, p=path: client.get(p), replace(plan, warmup=1, min_reps=5)),
            "queries": queries,
            "hits": len(json.loads(first.body)["results"]),
        }
        if ours_available:
            variables = {"query": term}
            queries, first = count_queries(
                lambda v=variables: client.graphql(
                    SEARCH_QUERY, {**v, "benchNonce": f"q{time.perf_counter_ns()}"}
                )
            )
            body = json.loads(first.body)
            if "errors" in body:
                raise CaseFailed(f"search {term!r}: {body['errors']}")
            entry["ours"] = {
                # Uncached: a nonce variable makes each request miss the response cache.
                **measure(
                    lambda i, v=variables: client.graphql(
                        SEARCH_QUERY, {**v, "benchNonce": f"{os.getpid()}-{i}"}
                    ),
                    plan,
                ),
                "queries": queries,
                "total": body["data"]["search"]["total"],
                "facets": len(body["data"]["search"]["facets"]),
            }
        results["queries"][term] = entry
        say(
            f"  search {term!r:26} anchor median {entry['anchor']['median_ms']:7.2f} ms"
            + (
                f" | ours median {entry['ours']['median_ms']:7.2f} ms, "
                f"p95 {entry['ours']['p95_ms']:7.2f} ms, total {entry['ours']['total']}"
                if "ours" in entry
                else ""
            )
        )
    return results


def publish_case(reps: int) -> dict:
    """Time page.save_revision().publish() of one publication (search indexing is queued)."""
    page = PublicationPage.objects.order_by("pk").first()
    samples = []
    for i in range(reps + 2):
        page = PublicationPage.objects.get(pk=page.pk)
        t0 = time.perf_counter()
        page.save_revision().publish()
        elapsed = (time.perf_counter() - t0) * 1000
        if i >= 2:  # two warm-up publishes
            samples.append(elapsed)
    result = {
        "reps": len(samples),
        "median_ms": statistics.median(samples),
        "p95_ms": percentile(samples, 0.95),
        "elasticsearch_url": getattr(settings, "ELASTICSEARCH_URL", "") or "",
        "tasks": {
            alias: backend.get("BACKEND", "")
            for alias, backend in getattr(settings, "TASKS", {}).items()
        },
    }
    say(
        f"  publish ({result['elasticsearch_url'] or 'embedded engine'}): median "
        f"{result['median_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms over {len(samples)}"
    )
    return result


def _line(name: str, r: dict) -> str:
    extra = " (cache not active)" if r.get("cache_active") is False else ""
    return (
        f"  {name:22} median {r['median_ms']:7.2f} ms  p95 {r['p95_ms']:7.2f} ms  "
        f"{r.get('queries', '-'):>3} queries  {r['reps']:4} reps{extra}"
    )


def database_version() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT version()")
            return cursor.fetchone()[0].split(" on ")[0]
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", required=True, help="Where to write the JSON results")
    parser.add_argument("--quick", action="store_true", help="A few seconds per case")
    parser.add_argument(
        "--only",
        choices=["publish", "prepare", "items"],
        help="Run one part only (items: the listing and item cases, no search or publish)",
    )
    args = parser.parse_args()
    n = config.catalogue_size()
    result: dict = {
        "n": n,
        "database": config.database_key(),
        "vendor": connection.vendor,
        "db_version": database_version(),
    }
    try:
        result["prepare"] = prepare(n) if args.only != "publish" else {}
        if args.only in (None, "items"):
            client = WSGIClient()
            plan = plan_for(n, args.quick)
            result["plan"] = plan.__dict__
            result["listing"] = listing_cases(client, plan)
            result["items"] = items.item_cases(client, plan, result["prepare"]["items"], say)
        if args.only is None:
            result["search"] = search_cases(client, plan)
        if args.only in (None, "publish"):
            result["publish"] = publish_case(10 if args.quick else 30)
    except Exception as error:  # reported by the runner, which goes on with the next case
        result["error"] = f"{type(error).__name__}: {error}"
        say(f"  FAILED: {result['error']}")
    with open(args.out, "w") as out:
        json.dump(result, out, indent=2, default=str)
    sys.exit(1 if "error" in result else 0)


if __name__ == "__main__":
    main()
