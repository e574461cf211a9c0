"""The soak run's plan and its arithmetic: the named phases and when each fault is injected,
the latency percentiles per kind and phase, the errors by HTTP status and GraphQL code, the
targets checked, and the results page (benchmarks/SOAK.md). No I/O, no Django: the smoke test
feeds it made-up samples.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

# The fault phases, in order, and how long each lasts (seconds). Each fault is injected once,
# at its phase's start; the phase's remaining seconds show the recovery.
FAULT_PHASES: tuple[tuple[str, int], ...] = (
    ("worker-kill", 20),  # the task worker SIGKILLed; restarted WORKER_RESTART_AFTER later
    ("redis-down", 30),  # redis-server stopped: connections refused
    ("redis-hang", 30),  # redis-server back, the proxy in front of it stops forwarding
    ("redis-back", 20),  # the proxy forwards again
    ("postgres-restart", 40),  # pg_ctl stop -m fast, POSTGRES_DOWN_FOR seconds, start
)
WORKER_RESTART_AFTER = 5
POSTGRES_DOWN_FOR = 10
MIN_STEADY = 20  # seconds of plain load before the faults, and at least as many after
WARMUP = 15  # seconds after a process starts before its memory is first counted

# Targets (issue 16).
MAX_RSS_GROWTH = 0.10


@dataclass(frozen=True)
class Phase:
    name: str
    start: float
    end: float


def plan(total: float) -> tuple[list[Phase], list[tuple[float, str]]]:
    """The phases of a run of `total` seconds, the faults midway, and the timed actions
    (seconds from the start, action name) that inject and end them."""
    faults = sum(seconds for _, seconds in FAULT_PHASES)
    if total < faults + 2 * MIN_STEADY:
        raise ValueError(
            f"a soak run needs at least {(faults + 2 * MIN_STEADY) / 60:.1f} minutes "
            f"({faults} s of faults and {MIN_STEADY} s of plain load either side)"
        )
    before = (total - faults) / 2
    phases = [Phase("steady", 0.0, before)]
    at = before
    for name, seconds in FAULT_PHASES:
        phases.append(Phase(name, at, at + seconds))
        at += seconds
    phases.append(Phase("after", at, float(total)))
    start = {phase.name: phase.start for phase in phases}
    actions = [
        (start["worker-kill"], "kill-worker"),
        (start["worker-kill"] + WORKER_RESTART_AFTER, "start-worker"),
        (start["redis-down"], "stop-redis"),
        (start["redis-hang"], "start-redis-hanging"),
        (start["redis-back"], "unhang-redis"),
        (start["postgres-restart"], "stop-postgres"),
        (start["postgres-restart"] + POSTGRES_DOWN_FOR, "start-postgres"),
    ]
    return phases, actions


def phase_at(phases: list[Phase], seconds: float) -> str:
    for phase in phases:
        if phase.start <= seconds < phase.end:
            return phase.name
    return phases[-1].name if seconds >= phases[-1].end else phases[0].name


def percentile(values: list[float], fraction: float) -> float:
    """Nearest rank: the smallest value with at least `fraction` of the values at or below."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered) - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def outcome(status: int, codes: list[str]) -> str | None:
    """What went wrong with one answer, or None: the HTTP status first, then the first
    GraphQL error code of a 200 (status 0 is a connection that failed or timed out)."""
    if status == 0:
        return "no answer"
    if status != 200:
        return f"HTTP {status}" + (f" {codes[0]}" if codes else "")
    return f"200 {codes[0]}" if codes else None


def aggregate(samples: list[dict], phases: list[Phase]) -> dict:
    """Samples ({t, kind, status, codes, ms}) to requests, errors and latency per phase and kind."""
    by_phase: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    errors: Counter[str] = Counter()
    errors_by_phase: dict[str, Counter[str]] = defaultdict(Counter)
    for sample in samples:
        name = phase_at(phases, sample["t"])
        by_phase[name][sample["kind"]].append(sample["ms"])
        wrong = outcome(sample["status"], sample.get("codes", []))
        if wrong:
            errors[wrong] += 1
            errors_by_phase[name][wrong] += 1
    latency = {
        phase.name: {
            kind: {
                "requests": len(values),
                "p50_ms": round(percentile(values, 0.50), 1),
                "p95_ms": round(percentile(values, 0.95), 1),
                "p99_ms": round(percentile(values, 0.99), 1),
            }
            for kind, values in sorted(by_phase[phase.name].items())
        }
        for phase in phases
    }
    return {
        "requests": len(samples),
        "errors": dict(errors.most_common()),
        "errors_by_phase": {name: dict(counter) for name, counter in errors_by_phase.items()},
        "latency": latency,
    }


def summarise_changes(changes: list[dict]) -> dict:
    """Change records ({action, applied, api, search_delay, lost}) to counts and delays."""
    applied = [change for change in changes if change["applied"]]
    delays = [change["search_delay"] for change in applied if change["search_delay"] is not None]
    return {
        "attempted": len(changes),
        "applied": len(applied),
        "refused": len(changes) - len(applied),
        "by_action": dict(Counter(change["action"] for change in applied)),
        "api_stale": sum(change["api"] == "stale" for change in applied),
        "api_unverified": sum(change["api"] == "unverified" for change in applied),
        "lost": [change for change in applied if change["lost"]],
        "search_delay_p50_s": round(percentile(delays, 0.50), 2),
        "search_delay_p95_s": round(percentile(delays, 0.95), 2),
        "search_delay_max_s": round(max(delays, default=0.0), 2),
    }


def rss_growth(start_kb: int, end_kb: int) -> float:
    return (end_kb - start_kb) / start_kb if start_kb else 0.0


def missed_targets(result: dict) -> list[str]:
    """The targets the run missed, each as a sentence; empty when it met them all."""
    missed = []
    changes = result["changes"]
    if changes["lost"]:
        missed.append(f"{len(changes['lost'])} change(s) never showed in search")
    if changes["api_stale"]:
        missed.append(f"{changes['api_stale']} change(s) not in the API at once")
    if changes["applied"] == 0:
        missed.append("no change was applied: nothing was checked")
    index = result["index"]
    if not index.get("drained", False):
        missed.append(f"the queue did not drain: {index.get('queue')}")
    differences = sum(len(index.get(key, [])) for key in ("missing", "extra", "stale"))
    if differences:
        missed.append(f"{differences} index update(s) lost (index differs from the database)")
    for process in result["memory"]:
        if process["growth"] > MAX_RSS_GROWTH:
            missed.append(
                f"{process['name']} grew {process['growth']:.0%} "
                f"({process['start_kb']} -> {process['end_kb']} kB)"
            )
    return missed
