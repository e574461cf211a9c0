"""Hybrid search's benchmark (`make bench` runs it after benchmarks.run; also on its own):

    python -m benchmarks.hybrid [--n 6000] [--quick]

Each part runs in a process of its own (`--part`), so memory figures are that part's alone:
  model      the embedding model's load time and resident memory
  relevance  the 43 cases of benchmarks/relevance_cases.py on the demo catalogue, LEXICAL and
             HYBRID side by side: recall@5, MRR, and the cases HYBRID loses from LEXICAL's top 3
  index      a full rebuild at N publications: without vectors, with vectors from an empty
             embedding cache, and again with the cache filled (time and peak memory)
  search     GraphQL search p95 at N, HYBRID and LEXICAL interleaved (facets and highlights in)
The figures go to benchmarks/RESULTS.md, in a section of their own (benchmarks/hybrid_report.py).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import config

SEARCHES = {
    "en": "drug prevention",
    "fr": "prévention de la délinquance",
    "de": "Kriminalprävention in Städten",
    "es": "seguridad urbana",
    "it": "sicurezza urbana",
    "pt": "segurança nas cidades",
}
MODE_QUERY = """
query Search($query: String!, $mode: SearchMode) {
  search(query: $query, perPage: 20, mode: $mode) {
    total
    hits { type title url date score highlights { field fragments } }
    facets { name values { value label count } }
    suggestion
  }
}
"""


def say(line: str) -> None:
    print(line, flush=True)


def rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    import django

    django.setup()


# --- Parts (each in its own process) ---------------------------------------------------------


def part_model() -> dict:
    _django()
    from search.embeddings import get_embedder

    before = current_rss_mb()
    started = time.perf_counter()
    embedder = get_embedder()
    load_s = time.perf_counter() - started
    after = current_rss_mb()
    texts = [f"{text} {i}" for i in range(20) for text in SEARCHES.values()]
    started = time.perf_counter()
    for text in texts:
        embedder.embed([text])
    per_query_ms = (time.perf_counter() - started) * 1000 / len(texts)
    return {
        "embedder": embedder.name,
        "load_s": load_s,
        "rss_before_mb": before,
        "rss_after_mb": after,
        "query_embed_ms": per_query_ms,
    }


def part_relevance() -> dict:
    _django()
    from django.core.management import call_command

    from catalogue.demo import load_demo
    from publications.models import PublicationPage
    from search import indexing
    from search.engines import get_engine
    from search.hybrid import run_search
    from search.query import SearchRequest, parse_query

    from .relevance_cases import CASES

    call_command("migrate", verbosity=0, interactive=False)
    if not PublicationPage.objects.exists():
        load_demo(lambda message: None, demo_files=False)
    indexing.rebuild()
    engine = get_engine()
    rows = []
    for case in CASES:
        parsed = parse_query(case.query)
        row = {"language": case.language, "query": case.query, "why": case.why}
        for mode in ("lexical", "hybrid"):
            request = SearchRequest(query=parsed, locale="en", mode=mode)
            titles = [hit.title for hit in run_search(engine, request).hits[:10]]
            ranks = [i for i, title in enumerate(titles, start=1) if title in case.expected]
            row[mode] = {"rank": ranks[0] if ranks else None, "first": titles[:3]}
        rows.append(row)
        say(
            f"  {case.language} {case.query!r:36} lexical {row['lexical']['rank']!s:>4}  "
            f"hybrid {row['hybrid']['rank']!s:>4}"
        )
    return {"cases": rows}


def part_index(vectors: bool, cold: bool) -> dict:
    _django()
    from django.conf import settings

    from search import indexing
    from search.models import CachedEmbedding

    settings.SEARCH_VECTORS_ENABLED = vectors
    if vectors and cold:
        CachedEmbedding.objects.all().delete()
    before = current_rss_mb()
    started = time.perf_counter()
    result, _replayed = indexing.rebuild()
    return {
        "vectors": vectors,
        "cold_cache": cold,
        "documents": result.documents,
        "seconds": time.perf_counter() - started,
        "rss_before_mb": before,
        "peak_rss_mb": rss_mb(),
        "cached_embeddings": CachedEmbedding.objects.count(),
    }


def part_search(quick: bool) -> dict:
    _django()
    from .harness import Plan, WSGIClient, measure_side_by_side

    client = WSGIClient()
    plan = Plan(warmup=3, min_reps=30, max_reps=400, budget_s=0.8 if quick else 3.0)
    results = {}
    for language, text in SEARCHES.items():

        def send(mode: str, text: str = text):
            def run(i: int):
                nonce = f"{os.getpid()}-{mode}-{i}-{time.perf_counter_ns()}"
                variables = {"query": text, "mode": mode, "benchNonce": nonce}
                return client.graphql(MODE_QUERY, variables)

            return run

        first = json.loads(client.graphql(MODE_QUERY, {"query": text, "mode": "HYBRID"}).body)
        lexical = json.loads(client.graphql(MODE_QUERY, {"query": text, "mode": "LEXICAL"}).body)
        timings = measure_side_by_side({"HYBRID": send("HYBRID"), "LEXICAL": send("LEXICAL")}, plan)
        results[text] = {
            "language": language,
            "timings": timings,
            "total_hybrid": first["data"]["search"]["total"],
            "total_lexical": lexical["data"]["search"]["total"],
        }
        say(
            f"  {text!r:34} HYBRID p95 {timings['HYBRID']['p95_ms']:6.1f} ms "
            f"(total {results[text]['total_hybrid']}) | LEXICAL p95 "
            f"{timings['LEXICAL']['p95_ms']:6.1f} ms (total {results[text]['total_lexical']})"
        )
    return {"queries": results}


PARTS = {
    "model": lambda args: part_model(),
    "relevance": lambda args: part_relevance(),
    "index-off": lambda args: part_index(vectors=False, cold=False),
    "index-cold": lambda args: part_index(vectors=True, cold=True),
    "index-warm": lambda args: part_index(vectors=True, cold=False),
    "search": lambda args: part_search(args.quick),
}


# --- The runner ------------------------------------------------------------------------------


def run_part(part: str, env: dict[str, str], quick: bool) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = handle.name
    command = [sys.executable, "-m", "benchmarks.hybrid", "--part", part, "--out", out]
    started = time.perf_counter()
    try:
        subprocess.run(
            command + (["--quick"] if quick else []), cwd=config.BASE_DIR, env=env, check=False
        )
        try:
            result = json.loads(Path(out).read_text())
        except ValueError:
            result = {"error": "the part wrote no results (see its output above)"}
    finally:
        os.unlink(out)
    result["wall_s"] = time.perf_counter() - started
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=6000, help="Publications for speed and indexing")
    parser.add_argument("--quick", action="store_true", help="Shorter search timings")
    parser.add_argument("--part", choices=PARTS, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.part:
        try:
            result = PARTS[args.part](args)
        except Exception as error:  # reported by the runner, which goes on
            result = {"error": f"{type(error).__name__}: {error}"}
            say(f"  FAILED: {result['error']}")
        Path(args.out).write_text(json.dumps(result, indent=2, default=str))
        sys.exit(1 if "error" in result else 0)

    from . import hybrid_report

    began = time.monotonic()
    demo_env = {**os.environ, "BENCH_DIR": str(config.BENCH_DIR / "hybrid-demo"), "BENCH_N": "0"}
    sized_env = {**os.environ, "BENCH_N": str(args.n)}
    sized_env.pop("BENCH_DATABASE_URL", None)
    Path(demo_env["BENCH_DIR"]).mkdir(parents=True, exist_ok=True)
    results: dict = {"n": args.n, "started": time.strftime("%Y-%m-%d %H:%M %Z")}
    plan = [
        ("model", demo_env),
        ("relevance", demo_env),
        ("index-off", sized_env),
        ("index-cold", sized_env),
        ("index-warm", sized_env),
        ("search", sized_env),
    ]
    say(f"Hybrid search benchmark: relevance on the demo catalogue, speed at N = {args.n}")
    # The seeded catalogue of benchmarks.run (seeded now if it is missing).
    subprocess.run(
        [sys.executable, "-m", "benchmarks.cases", "--only", "prepare", "--out", os.devnull],
        cwd=config.BASE_DIR,
        env=sized_env,
        check=False,
    )
    for part, env in plan:
        say(f"[{time.monotonic() - began:5.0f}s] {part}")
        results[part] = run_part(part, env, args.quick)
    results["duration_s"] = time.monotonic() - began
    # Timings on a shared machine mean little without how busy it was.
    results["load_average"] = list(os.getloadavg())
    results["cpus"] = os.cpu_count()
    (config.BENCH_DIR / "hybrid-results.json").write_text(json.dumps(results, indent=2))
    lines = hybrid_report.section(results)
    for line in lines:
        say(line)
    path = hybrid_report.write(lines)
    failed = [part for part, _env in plan if "error" in results[part]]
    say(
        f"Done in {results['duration_s']:.0f} s; wrote {path}"
        + (f"; FAILED: {', '.join(failed)}" if failed else "")
    )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
