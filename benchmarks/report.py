"""Tables, the chart and benchmarks/RESULTS.md from a run's results (the targets' verdicts:
benchmarks/targets.py), and the machine they were measured on."""

from __future__ import annotations

import os
import platform
import sqlite3
from pathlib import Path

from . import config
from .targets import PAGE_SIZES, ratios, verdicts

RESULTS_MD = Path(__file__).resolve().parent / "RESULTS.md"
# RESULTS.md from this line on is written by hand (analyses, profiles) and kept on rewrite.
KEPT_MARKER = "<!-- Written by hand from here on: benchmarks/report.py keeps it. -->"


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
    }


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def tables(results: dict) -> list[str]:
    """One table per database and N (printed, and put in RESULTS.md)."""
    lines: list[str] = []
    for db, runs in results["runs"].items():
        for n, run in runs.items():
            lines.append(f"### {db}, N = {n}")
            lines.append("")
            if "error" in run:
                lines.append(f"Failed: {run['error']}")
                lines.append("")
            listing = run.get("listing", {})
            if listing:
                lines.append("| case | median ms | p95 ms | SQL queries | reps | bytes |")
                lines.append("| --- | ---: | ---: | ---: | ---: | ---: |")
                for size in PAGE_SIZES:
                    for key, label in (
                        ("graphql", f"GraphQL listing of {size} (uncached)"),
                        ("rest_v2", f"REST API v2, same {size}"),
                        ("floor", f"floor: the same bytes from memory ({size})"),
                        ("cached", f"GraphQL listing of {size}, response cache warm"),
                    ):
                        r = listing.get(f"{key}_{size}")
                        if r:
                            lines.append(
                                f"| {label} | {_ms(r['median_ms'])} | {_ms(r['p95_ms'])} | "
                                f"{r['queries']} | {r['reps']} | {r.get('bytes', '-')} |"
                            )
            for case, entry in run.get("items", {}).items():
                for key, label in (
                    ("uncached", f"GraphQL `{case}` item (uncached)"),
                    ("rest_v2", f"REST API v2 detail, same item ({case})"),
                    ("floor", f"floor: the same bytes from memory ({case})"),
                    ("cached", f"GraphQL `{case}`, response cache warm"),
                    ("typename", "GraphQL `{ __typename }` (uncached), beside it"),
                ):
                    r = entry[key]
                    queries = r.get("queries", entry["queries"] if key == "uncached" else 0)
                    if key == "uncached" and "queries_plain" in entry:
                        queries = f"{queries} (plain item: {entry['queries_plain']})"
                    size = entry["bytes"] if key in ("uncached", "floor", "cached") else "-"
                    lines.append(
                        f"| {label} | {_ms(r['median_ms'])} | {_ms(r['p95_ms'])} | "
                        f"{queries} | {r['reps']} | {r.get('bytes', size)} |"
                    )
            terms = run.get("search", {}).get("queries", {})
            for term, entry in terms.items():
                anchor = entry["anchor"]
                lines.append(
                    f"| Wagtail database search {term!r} (anchor) | {_ms(anchor['median_ms'])} | "
                    f"{_ms(anchor['p95_ms'])} | {anchor['queries']} | {anchor['reps']} | - |"
                )
                if "ours" in entry:
                    ours = entry["ours"]
                    lines.append(
                        f"| our search {term!r} (facets, highlights) | {_ms(ours['median_ms'])} "
                        f"| {_ms(ours['p95_ms'])} | {ours['queries']} | {ours['reps']} | - |"
                    )
            publish = run.get("publish")
            if publish and "median_ms" in publish:
                lines.append(
                    f"| publish one page (save_revision().publish()) | "
                    f"{_ms(publish['median_ms'])} | {_ms(publish['p95_ms'])} | - | "
                    f"{publish['reps']} | - |"
                )
            r = ratios(run)
            if r:
                lines.append("")
                parts = []
                for size in PAGE_SIZES:
                    if f"rest_over_ours_{size}" in r:
                        parts.append(f"REST v2 / ours ({size}): {r[f'rest_over_ours_{size}']:.2f}x")
                    if f"cached_over_floor_{size}" in r:
                        parts.append(
                            f"cached / floor ({size}): {r[f'cached_over_floor_{size}']:.2f}x"
                        )
                if "search_speedup_min" in r:
                    parts.append(f"search anchor / ours (slowest): {r['search_speedup_min']:.1f}x")
                lines.append("Ratios (medians): " + "; ".join(parts) + ".")
            skipped = run.get("search", {}).get("skipped")
            if skipped:
                lines.append("")
                lines.append(f"Our search: skipped ({skipped}).")
            lines.append("")
    for db, load in results.get("load", {}).items():
        lines.append(f"### Under load: {db}, N = {load.get('n')}")
        lines.append("")
        if "error" in load:
            lines.append(f"Failed: {load['error']}")
            lines.append("")
            continue
        lines.append(
            f"gunicorn {load['workers']} sync workers; {load['client']} with "
            f"{load['connections']} connections, {load['seconds']} s per case."
        )
        lines.append("")
        lines.append("| case | req/s | p50 ms | p95 ms | p99 ms | requests | errors |")
        lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for case, r in load["cases"].items():
            if "error" in r:
                lines.append(f"| {case} | failed: {r['error']} | | | | | |")
                continue
            lines.append(
                f"| {case} | {r['rps']:.1f} | {_ms(r['p50_ms'])} | {_ms(r['p95_ms'])} | "
                f"{_ms(r['p99_ms'])} | {r['requests']} | {r['errors']} |"
            )
        lines.append("")
    return lines


