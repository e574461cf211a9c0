"""`make soak`: the CMS under steady load for --minutes while pages change and, midway, the
task worker, Redis and PostgreSQL fail once each (issue 16). Everything runs on services of
its own: a throwaway PostgreSQL cluster and redis-server on free ports (benchmarks/services.py),
Redis behind a proxy the run can make hang, gunicorn with 2 workers and the task worker.

Writes var/bench/soak-<stamp>.json and benchmarks/SOAK.md; exits 1 when a target is missed
(a change or an index update lost, a change not in the API at once, memory growth >= 10%).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from . import config, services, soak_report
from .soak_load import Load, graphql, register_persisted_query
from .soak_markdown import write_markdown

PYTHON = sys.executable
MANAGE = [PYTHON, str(config.BASE_DIR / "manage.py")]
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))


def say(line: str) -> None:
    print(line, flush=True)


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    try:
        return [
            int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        ]
    except OSError:
        return []


class Stack:
    """The services and processes of one run; close() stops whatever was started."""

    def __init__(self, folder: Path, publications: int) -> None:
        self.folder = folder
        self.cluster = services.Cluster(prefix="cms-soak-pg-")
        self.cluster.start()
        self.cluster.create_database()
        self.redis_port = services.free_port()
        self.redis: subprocess.Popen | None = services.start_redis(self.redis_port)
        self.proxy = services.HangingProxy(self.redis_port)
        self.port = services.free_port()
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
            "BENCH_DIR": str(folder / "bench"),
            "BENCH_DATABASE_URL": self.cluster.url,
            "BENCH_N": str(publications),
            "REDIS_URL": f"redis://127.0.0.1:{self.proxy.port}/0",
            "PYTHONUNBUFFERED": "1",
            # The killed worker's task is reclaimed after this lease, within the soak's bound
            # for a change (a deployment keeps the default, longer than its slowest update).
            "TASK_LEASE_SECONDS": os.environ.get("SOAK_TASK_LEASE_SECONDS", "20"),
        }
        self.gunicorn: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.killed_mid_task: str | None = None

    def run(self, args: list[str], timeout: float = 900) -> str:
        done = subprocess.run(
            args, env=self.env, cwd=config.BASE_DIR, capture_output=True, text=True,
            timeout=timeout,
        )  # fmt: skip
        if done.returncode:
            raise RuntimeError(f"{' '.join(args[1:4])} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def spawn(self, args: list[str], log: str, stdout=None) -> subprocess.Popen:
        handle = (self.folder / log).open("a")
        return subprocess.Popen(
            args, env=self.env, cwd=config.BASE_DIR, stdout=stdout or handle, stderr=handle
        )

    def start_gunicorn(self) -> None:
        self.gunicorn = self.spawn(
            [GUNICORN, "cms.wsgi:application", "--workers=2", f"--bind=127.0.0.1:{self.port}",
             "--timeout=60", "--log-level=warning"],
            "gunicorn.log",
        )  # fmt: skip
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.gunicorn.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.gunicorn.returncode}")
            if graphql(self.port, "{ topics { slug } }", {})[0] == 200:
                return
            time.sleep(0.5)
        raise RuntimeError("gunicorn did not answer within 90 s")

    def start_worker(self) -> None:
        self.worker = self.spawn(
            [*MANAGE, "tasks_worker", "--backend", "search", "--queue-name", "search",
             "--interval", "1"],
            "worker.log",
        )  # fmt: skip

    def act(self, action: str) -> None:
        """One fault injected or ended (the names of soak_report.plan())."""
        if action == "kill-worker":
            assert self.worker is not None
            self.killed_mid_task = self._wait_for_a_running_task(seconds=8)
            self.worker.send_signal(signal.SIGKILL)
            self.worker.wait(timeout=10)
        elif action == "start-worker":
            self.start_worker()
        elif action == "stop-redis":
            assert self.redis is not None
            services.stop_process(self.redis)
            self.redis = None
        elif action == "start-redis-hanging":
            self.proxy.hang.set()
            self.redis = services.start_redis(self.redis_port)
        elif action == "unhang-redis":
            self.proxy.hang.clear()
        elif action == "stop-postgres":
            self.cluster.stop()
        elif action == "start-postgres":
            self.cluster.start()
        else:
            raise ValueError(action)

    def _wait_for_a_running_task(self, seconds: float) -> str | None:
        """The worst moment for a SIGKILL: while the worker runs a task (its log's last line is
        django-tasks' `Task id=... state=RUNNING`). The task's id, or None if none ran in time."""
        log = self.folder / "worker.log"
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            lines = log.read_text().splitlines()
            if lines and "state=RUNNING" in lines[-1]:
                return lines[-1].split("id=")[1].split()[0]
            time.sleep(0.01)
        return None

    def processes(self) -> dict[str, int]:
        """The processes whose memory is watched: gunicorn's workers and the task worker."""
        found = {}
        if self.gunicorn is not None:
            for number, pid in enumerate(sorted(children(self.gunicorn.pid)), 1):
                found[f"gunicorn worker {number} (pid {pid})"] = pid
        if self.worker is not None and self.worker.poll() is None:
            found[f"task worker (pid {self.worker.pid})"] = self.worker.pid
        return found

    def close(self) -> None:
        for process in (self.gunicorn, self.worker, self.redis):
            if process is not None and process.poll() is None:
                services.stop_process(process)
        self.proxy.close()
        self.cluster.remove()


def memory_report(series: dict[str, list[tuple[float, int]]], born: dict[str, float]) -> list:
    """Each watched process's RSS at its first reading WARMUP seconds or more after it started
    and at its last (the end of the load, or just before the SIGKILL), and its largest."""
    rows = []
    for name, readings in series.items():
        settled = [(t, kb) for t, kb in readings if t >= born[name] + soak_report.WARMUP and kb]
        if len(settled) < 2:
            continue
        (start_t, start_kb), (end_t, end_kb) = settled[0], settled[-1]
        rows.append(
            {
                "name": name,
                "from_s": round(start_t),
                "to_s": round(end_t),
                "start_kb": start_kb,
                "end_kb": end_kb,
                "max_kb": max(kb for _, kb in settled),
                "growth": round(soak_report.rss_growth(start_kb, end_kb), 4),
                "readings": settled,
            }
        )
    return rows


def log_summary(folder: Path) -> dict:
    """Each log's line count, tracebacks, and its most frequent lines (numbers blanked)."""
    summary = {}
    for log in sorted(folder.glob("*.log")):
        lines = log.read_text(errors="replace").splitlines()
        kinds = Counter(re.sub(r"\d+", "N", line)[:110] for line in lines if line[:1] not in " \t")
        summary[log.name] = {
            "lines": len(lines),
            "tracebacks": sum(line.startswith("Traceback") for line in lines),
            "top": kinds.most_common(6),
        }
    return summary


def read_memory(stack: Stack, series: dict, born: dict, elapsed: float) -> None:
    first = not series  # the processes seen at the first reading started with the run
    for name, pid in stack.processes().items():
        born.setdefault(name, 0.0 if first else elapsed)
        series.setdefault(name, []).append((round(elapsed, 1), rss_kb(pid)))


def soak(minutes: float, clients: int, publications: int, bound: float, drain: float) -> dict:
    total = minutes * 60
    phases, actions = soak_report.plan(total)
    folder = Path(tempfile.mkdtemp(prefix="cms-soak-"))
    say(f"Soak: {minutes:g} min, {clients} clients, {publications} publications; logs in {folder}")
    stack = Stack(folder, publications)
    try:
        say(f"  PostgreSQL on :{stack.cluster.port}, Redis on :{stack.redis_port} "
            f"behind a proxy on :{stack.proxy.port}")  # fmt: skip
        stack.run([*MANAGE, "migrate", "--noinput"])
        stack.run([PYTHON, "-m", "benchmarks.soak_changes", "seed", str(publications)])
        stack.run([*MANAGE, "search_reindex"])
        say("  migrated, seeded, search index built")
        stack.start_gunicorn()
        stack.start_worker()
        register_persisted_query(stack.port)
        ids = [int(line) for line in stack.run(
            [PYTHON, "-c", "import django; django.setup(); from publications.models import "
             "PublicationPage as P; print(*P.objects.values_list('pk', flat=True), sep='\\n')"]
        ).split()]  # fmt: skip
        say(f"  gunicorn on :{stack.port} (2 workers), task worker started; load begins")

        started, t0 = time.monotonic(), time.time()
        changes_out = (folder / "changes.jsonl").open("w")
        changer = stack.spawn(
            [PYTHON, "-m", "benchmarks.soak_changes", "changes", f"--port={stack.port}",
             f"--seconds={total}", "--per-minute=20", f"--bound={bound}", f"--t0={t0}"],
            "changes.log", stdout=changes_out,
        )  # fmt: skip
        load = Load(stack.port, clients, ids, started)
        load.start()
        series: dict[str, list[tuple[float, int]]] = {}
        born: dict[str, float] = {}
        pending = list(actions)
        next_line = next_reading = 10.0
        current = ""
        while (elapsed := time.monotonic() - started) < total:
            phase = soak_report.phase_at(phases, elapsed)
            if phase != current:
                say(f"[{elapsed:6.1f}s] phase {phase}")
                current = phase
            while pending and pending[0][0] <= elapsed:
                action = pending.pop(0)[1]
                if action == "kill-worker":  # its last reading, just before
                    read_memory(stack, series, born, elapsed)
                say(f"[{elapsed:6.1f}s]   fault: {action}")
                stack.act(action)
                if action == "kill-worker":
                    say(f"[{time.monotonic() - started:6.1f}s]   killed "
                        + (f"while it ran task {stack.killed_mid_task}" if stack.killed_mid_task
                           else "between tasks (none ran within 8 s)"))  # fmt: skip
            if elapsed >= next_reading:
                read_memory(stack, series, born, elapsed)
                next_reading += 10
            if elapsed >= next_line:
                requests, bad = load.counts()
                with (folder / "changes.jsonl").open() as handle:
                    checked = sum(1 for _ in handle)
                say(f"[{elapsed:6.1f}s] {phase}: {requests} requests ({bad} not clean), "
                    f"{checked} changes done")  # fmt: skip
                next_line += 10
            time.sleep(0.2)
        read_memory(stack, series, born, time.monotonic() - started)
        load.stop()
        say(f"Load over; waiting for the last checks (at most {bound:.0f} s)")
        changer.wait(timeout=bound + 60)
        changes_out.close()
        changes = [
            json.loads(line) for line in (folder / "changes.jsonl").read_text().split("\n") if line
        ]
        say(f"Waiting for the search queue to drain (at most {drain:.0f} s), then comparing "
            "the index with the database")  # fmt: skip
        index = json.loads(
            stack.run(
                [PYTHON, "-m", "benchmarks.soak_changes", "verify", f"--drain-seconds={drain}"]
            )
        )
    finally:
        stack.close()
    result = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "minutes": minutes,
        "clients": clients,
        "publications": publications,
        "bound_s": bound,
        "drain_s": drain,
        "phases": [phase.__dict__ for phase in phases],
        "actions": actions,
        "load": soak_report.aggregate(load.samples, phases),
        "changes": soak_report.summarise_changes(changes),
        "index": index,
        "worker_killed_mid_task": stack.killed_mid_task,
        "memory": memory_report(series, born),
        "logs": log_summary(folder),
        "log_folder": str(folder),
    }
    result["missed"] = soak_report.missed_targets(result)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak", description=__doc__)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--publications", type=int, default=300)
    parser.add_argument("--bound", type=float, default=120, help="seconds a change may take")
    parser.add_argument(
        "--drain-seconds", type=float, default=180, help="wait for the queue at the end"
    )
    parser.add_argument("--markdown", default=str(config.BASE_DIR / "benchmarks" / "SOAK.md"))
    args = parser.parse_args(argv)
    result = soak(args.minutes, args.clients, args.publications, args.bound, args.drain_seconds)
    out = config.BENCH_DIR / f"soak-{result['date'][:19].replace(':', '')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1))
    write_markdown(result, Path(args.markdown))
    load, changes = result["load"], result["changes"]
    errors = sum(load["errors"].values())
    say(f"Results: {out} and {args.markdown}")
    say(
        f"Soak {'PASSED' if not result['missed'] else 'FAILED'}: {load['requests']} requests, "
        f"{errors} not clean, {changes['applied']} changes checked, {len(changes['lost'])} lost, "
        f"{sum(len(result['index'][k]) for k in ('missing', 'extra', 'stale'))} index updates "
        f"lost" + (f"; missed: {'; '.join(result['missed'])}" if result["missed"] else "")
    )
    return 1 if result["missed"] else 0


if __name__ == "__main__":
    sys.exit(main())
