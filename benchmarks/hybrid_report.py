"""Hybrid search's figures as a section of benchmarks/RESULTS.md, between markers of its own:
benchmarks/report.py rewrites the rest of the file, this module only its section (appended
when the file has none)."""

from __future__ import annotations

import statistics
from pathlib import Path

from . import config

START = "<!-- hybrid-search:start -->"
END = "<!-- hybrid-search:end -->"
P95_TARGET_MS = 50.0
RESULTS = config.BASE_DIR / "benchmarks" / "RESULTS.md"


def _rr(rank: int | None) -> float:
    return 1.0 / rank if rank else 0.0


def relevance_summary(cases: list[dict]) -> dict:
    """recall@5 and MRR (first ten hits) per mode, overall and by language; regressions."""
    summary: dict = {"by_language": {}}
    for mode in ("lexical", "hybrid"):
        ranks = [case[mode]["rank"] for case in cases]
        summary[mode] = {
            "recall5": sum(1 for r in ranks if r and r <= 5) / len(ranks),
            "mrr": statistics.fmean(_rr(r) for r in ranks),
        }
    for language in dict.fromkeys(case["language"] for case in cases):
        subset = [case for case in cases if case["language"] == language]
        summary["by_language"][language] = {
            mode: (
                sum(1 for c in subset if c[mode]["rank"] and c[mode]["rank"] <= 5) / len(subset),
                statistics.fmean(_rr(c[mode]["rank"]) for c in subset),
            )
            for mode in ("lexical", "hybrid")
        }
    summary["lost"] = [
        case
        for case in cases
        if case["lexical"]["rank"]
        and case["lexical"]["rank"] <= 3
        and not (case["hybrid"]["rank"] and case["hybrid"]["rank"] <= 3)
    ]
    return summary


def section(results: dict) -> list[str]:
    n = results["n"]
    lines = [
        START,
        "## Hybrid search (lexical + multilingual vectors)",
        "",
        f"`python -m benchmarks.hybrid` (part of `make bench`), {results.get('started', '')}; "
        f"{results.get('duration_s', 0):.0f} s.",
        "",
    ]
    if results.get("load_average"):
        one, five, fifteen = results["load_average"]
        lines += [
            f"Machine: {results.get('cpus')} CPUs, load average {one:.1f} / {five:.1f} / "
            f"{fifteen:.1f} at the end of the run (other processes shared the cores: the "
            "timings are upper bounds, HYBRID and LEXICAL interleaved so they compare).",
            "",
        ]
    model = results.get("model", {})
    if "error" in model:
        lines += [f"Model: FAILED ({model['error']})", ""]
    elif model:
        lines += [
            "### Model",
            "",
            f"- {model['embedder']}: loaded in {model['load_s']:.1f} s; resident memory "
            f"{model['rss_before_mb']:.0f} MB before, {model['rss_after_mb']:.0f} MB after "
            f"(+{model['rss_after_mb'] - model['rss_before_mb']:.0f} MB).",
            f"- One query embedded (not cached): {model['query_embed_ms']:.1f} ms on average.",
            "",
        ]
    lines += _relevance_lines(results.get("relevance", {}))
    lines += _index_lines(results, n)
    lines += _search_lines(results.get("search", {}), n)
    lines.append(END)
    return lines


def _relevance_lines(relevance: dict) -> list[str]:
    if "error" in relevance or not relevance:
        return [f"Relevance: FAILED ({relevance.get('error', 'not run')})", ""]
    cases = relevance["cases"]
    summary = relevance_summary(cases)
    lexical, hybrid = summary["lexical"], summary["hybrid"]
    lost = summary["lost"]
    lines = [
        "### Relevance (demo catalogue, benchmarks/relevance_cases.py)",
        "",
        f"{len(cases)} searches in six languages, each with the items that answer it.",
        "",
        "| | recall@5 LEXICAL | recall@5 HYBRID | MRR LEXICAL | MRR HYBRID |",
        "|---|---:|---:|---:|---:|",
        f"| all | {lexical['recall5']:.2f} | {hybrid['recall5']:.2f} | {lexical['mrr']:.2f} "
        f"| {hybrid['mrr']:.2f} |",
    ]
    for language, figures in summary["by_language"].items():
        (lr, lm), (hr, hm) = figures["lexical"], figures["hybrid"]
        lines.append(f"| {language} | {lr:.2f} | {hr:.2f} | {lm:.2f} | {hm:.2f} |")
    verdict = "PASS" if not lost else "MISS"
    lines += [
        "",
        f"- {verdict}: HYBRID keeps every case LEXICAL finds in its top 3"
        + (": lost " + "; ".join(f"{c['query']!r}" for c in lost) if lost else "."),
        "",
        "| lang | query | expected because | LEXICAL rank | HYBRID rank |",
        "|---|---|---|---:|---:|",
    ]
    for case in cases:
        lines.append(
            f"| {case['language']} | {case['query']} | {case['why']} "
            f"| {case['lexical']['rank'] or 'none'} | {case['hybrid']['rank'] or 'none'} |"
        )
    return [*lines, ""]


def _index_lines(results: dict, n: int) -> list[str]:
    lines = [f"### Indexing {n} publications (full rebuild)", ""]
    lines += ["| | seconds | peak memory (MB) |", "|---|---:|---:|"]
    for part, label in (
        ("index-off", "without vectors"),
        ("index-cold", "with vectors, empty embedding cache"),
        ("index-warm", "with vectors, cache filled (a re-index)"),
    ):
        result = results.get(part, {})
        if "error" in result or not result:
            lines.append(f"| {label} | FAILED: {result.get('error', 'not run')} | |")
        else:
            lines.append(f"| {label} | {result['seconds']:.1f} | {result['peak_rss_mb']:.0f} |")
    return [*lines, ""]


def _search_lines(search: dict, n: int) -> list[str]:
    if "error" in search or not search:
        return [f"Search speed: FAILED ({search.get('error', 'not run')})", ""]
    lines = [
        f"### Search through GraphQL at {n} publications (20 hits, facets, highlights; uncached)",
        "",
        "| query | HYBRID p95 (ms) | LEXICAL p95 (ms) | HYBRID median | LEXICAL median "
        "| total HYBRID | total LEXICAL |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    worst = 0.0
    for text, entry in search["queries"].items():
        hybrid, lexical = entry["timings"]["HYBRID"], entry["timings"]["LEXICAL"]
        worst = max(worst, hybrid["p95_ms"])
        lines.append(
            f"| {text} | {hybrid['p95_ms']:.1f} | {lexical['p95_ms']:.1f} "
            f"| {hybrid['median_ms']:.1f} | {lexical['median_ms']:.1f} "
            f"| {entry['total_hybrid']} | {entry['total_lexical']} |"
        )
    verdict = "PASS" if worst < P95_TARGET_MS else "MISS"
    lines += [
        "",
        f"- {verdict}: HYBRID p95 < {P95_TARGET_MS:.0f} ms at {n} publications "
        f"(worst query {worst:.1f} ms). Repeated queries reuse their cached vector (an LRU of "
        "2,048 per process); the model section gives the cost of a new one.",
        "",
    ]
    return lines


def write(lines: list[str], path: Path = RESULTS) -> Path:
    text = path.read_text() if path.exists() else ""
    block = "\n".join(lines) + "\n"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1].lstrip("\n")
        text = before + block + after
    else:
        text = text.rstrip("\n") + "\n\n" + block
    path.write_text(text)
    return path
