"""`make bench` / `make bench-quick`: seed, measure, load, report.

    python -m benchmarks.run [--quick] [--sizes 60,600] [--load-seconds 30] [--no-postgres]
                             [--items-only]

One process per database and catalogue size runs the cases (benchmarks/cases.py), so each
size has its own database and nothing warm leaks from one to the next. PostgreSQL runs
beside SQLite when DATABASE_URL (or --postgres) names a server: the sizes get databases
`<name>_v<seed>_n<N>` there, created when missing.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from . import config, load, report, targets
from .queries import LISTING_QUERY, SEARCH_QUERY, SEARCH_TERMS, graphql_path, rest_listing_path

OUTAGE_URL = "http://127.0.0.1:9"  # a closed port: every connection is refused


def say(line: str) -> None:
    print(line, flush=True)


def ensure_postgres(base_url: str, sizes: tuple[int, ...]) -> str | None:
    """Create the per-size databases if missing; None if the server can be used, else why."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed"
    parts = urlsplit(base_url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            for n in sizes:
                name = urlsplit(config.postgres_url(base_url, n)).path.lstrip("/")
                exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
                if exists.fetchone() is None:
                    conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as error:
        return f"cannot use {parts.hostname}:{parts.port}: {error}".strip()
    return None


def worker_env(db: str, pg_base: str | None, n: int, **extra: str) -> dict[str, str]:
    env = {**os.environ, "BENCH_N": str(n), **extra}
    env.pop("BENCH_DATABASE_URL", None)
    if db == "postgresql":
        env["BENCH_DATABASE_URL"] = config.postgres_url(pg_base, n)
    return env


def run_worker(env: dict[str, str], *args: str) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = handle.name
    try:
        subprocess.run(
            [sys.executable, "-m", "benchmarks.cases", "--out", out, *args],
            cwd=config.BASE_DIR,
            env=env,
            check=False,
        )
        try:
            return json.loads(Path(out).read_text())
        except ValueError:
            return {"error": "the worker wrote no results (see its output above)"}
    finally:
        os.unlink(out)


def load_phase(env: dict[str, str], seconds: int, with_search: bool) -> dict:
    cases = {
        "GraphQL listing 20, uncached": [
            graphql_path(LISTING_QUERY, {"perPage": 20, "benchNonce": load.NONCE})
        ],
        "GraphQL listing 20, cached": [graphql_path(LISTING_QUERY, {"perPage": 20})],
        "REST v2 listing 20": [rest_listing_path(20)],
    }
    if with_search:
        cases["search (ours, uncached)"] = [
            graphql_path(SEARCH_QUERY, {"query": term, "benchNonce": load.NONCE})
            for term in SEARCH_TERMS
        ]
    server = load.Server(env)
    result: dict = {
        "n": int(env["BENCH_N"]),
        "workers": load.WORKERS,
        "connections": load.CONNECTIONS,
        "seconds": seconds,
        "client": "wrk" if load.shutil.which("wrk") else "python",
        "cases": {},
    }
    try:
        server.wait_ready("/bench/floor/listing20/")
        for name, paths in cases.items():
            try:
                r = load.run_case(server, paths, seconds)
            except Exception as error:
                r = {"error": f"{type(error).__name__}: {error}"}
                say(f"  load {name}: FAILED {r['error']}")
            else:
                say(
                    f"  load {name:32} {r['rps']:8.1f} req/s  p95 {r['p95_ms']:8.1f} ms  "
                    f"({r['requests']} requests, {r['errors']} errors)"
                )
            result["cases"][name] = r
    except Exception as error:
        result["error"] = f"{type(error).__name__}: {error}"
        say(f"  load phase FAILED: {result['error']}")
    finally:
        server.stop()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark the public API (see RESULTS.md).")
    parser.add_argument("--quick", action="store_true", help="N=60 only, no load phase")
    parser.add_argument("--sizes", help="Comma-separated catalogue sizes (default 60,600,6000)")
    parser.add_argument("--load-seconds", type=int, help="Seconds per load case (default 30)")
    parser.add_argument("--postgres", help="PostgreSQL URL (default: DATABASE_URL if postgres)")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument(
        "--write-results", action="store_true", help="Rewrite RESULTS.md even with --quick"
    )
    parser.add_argument(
        "--items-only",
        action="store_true",
        help="Only the listing and item cases (issue 19): no search, publish or load phase; "
        "RESULTS.md is not rewritten (unless --write-results)",
    )
    args = parser.parse_args()

    began = time.monotonic()
    started = datetime.datetime.now().astimezone()
    sizes = tuple(int(s) for s in args.sizes.split(",")) if args.sizes else config.SIZES
    if args.quick and not args.sizes:
        sizes = (60,)
    load_seconds = args.load_seconds if args.load_seconds is not None else (0 if args.quick else 30)
    if args.items_only:
        load_seconds = 0
    config.BENCH_DIR.mkdir(parents=True, exist_ok=True)

    dbs: dict[str, str | None] = {} if args.no_sqlite else {"sqlite": None}
    pg_base = args.postgres or os.environ.get("DATABASE_URL", "")
    pg_note = ""
    if args.no_postgres:
        pg_note = "PostgreSQL: skipped (--no-postgres)"
    elif not pg_base.startswith(("postgres://", "postgresql://")):
        pg_note = "PostgreSQL: skipped (set DATABASE_URL=postgres://... or --postgres)"
    else:
        why_not = ensure_postgres(pg_base, sizes)
        if why_not:
            pg_note = f"PostgreSQL: skipped ({why_not})"
        else:
            dbs["postgresql"] = pg_base

    say(f"Benchmark plan ({'quick' if args.quick else 'full'}), results under {config.BENCH_DIR}:")
    say(f"  databases: {', '.join(dbs)}; sizes N = {', '.join(map(str, sizes))}")
    if pg_note:
        say(f"  {pg_note}")
    say(
        "  per database and N: GraphQL listing 20/100 (uncached), REST v2, floor, cached; "
        "item pages (5 item queries, REST v2 detail, floor, cached, { __typename })"
        + (
            ""
            if args.items_only
            else "; search (4 queries, ours and Wagtail's database backend); publish"
        )
    )
    if load_seconds:
        say(
            f"  under load at N = {max(sizes)}: gunicorn 2 workers, {load.CONNECTIONS} "
            f"connections, {load_seconds} s per case, "
            f"{'wrk' if load.shutil.which('wrk') else 'Python client (wrk not found)'}"
        )
    if not args.items_only:
        say(
            f"  publish again with ELASTICSEARCH_URL={OUTAGE_URL} (closed port) at N = {max(sizes)}"
        )

    results: dict = {
        "started": started.isoformat(timespec="seconds"),
        "mode": "quick" if args.quick else "full",
        "machine": report.machine(),
        "sizes": list(sizes),
        "runs": {db: {} for db in dbs},
        "outage": {},
        "load": {},
        "notes": [pg_note] if pg_note else [],
    }
    for db, base in dbs.items():
        for n in sizes:
            say(f"[{time.monotonic() - began:5.0f}s] {db}, N = {n}")
            env = worker_env(db, base, n)
            only = ["--only", "items"] if args.items_only else []
            run = run_worker(env, *(["--quick"] if args.quick else []), *only)
            results["runs"][db][n] = run
            if db == "postgresql" and run.get("db_version"):
                results["machine"]["postgres"] = run["db_version"]
        largest = max(sizes)
        if args.items_only:
            continue
        say(f"[{time.monotonic() - began:5.0f}s] {db}, N = {largest}: publish, search engine down")
        outage_env = worker_env(db, base, largest, ELASTICSEARCH_URL=OUTAGE_URL)
        outage = run_worker(outage_env, "--only", "publish", *(["--quick"] if args.quick else []))
        results["outage"][db] = outage.get("publish", {"error": outage.get("error")})
        if load_seconds:
            say(f"[{time.monotonic() - began:5.0f}s] {db}, N = {largest}: under load")
            with_search = "ours" in next(
                iter(results["runs"][db][largest].get("search", {}).get("queries", {}).values()),
                {},
            )
            results["load"][db] = load_phase(
                worker_env(db, base, largest), load_seconds, with_search
            )

    results["duration_s"] = time.monotonic() - began
    stamp = started.strftime("%Y%m%d-%H%M%S")
    json_path = config.BENCH_DIR / f"results-{stamp}.json"
    json_path.write_text(json.dumps(results, indent=2, default=str))
    chart_path = report.chart(results, config.BENCH_DIR / "chart.png")

    say("")
    for line in report.tables(results):
        say(line)
    rows = targets.verdicts(results)
    say("Targets:")
    for target, verdict, evidence in rows:
        say(f"  {verdict:5} {target}: {evidence}")
    if (not args.quick and not args.items_only) or args.write_results:
        say(f"Wrote {report.write_results_md(results, json_path, chart_path)}")
    failures = [
        f"{db} N={n}"
        for db, runs in results["runs"].items()
        for n, run in runs.items()
        if "error" in run
    ]
    passed = sum(1 for _, v, _ in rows if v == "PASS")
    missed = sum(1 for _, v, _ in rows if v == "MISS")
    say(
        f"Done in {results['duration_s']:.0f} s: {passed} targets met, {missed} missed"
        + (f", FAILED: {', '.join(failures)}" if failures else "")
        + f"; {json_path}"
        + (f", {chart_path}" if chart_path else "")
    )
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
