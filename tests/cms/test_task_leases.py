"""Leases for tasks (cms/task_leases.py): a task whose worker died is run again by the next
worker once the lease has passed; a task whose worker still beats is left alone.

The first tests check the rule on rows; the last ones run real `manage.py tasks_worker`
processes on one database (a SQLite file, or a throwaway PostgreSQL database when the suite
runs on PostgreSQL), kill one with SIGKILL mid-task and watch the next one take the task.
"""

from __future__ import annotations

import datetime
import json
import os
import secrets
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from cms.task_leases import (
    Heartbeat,
    LeasedWorker,
    WorkerHeartbeat,
    reclaim_stuck,
    running_tasks,
)
from tests.cms.lease_tasks import wait_for_release

PROJECT_ROOT = Path(settings.BASE_DIR)
LEASE = 3.0  # the worker processes' TASK_LEASE_SECONDS
WAIT = 90.0  # the bound on any wait for a process (a loaded machine starts Django slowly)
POSTGRES = connection.vendor == "postgresql"


def running_task(worker_id: str, started: datetime.datetime) -> DBTaskResult:
    return DBTaskResult.objects.create(
        args_kwargs={"args": ["/nowhere"], "kwargs": {}},
        task_path=wait_for_release.module_path,
        backend_name="search",
        queue_name="search",
        run_after=get_date_max(),
        status="RUNNING",
        started_at=started,
        worker_ids=[worker_id],
    )


def beating(worker_id: str, at: datetime.datetime) -> WorkerHeartbeat:
    return WorkerHeartbeat.objects.create(
        worker_id=worker_id,
        backend="search",
        queues="search",
        host="here",
        pid=1,
        started_at=at,
        beat_at=at,
    )


def status(task: DBTaskResult) -> str:
    task.refresh_from_db()
    return task.status


# --- The rule ----------------------------------------------------------------------------------


@pytest.fixture
def lease(settings) -> datetime.timedelta:
    settings.TASK_LEASE_SECONDS = 60
    return datetime.timedelta(seconds=60)


@pytest.mark.django_db
def test_a_task_past_its_lease_without_heartbeat_is_put_back(lease, caplog):
    now = timezone.now()
    task = running_task("dead", now - lease * 2)
    beating("dead", now - lease * 2)

    assert reclaim_stuck(DBTaskResult.objects.all()) == 1

    assert status(task) == "READY"
    assert task.worker_ids == ["dead"]  # the history stays; the next claim appends its id
    [line] = [r.getMessage() for r in caplog.records if r.name == "cms.task_leases"]
    assert f"Reclaimed task {task.pk}" in line
    assert line.endswith("from worker dead: running 120 s, last beat 120 s ago (lease 60 s).")


@pytest.mark.django_db
def test_a_task_of_a_worker_that_never_beat_is_put_back(lease):
    # A plain db_worker writes no heartbeat; its row may also have been forgotten.
    task = running_task("unknown", timezone.now() - lease * 2)

    assert reclaim_stuck(DBTaskResult.objects.all()) == 1
    assert status(task) == "READY"


@pytest.mark.django_db
def test_a_task_whose_worker_beats_is_kept_however_old(lease):
    now = timezone.now()
    task = running_task("alive", now - datetime.timedelta(days=3))
    beating("alive", now)

    assert reclaim_stuck(DBTaskResult.objects.all()) == 0
    assert status(task) == "RUNNING"
    [running] = running_tasks(DBTaskResult.objects.all())
    assert not running.stuck
    assert running.describe() == "running 259200 s on worker alive (last beat 0 s ago)"


@pytest.mark.django_db
def test_a_task_younger_than_the_lease_is_kept_even_if_its_worker_is_silent(lease):
    now = timezone.now()
    task = running_task("silent", now - lease / 2)
    beating("silent", now - lease * 2)

    assert reclaim_stuck(DBTaskResult.objects.all()) == 0
    assert status(task) == "RUNNING"


@pytest.mark.django_db
def test_only_the_last_claimant_counts(lease):
    # Reclaimed once from "dead", claimed by "alive", which beats.
    now = timezone.now()
    task = running_task("dead", now - lease * 3)
    task.worker_ids = ["dead", "alive"]
    task.save()
    beating("alive", now)

    assert reclaim_stuck(DBTaskResult.objects.all()) == 0
    assert status(task) == "RUNNING"