def chart(results: dict, path: Path) -> Path | None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    cases = [
        ("graphql_20", "GraphQL 20"),
        ("rest_v2_20", "REST v2 20"),
        ("cached_20", "cached 20"),
        ("floor_20", "floor 20"),
        ("graphql_100", "GraphQL 100"),
        ("rest_v2_100", "REST v2 100"),
    ]
    dbs = list(results["runs"])
    has_load = bool(results.get("load"))
    fig, axes = plt.subplots(
        1, len(dbs) + has_load, figsize=(6 * (len(dbs) + has_load), 4.5), squeeze=False
    )
    for ax, db in zip(axes[0], dbs, strict=False):
        runs = results["runs"][db]
        sizes = [n for n in runs if "listing" in runs[n]]
        width = 0.8 / max(1, len(sizes))
        for k, n in enumerate(sizes):
            listing = runs[n]["listing"]
            values = [listing.get(key, {}).get("median_ms", 0) for key, _ in cases]
            search = runs[n].get("search", {}).get("queries", {})
            ours = [e["ours"]["median_ms"] for e in search.values() if "ours" in e]
            anchor = [e["anchor"]["median_ms"] for e in search.values()]
            values += [max(ours) if ours else 0, max(anchor) if anchor else 0]
            xs = [i + k * width for i in range(len(values))]
            ax.bar(xs, values, width, label=f"N={n}")
        labels = [label for _, label in cases] + ["search (ours)", "search (Wagtail DB)"]
        ax.set_xticks([i + width * (len(sizes) - 1) / 2 for i in range(len(labels))])
        ax.set_xticklabels(labels, rotation=35, ha="right", fontsize=8)
        ax.set_yscale("log")
        ax.set_ylabel("median ms (log), through the WSGI stack")
        ax.set_title(f"{db}: one request at a time")
        ax.legend(fontsize=8)
    if has_load:
        ax = axes[0][-1]
        loads = results["load"]
        names = sorted({case for load in loads.values() for case in load.get("cases", {})})
        width = 0.8 / max(1, len(loads))
        for k, (db, load) in enumerate(loads.items()):
            values = [load.get("cases", {}).get(name, {}).get("rps", 0) for name in names]
            ax.bar([i + k * width for i in range(len(names))], values, width, label=db)
        ax.set_xticks([i + width * (len(loads) - 1) / 2 for i in range(len(names))])
        ax.set_xticklabels(names, rotation=35, ha="right", fontsize=8)
        ax.set_yscale("log")
        ax.set_ylabel("requests per second (log)")
        ax.set_title("Under load: gunicorn, 2 workers, N=6000")
        ax.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def write_results_md(results: dict, json_path: Path, chart_path: Path | None) -> Path:
    m = results["machine"]
    lines = [
        "# Benchmark results",
        "",
        f"Written by benchmarks/run.py from its latest {results['mode']} run; the raw figures are",
        f"in `{json_path.relative_to(config.BASE_DIR)}` and the chart in "
        f"`{chart_path.relative_to(config.BASE_DIR) if chart_path else '(none)'}` on the "
        "machine that ran it (not committed).",
        "",
        *(
            [
                "**A quick run** (N = 60 only, short or no load phase): not the full `make bench`;",
                "N-dependence and the N = 6,000 targets are not shown by it.",
                "",
            ]
            if results["mode"] == "quick"
            else []
        ),
        "## Machine",
        "",
        f"- Date: {results['started']}",
        f"- CPU: {m['cpu']}, {m['cores']} cores",
        f"- Python {m['python']}, SQLite {m['sqlite']}"
        + (f", {m['postgres']}" if m.get("postgres") else ""),
        f"- {m['platform']}",
        f"- Whole run: {results['duration_s']:.0f} s ({results['mode']})",
        "",
        "## Targets",
        "",
        "| target | verdict | measured |",
        "| --- | --- | --- |",
        *(f"| {t} | {v} | {e} |" for t, v, e in verdicts(results)),
        "",
        "## How it measures",
        "",
        "- Every case is a request through Django's WSGI handler (all middleware), one at a",
        "  time in one process: median and p95 (nearest rank) over the repetitions shown;",
        "  SQL queries counted with CaptureQueriesContext on a warm request. The cases a ratio",
        "  compares (ours and REST v2, cached and floor) are timed side by side, their requests",
        "  interleaved, so a machine that slows down during the run moves both alike.",
        "- Uncached GraphQL: each request carries a different unused variable, which the",
        "  response cache keys on (cms/api/cache.py), so every request misses it.",
        "- REST API v2: Wagtail's PagesAPIViewSet with the same fields as APIFields",
        "  (benchmarks/rest.py), stock queryset, `limit` 20 or 100, `order=-date`.",
        "  The v3 API (django-ninja) cannot express the listing: its page list has a fixed",
        "  schema (id, title, meta) and fields only come one page at a time from the detail",
        "  endpoint.",
        "- Floor: a plain view returning the GraphQL answer's bytes from memory.",
        "- The 100-item listing costs more than production's MAX_COST (1,000): production",
        "  refuses it; the benchmark settings raise the limit to measure it.",
        "- Search: our `search` root field (uncached, nonce variable) with facets and",
        "  highlights, beside `Page.objects.live().public().search(q)[:20]` on Wagtail's",
        "  database backend (its index filled from the same pages), both through WSGI.",
        "- Publish: `page.save_revision().publish()` of one page, in process, with search",
        "  indexing queued as a task; again with ELASTICSEARCH_URL at a closed port.",
        "- Under load: wrk's latency histogram, p95 read with `latency:percentile(95)`.",
        "- Item pages (benchmarks/items.py, issue 19): each item query with a front end's item",
        "  page fields, uncached, beside REST API v2's detail endpoint with the same fields (for",
        "  `page(urlPath)`, its `find` and the redirect it answers) and `{ __typename }`, all",
        "  three interleaved; then the floor beside the same query cached. SQL queries counted",
        "  for a rich item (4 topics, 3 downloads, 3 related publications, a translation) and a",
        "  plain one (no related page, no translation).",
        "",
        "## Figures",
        "",
        *tables(results),
    ]
    kept = ""
    if RESULTS_MD.exists():
        previous = RESULTS_MD.read_text()
        if KEPT_MARKER in previous:
            kept = "\n" + previous[previous.index(KEPT_MARKER) :]
    RESULTS_MD.write_text("\n".join(lines).rstrip() + "\n" + kept)
    return RESULTS_MD
