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
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import config, services, soak_report
from .soak_load import Load, graphql, register_persisted_query
from .soak_markdown import write_markdown

PYTHON = sys.executable
MANAGE = [PYTHON, str(config.BASE_DIR / "manage.py")]
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
WARMUP = 15  # seconds of load before the first memory reading (imports, caches filled)


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
        }
        self.gunicorn: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None

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


def memory_report(start: dict[str, int], end: dict[str, int], restarted: dict[str, int]) -> list:
    """Each watched process's RSS at its first reading and at the end; the task worker killed
    midway is compared from its replacement's first reading (`restarted`)."""
    rows = []
    for name, start_kb in {**start, **restarted}.items():
        if name not in end:
            continue  # the killed task worker: its end is the SIGKILL
        rows.append(
            {
                "name": name,
                "start_kb": start_kb,
                "end_kb": end[name],
                "growth": round(soak_report.rss_growth(start_kb, end[name]), 4),
            }
        )
    return rows


def soak(minutes: float, clients: int, publications: int, bound: float) -> dict:
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
        memory_start: dict[str, int] = {}
        memory_restarted: dict[str, int] = {}
        restarted_at: float | None = None
        pending = list(actions)
        next_line = 10.0
        current = ""
        while (elapsed := time.monotonic() - started) < total:
            phase = soak_report.phase_at(phases, elapsed)
            if phase != current:
                say(f"[{elapsed:6.1f}s] phase {phase}")
                current = phase
            while pending and pending[0][0] <= elapsed:
                action = pending.pop(0)[1]
                say(f"[{elapsed:6.1f}s]   fault: {action}")
                stack.act(action)
                if action == "start-worker":
                    restarted_at = elapsed  # its first reading once it has run a few tasks
            if restarted_at is not None and elapsed >= restarted_at + WARMUP:
                memory_restarted = {
                    name: rss_kb(pid)
                    for name, pid in stack.processes().items()
                    if name.startswith("task worker")
                }
                restarted_at = None
            if not memory_start and elapsed >= WARMUP:
                memory_start = {name: rss_kb(pid) for name, pid in stack.processes().items()}
            if elapsed >= next_line:
                requests, bad = load.counts()
                with (folder / "changes.jsonl").open() as handle:
                    checked = sum(1 for _ in handle)
                say(f"[{elapsed:6.1f}s] {phase}: {requests} requests ({bad} not clean), "
                    f"{checked} changes done")  # fmt: skip
                next_line += 10
            time.sleep(0.2)
        memory_end = {name: rss_kb(pid) for name, pid in stack.processes().items()}
        load.stop()
        say(f"Load over; waiting for the last checks (at most {bound:.0f} s)")
        changer.wait(timeout=bound + 60)
        changes_out.close()
        changes = [
            json.loads(line) for line in (folder / "changes.jsonl").read_text().split("\n") if line
        ]
        say("Waiting for the search queue to drain, then comparing the index with the database")
        index = json.loads(stack.run([PYTHON, "-m", "benchmarks.soak_changes", "verify"]))
    finally:
        stack.close()
    result = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "minutes": minutes,
        "clients": clients,
        "publications": publications,
        "bound_s": bound,
        "phases": [phase.__dict__ for phase in phases],
        "actions": actions,
        "load": soak_report.aggregate(load.samples, phases),
        "changes": soak_report.summarise_changes(changes),
        "index": index,
        "memory": memory_report(memory_start, memory_end, memory_restarted),
        "logs": str(folder),
    }
    result["missed"] = soak_report.missed_targets(result)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak", description=__doc__)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--publications", type=int, default=300)
    parser.add_argument("--bound", type=float, default=120, help="seconds a change may take")
    parser.add_argument("--markdown", default=str(config.BASE_DIR / "benchmarks" / "SOAK.md"))
    args = parser.parse_args(argv)
    result = soak(args.minutes, args.clients, args.publications, args.bound)
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