@pytest.mark.django_db
def test_a_task_claimed_again_meanwhile_is_not_put_back(lease):
    # Another worker reclaimed and claimed it between the read and the update.
    task = running_task("dead", timezone.now() - lease * 2)
    [running] = running_tasks(DBTaskResult.objects.all())
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=timezone.now())

    from cms.task_leases import _put_back

    assert not _put_back(running.task)
    assert status(task) == "RUNNING"


@pytest.mark.django_db
def test_a_restarted_worker_takes_back_its_own_tasks_at_once(lease):
    # A restart under a fixed --worker-id: the new process would beat for the dead one.
    mine = running_task("fixed-id", timezone.now())
    other = running_task("other", timezone.now())
    worker = LeasedWorker(
        queue_names=["search"],
        interval=1,
        batch=True,
        backend_name="search",
        startup_delay=False,
        max_tasks=None,
        worker_id="fixed-id",
        excluded_queue_names=[],
    )

    worker.reclaim_own()

    assert (status(mine), status(other)) == ("READY", "RUNNING")


@pytest.mark.django_db
def test_a_beat_records_the_worker_and_forgets_long_dead_ones(lease):
    long_ago = timezone.now() - datetime.timedelta(days=2)
    beating("long-dead", long_ago)
    heartbeat = Heartbeat("w1", "search", "search", DBTaskResult.objects.all())

    heartbeat.beat()

    row = WorkerHeartbeat.objects.get()
    assert (row.worker_id, row.pid, row.queues) == ("w1", os.getpid(), "search")
    assert timezone.now() - row.beat_at < datetime.timedelta(seconds=5)


def test_a_failing_beat_is_logged_once_and_the_heartbeat_goes_on(settings, caplog):
    settings.TASK_LEASE_SECONDS = 0.25  # a beat every 0.05 s
    heartbeat = Heartbeat("w1", "search", "search", DBTaskResult.objects.none())
    outcomes = iter([DatabaseError("server closed the connection"), DatabaseError("again")])
    recovered = threading.Event()

    def beat() -> None:
        failure = next(outcomes, None)
        if failure is not None:
            raise failure
        recovered.set()

    heartbeat.beat = beat
    heartbeat._thread.start()
    assert recovered.wait(timeout=WAIT)
    heartbeat._stop.set()
    heartbeat._thread.join(timeout=WAIT)

    messages = [r.getMessage() for r in caplog.records if r.name == "cms.task_leases"]
    assert messages == ["Worker w1 cannot beat.", "Worker w1 beats again."]


# --- Real worker processes on one database -----------------------------------------------------


def pg_url(name: str) -> str:
    return urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl()


def pg_admin(sql: str) -> None:
    """Run one statement on the server's maintenance database (CREATE/DROP DATABASE)."""
    import psycopg

    with psycopg.connect(pg_url("postgres"), autocommit=True) as admin:
        admin.execute(sql)


def process_env(folder: Path, url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        DATABASE_URL=url,
        CMS_VAR_DIR=str(folder),
        TASK_LEASE_SECONDS=str(LEASE),
    )
    return env


