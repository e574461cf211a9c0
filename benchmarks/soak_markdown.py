"""benchmarks/SOAK.md from one soak run's results (benchmarks/soak.py)."""

from __future__ import annotations

from pathlib import Path

from .soak_load import KINDS
from .soak_report import MAX_RSS_GROWTH, WARMUP, Phase, phase_at


def render(result: dict) -> str:
    load, changes, index = result["load"], result["changes"], result["index"]
    verdict = (
        "met every target" if not result["missed"] else "MISSED: " + "; ".join(result["missed"])
    )
    lines = [
        "# Soak run",
        "",
        "Written by `make soak` (benchmarks/soak.py); the raw numbers are in "
        "var/bench/soak-*.json. gunicorn with 2 sync workers and `manage.py tasks_worker` on "
        "a throwaway PostgreSQL cluster and redis-server (behind a proxy the run controls), "
        f"{result['publications']} publications, {result['clients']} client threads on "
        "127.0.0.1 sending one request after another, 20 page changes a minute.",
        "",
        f"**{result['date']}, {result['minutes']:g} minutes: {verdict}.**",
        "",
        "## Phases",
        "",
        "| phase | from (s) | to (s) | what happens |",
        "| --- | ---: | ---: | --- |",
    ]
    what = {
        "steady": "load and changes only",
        "worker-kill": "the task worker gets SIGKILL; a new one starts 5 s later",
        "redis-down": "redis-server stopped (connections refused)",
        "redis-hang": "redis-server started again, but the proxy stops forwarding (a hang)",
        "redis-back": "the proxy forwards again",
        "postgres-restart": "`pg_ctl stop -m fast`, 10 s down, `pg_ctl start`",
        "after": "load and changes only",
    }
    for phase in result["phases"]:
        lines.append(
            f"| {phase['name']} | {phase['start']:.0f} | {phase['end']:.0f} | "
            f"{what.get(phase['name'], '')} |"
        )
    errors = sum(load["errors"].values())
    lines += [
        "",
        "## Requests",
        "",
        f"{load['requests']} requests, {errors} not answered with a clean 200 "
        f"({errors / max(load['requests'], 1):.2%}).",
        "",
    ]
    if load["errors"]:
        lines += ["| phase | answer | count |", "| --- | --- | ---: |"]
        for phase, counts in load["errors_by_phase"].items():
            lines += [f"| {phase} | {answer} | {count} |" for answer, count in counts.items()]
        lines.append("")
    lines += [
        "Latency in ms (p50 / p95 / p99) and requests, per kind and phase:",
        "",
        "| phase | " + " | ".join(KINDS) + " |",
        "| --- |" + " ---: |" * len(KINDS),
    ]
    for phase, kinds in load["latency"].items():
        cells = []
        for kind in KINDS:
            row = kinds.get(kind)
            cells.append(
                f"{row['p50_ms']:.0f} / {row['p95_ms']:.0f} / {row['p99_ms']:.0f} "
                f"({row['requests']})"
                if row
                else "-"
            )
        lines.append(f"| {phase} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Changes",
        "",
        f"{changes['attempted']} changes attempted, {changes['applied']} applied "
        f"({', '.join(f'{n} {a}' for a, n in sorted(changes['by_action'].items()))}), "
        f"{changes['refused']} refused by the database while it was away (nothing written, "
        "nothing to lose). Each applied change was checked: in the API at once "
        f"({changes['api_stale']} stale, {changes['api_unverified']} never answered), in "
        f"search within {result['bound_s']:.0f} s ({len(changes['lost'])} lost). Delay "
        f"until search showed it: p50 {changes['search_delay_p50_s']} s, p95 "
        f"{changes['search_delay_p95_s']} s, max {changes['search_delay_max_s']} s.",
        "",
    ]
    phases = [Phase(**phase) for phase in result["phases"]]
    for change in changes["lost"]:
        lines.append(
            f"- lost: {change['action']} of page {change['page']} at {change['t']:.0f} s "
            f"({phase_at(phases, change['t'])}; API: {change['api']})"
        )
    killed = result["worker_killed_mid_task"]
    lines += [
        "",
        "The task worker was killed "
        + (f"while it ran task {killed}." if killed else "between two tasks (none ran in 8 s).")
        + " A task cut short stays RUNNING unless something puts it back.",
        "",
    ]
    differences = {key: index.get(key, []) for key in ("missing", "extra", "stale")}
    lines += [
        "## Index against the database",
        "",
        f"Queue drained: {'yes' if index.get('drained') else 'NO'} (tasks by status: "
        f"{index.get('queue')}). Documents missing: {len(differences['missing'])}, extra: "
        f"{len(differences['extra'])}, stale: {len(differences['stale'])}"
        + (f" ({differences})" if any(differences.values()) else "")
        + ".",
        "",
        "## Memory (RSS)",
        "",
        f"Read every 10 s; each process from its first reading {WARMUP} s or more after it "
        "started (imports done, caches filled) to its last (the end of the load; for the task "
        "worker killed midway, just before the SIGKILL). Target: growth under "
        f"{MAX_RSS_GROWTH:.0%}.",
        "",
        "| process | from (s) | to (s) | start (MB) | end (MB) | largest (MB) | growth |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in result["memory"]:
        lines.append(
            f"| {row['name']} | {row['from_s']} | {row['to_s']} | {row['start_kb'] / 1024:.1f} "
            f"| {row['end_kb'] / 1024:.1f} | {row['max_kb'] / 1024:.1f} | {row['growth']:+.1%} |"
        )
    lines += [
        "",
        "## Logs",
        "",
        "Lines each process wrote during the run, its tracebacks, and its most frequent lines "
        "(digits as N):",
        "",
    ]
    for name, log in result["logs"].items():
        lines.append(f"- `{name}`: {log['lines']} lines, {log['tracebacks']} tracebacks")
        lines += [f"  - {count}: `{text}`" for text, count in log["top"]]
    return "\n".join(lines) + "\n"


def write_markdown(result: dict, path: Path) -> None:
    path.write_text(render(result))
