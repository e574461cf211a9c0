"""The soak run's harness on made-up samples: its fault phases' schedule, the report's
percentiles, errors and targets, and the results page. No server, no timing."""

import itertools

import pytest

from benchmarks import soak_report
from benchmarks.soak import log_summary, memory_report
from benchmarks.soak_markdown import render
from benchmarks.soak_report import Phase


def test_faults_come_midway_each_once_in_named_phases():
    phases, actions = soak_report.plan(600)

    names = [phase.name for phase in phases]
    assert names == [
        "steady", "worker-kill", "redis-down", "redis-hang", "redis-back",
        "postgres-restart", "after",
    ]  # fmt: skip
    assert phases[0].start == 0 and phases[-1].end == 600
    assert all(a.end == b.start for a, b in itertools.pairwise(phases))
    # 140 s of faults centred in 600 s: 230 s of plain load either side.
    assert phases[1].start == 230 and phases[-1].start == 370
    assert actions == [
        (230, "kill-worker"), (235, "start-worker"), (250, "stop-redis"),
        (280, "start-redis-hanging"), (310, "unhang-redis"), (330, "stop-postgres"),
        (340, "start-postgres"),
    ]  # fmt: skip
    assert [name for _, name in actions].count("kill-worker") == 1


def test_a_run_too_short_for_its_faults_is_refused():
    soak_report.plan(180)  # the shortest: 20 s either side of 140 s of faults
    with pytest.raises(ValueError, match=r"at least 3\.0 minutes"):
        soak_report.plan(179)


def test_phase_at_places_each_second():
    phases = [Phase("steady", 0, 10), Phase("redis-down", 10, 20), Phase("after", 20, 30)]

    assert soak_report.phase_at(phases, 0) == "steady"
    assert soak_report.phase_at(phases, 9.99) == "steady"
    assert soak_report.phase_at(phases, 10) == "redis-down"
    assert soak_report.phase_at(phases, 31) == "after"  # a request that ended late


def test_percentiles_are_nearest_rank():
    values = [float(v) for v in range(1, 101)]

    assert soak_report.percentile(values, 0.50) == 50
    assert soak_report.percentile(values, 0.95) == 95
    assert soak_report.percentile(values, 0.99) == 99
    assert soak_report.percentile([7.0], 0.99) == 7
    assert soak_report.percentile([], 0.5) == 0


def test_aggregate_counts_errors_by_status_and_code_per_phase():
    phases = [Phase("steady", 0, 10), Phase("postgres-restart", 10, 20)]
    samples = [
        *({"t": 1.0, "kind": "list", "status": 200, "codes": [], "ms": ms} for ms in (10, 20, 30)),
        {"t": 2.0, "kind": "search", "status": 200, "codes": [], "ms": 40.0},
        {"t": 12.0, "kind": "list", "status": 503, "codes": ["SERVICE_UNAVAILABLE"], "ms": 5.0},
        {"t": 13.0, "kind": "item", "status": 200, "codes": ["INTERNAL_SERVER_ERROR"], "ms": 6.0},
        {"t": 14.0, "kind": "item", "status": 0, "codes": [], "ms": 30000.0},
    ]

    report = soak_report.aggregate(samples, phases)

    assert report["requests"] == 7
    assert report["errors"] == {
        "HTTP 503 SERVICE_UNAVAILABLE": 1, "200 INTERNAL_SERVER_ERROR": 1, "no answer": 1,
    }  # fmt: skip
    assert "steady" not in report["errors_by_phase"]
    assert report["latency"]["steady"]["list"] == {
        "requests": 3, "p50_ms": 20.0, "p95_ms": 30.0, "p99_ms": 30.0,
    }  # fmt: skip
    assert report["latency"]["postgres-restart"]["item"]["p99_ms"] == 30000.0


def change(action="edit", applied=True, api="ok", delay=1.5, lost=False):
    return {
        "t": 5.0, "page": 3, "action": action, "applied": applied, "api": api,
        "search_delay": None if lost or not applied else delay, "lost": lost,
    }  # fmt: skip