@pytest.fixture(scope="module")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database with every migration applied, made once for the module: a SQLite file, or
    a throwaway PostgreSQL database (never the one pytest-django made for the suite)."""
    folder = tmp_path_factory.mktemp("leases-migrated")
    if POSTGRES:
        name = f"cms_lease_template_{secrets.token_hex(4)}"
        pg_admin(f'CREATE DATABASE "{name}"')
        url = pg_url(name)
    else:
        url = f"sqlite:///{folder / 'db.sqlite3'}"
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=PROJECT_ROOT,
            env=process_env(folder, url),
            capture_output=True,
            check=True,
            timeout=600,
        )
        yield url
    finally:
        if POSTGRES:
            pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Shared:
    """One database, copied from the migrated one, and the processes a test runs on it."""

    folder: Path
    url: str
    processes: list[subprocess.Popen] = field(default_factory=list)

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=PROJECT_ROOT,
            env=process_env(self.folder, self.url),
            capture_output=True,
            text=True,
            timeout=WAIT,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]

    def enqueue(self) -> str:
        code = (
            "from tests.cms.lease_tasks import wait_for_release; "
            f"print(wait_for_release.enqueue({str(self.folder)!r}).id)"
        )
        return self.manage("shell", "-c", code)

    def show(self, task_id: str) -> dict:
        code = (
            "import json; from django_tasks_db.models import DBTaskResult; "
            f"t = DBTaskResult.objects.get(pk={task_id!r}); "
            "print(json.dumps({'status': t.status, 'worker_ids': t.worker_ids}))"
        )
        return json.loads(self.manage("shell", "-c", code))

    def start_worker(self, worker_id: str) -> subprocess.Popen:
        log = (self.folder / f"{worker_id}.log").open("w")
        process = subprocess.Popen(
            [
                sys.executable,
                *("manage.py", "tasks_worker", "--backend", "search", "--queue-name", "search"),
                *("--interval", "0.2", "--no-reload", "--no-startup-delay", "-v", "1"),
                *("--worker-id", worker_id),
            ],
            cwd=PROJECT_ROOT,
            env=process_env(self.folder, self.url),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self.processes.append(process)
        return process

    def log(self, worker_id: str) -> str:
        return (self.folder / f"{worker_id}.log").read_text()

    def wait_for(self, name: str, worker: subprocess.Popen, worker_id: str) -> float:
        """Wait for the file `name` in the folder (or a line in the log); returns when."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            path = self.folder / name
            if path.exists():
                return path.stat().st_mtime
            if name in self.log(worker_id):
                return time.time()
            assert worker.poll() is None, f"{worker_id} exited:\n{self.log(worker_id)}"
            time.sleep(0.05)
        raise AssertionError(f"no {name} after {WAIT} s:\n{self.log(worker_id)}")

    def stop(self, worker: subprocess.Popen) -> None:
        """SIGTERM: the worker finishes its task (if any), then exits."""
        worker.terminate()
        worker.wait(timeout=WAIT)


@pytest.fixture
def shared(migrated_database: str, tmp_path: Path) -> Iterator[Shared]:
    if POSTGRES:
        name = f"cms_lease_{secrets.token_hex(4)}"
        template = urlsplit(migrated_database).path.lstrip("/")
        pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        url = pg_url(name)
    else:
        shutil.copy(urlsplit(migrated_database).path, tmp_path / "db.sqlite3")
        url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    world = Shared(folder=tmp_path, url=url)
    try:
        yield world
    finally:
        for process in world.processes:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=WAIT)
        if POSTGRES:
            pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_task_of_a_killed_worker_is_run_again_by_the_next_worker(shared: Shared):
    task_id = shared.enqueue()
    first = shared.start_worker("lease-a")
    started_first = shared.wait_for(f"started-{first.pid}", first, "lease-a")

    first.kill()  # SIGKILL mid-task: no handler, no finally, no last write
    first.wait(timeout=WAIT)
    assert shared.show(task_id) == {"status": "RUNNING", "worker_ids": ["lease-a"]}
    second = shared.start_worker("lease-b")
    started_second = shared.wait_for(f"started-{second.pid}", second, "lease-b")
    (shared.folder / "release").touch()
    shared.wait_for(f"done-{second.pid}", second, "lease-b")
    shared.stop(second)

    assert shared.show(task_id) == {"status": "SUCCESSFUL", "worker_ids": ["lease-a", "lease-b"]}
    assert started_second - started_first >= LEASE
    assert f"Reclaimed task {task_id} ({wait_for_release.module_path}) from worker lease-a" in (
        shared.log("lease-b")
    )


def test_a_task_whose_worker_still_beats_is_not_reclaimed(shared: Shared):
    task_id = shared.enqueue()
    first = shared.start_worker("lease-a")
    shared.wait_for(f"started-{first.pid}", first, "lease-a")
    second = shared.start_worker("lease-b")
    shared.wait_for("Starting worker worker_id=lease-b", second, "lease-b")

    # The second worker checks the lease at every beat (LEASE / 5) meanwhile.
    time.sleep(2 * LEASE + 1)
    (shared.folder / "release").touch()
    shared.wait_for(f"done-{first.pid}", first, "lease-a")
    shared.stop(first)
    shared.stop(second)

    assert sorted(path.name for path in shared.folder.glob("started-*")) == [f"started-{first.pid}"]
    assert shared.show(task_id) == {"status": "SUCCESSFUL", "worker_ids": ["lease-a"]}
    assert "Reclaimed" not in shared.log("lease-a") + shared.log("lease-b")