def result(changes, index=None, memory=None):
    phases, actions = soak_report.plan(180)
    return {
        "date": "2026-12-06T10:00:00+00:00", "minutes": 3, "clients": 8,
        "publications": 300, "bound_s": 120, "phases": [p.__dict__ for p in phases],
        "actions": actions, "load": soak_report.aggregate([], phases),
        "changes": soak_report.summarise_changes(changes),
        "index": index or {"drained": True, "queue": {"SUCCESSFUL": 9}, "missing": [],
                           "extra": [], "stale": []},
        "memory": memory or [{"name": "gunicorn worker 1", "from_s": 20, "to_s": 180,
                              "start_kb": 100_000, "end_kb": 105_000, "max_kb": 105_000,
                              "growth": 0.05}],
        "worker_killed_mid_task": None,
        "logs": {"gunicorn.log": {"lines": 2, "tracebacks": 0,
                                  "top": [["Service Unavailable: /graphql/", 2]]}},
    }  # fmt: skip


def test_a_clean_run_misses_no_target_and_says_so():
    run = result([change(), change("unpublish", delay=2.5), change(applied=False, delay=None)])

    assert run["changes"]["applied"] == 2 and run["changes"]["refused"] == 1
    assert run["changes"]["search_delay_max_s"] == 2.5
    assert soak_report.missed_targets(run) == []
    run["missed"] = []
    assert "met every target" in render(run)


def test_each_missed_target_is_named():
    run = result(
        [change(lost=True), change(api="stale")],
        index={"drained": False, "queue": {"RUNNING": 1}, "missing": [], "extra": [], "stale": [4]},
        memory=[
            {
                "name": "task worker",
                "from_s": 20,
                "to_s": 90,
                "start_kb": 100,
                "end_kb": 120,
                "max_kb": 130,
                "growth": 0.2,
            }
        ],
    )

    missed = soak_report.missed_targets(run)

    assert missed == [
        "1 change(s) never showed in search",
        "1 change(s) not in the API at once",
        "the queue did not drain: {'RUNNING': 1}",
        "1 index update(s) lost (index differs from the database)",
        "task worker grew 20% (100 -> 120 kB)",
    ]
    run["missed"] = missed
    page = render(run)
    assert "MISSED: 1 change(s) never showed in search" in page
    assert "- lost: edit of page 3" in page


def test_memory_growth_is_relative_to_the_first_reading():
    assert soak_report.rss_growth(200_000, 210_000) == pytest.approx(0.05)
    assert soak_report.rss_growth(0, 5) == 0.0


def test_memory_is_counted_from_each_process_s_settled_reading_to_its_last():
    series = {
        "gunicorn worker 1": [(10.0, 90_000), (20.0, 100_000), (30.0, 104_000), (40.0, 103_000)],
        "task worker (pid 1)": [(10.0, 80_000), (20.0, 90_000)],  # killed at 20 s
        "task worker (pid 2)": [(30.0, 70_000), (40.0, 75_000), (50.0, 77_000), (60.0, 77_000)],
    }
    born = {"gunicorn worker 1": 0.0, "task worker (pid 1)": 0.0, "task worker (pid 2)": 30.0}

    rows = {row["name"]: row for row in memory_report(series, born)}

    assert rows["gunicorn worker 1"]["start_kb"] == 100_000  # 20 s: the first after warm-up
    assert rows["gunicorn worker 1"]["end_kb"] == 103_000
    assert rows["gunicorn worker 1"]["max_kb"] == 104_000
    assert rows["gunicorn worker 1"]["growth"] == 0.03
    # One settled reading before its SIGKILL: nothing to compare.
    assert "task worker (pid 1)" not in rows
    # The replacement is counted from its first reading 15 s or more after it started.
    replacement = rows["task worker (pid 2)"]
    assert (replacement["from_s"], replacement["to_s"], replacement["growth"]) == (50, 60, 0.0)


def test_log_summary_counts_lines_tracebacks_and_frequent_lines(tmp_path):
    (tmp_path / "gunicorn.log").write_text(
        "Service Unavailable: /graphql/\n" * 3
        + "Traceback (most recent call last):\n  File x\nValueError: 1\n"
    )

    summary = log_summary(tmp_path)["gunicorn.log"]

    assert summary["lines"] == 6
    assert summary["tracebacks"] == 1
    assert summary["top"][0] == ("Service Unavailable: /graphql/", 3)
