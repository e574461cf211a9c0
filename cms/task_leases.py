"""Leases for django-tasks-db's tasks: workers beat, and a task whose worker has gone silent
for longer than TASK_LEASE_SECONDS is put back to READY for the next worker.

django-tasks-db marks a claimed task RUNNING and has no way back from a worker that died
(`kill -9`, the OOM killer). `manage.py tasks_worker` runs its worker with `LeasedWorker`.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import threading
from dataclasses import dataclass

from django.conf import settings
from django.db import close_old_connections, connections, models
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

# A dead worker's row only helps `search_status` name it; a day is plenty.
FORGET_WORKERS_AFTER = datetime.timedelta(days=1)


class WorkerHeartbeat(models.Model):
    """A task worker's last sign of life, written every few seconds while it runs."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    backend = models.CharField(max_length=32)
    queues = models.CharField(max_length=255)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    class Meta:
        app_label = "cms"

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}, pid {self.pid})"


def lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.TASK_LEASE_SECONDS)


def beat_interval() -> float:
    """Seconds between beats: several per lease, so one slow beat never expires a lease."""
    return min(10.0, settings.TASK_LEASE_SECONDS / 5)


@dataclass(frozen=True)
class RunningTask:
    """A RUNNING task with its worker's last beat; `stuck` when its lease has expired."""

    task: DBTaskResult
    worker_id: str
    age: datetime.timedelta
    silent_for: datetime.timedelta | None  # since the worker's last beat; None: no beat known
    stuck: bool

    @property
    def beat(self) -> str:
        if self.silent_for is None:
            return "no heartbeat"
        return f"last beat {self.silent_for.total_seconds():.0f} s ago"

    def describe(self) -> str:
        line = f"running {self.age.total_seconds():.0f} s on worker {self.worker_id} ({self.beat})"
        return f"{line}: STUCK, its worker stopped beating" if self.stuck else line


def running_tasks(
    tasks: QuerySet[DBTaskResult], now: datetime.datetime | None = None
) -> list[RunningTask]:
    """The RUNNING tasks among `tasks`, oldest first, each with its lease's state.

    A task is stuck when it has run longer than the lease and its worker (the last to claim
    it) has not beaten for as long, or never did (a plain `db_worker`, a forgotten row).
    """
    now = now or timezone.now()
    limit = lease()
    running = list(tasks.filter(status=TaskResultStatus.RUNNING).order_by("started_at"))
    owners = {task.worker_ids[-1] for task in running if task.worker_ids}
    beats = dict(WorkerHeartbeat.objects.filter(pk__in=owners).values_list("worker_id", "beat_at"))
    result = []
    for task in running:
        owner = task.worker_ids[-1] if task.worker_ids else ""
        age = now - (task.started_at or now)
        silent_for = now - beats[owner] if owner in beats else None
        stuck = age > limit and (silent_for is None or silent_for > limit)
        result.append(RunningTask(task, owner, age, silent_for, stuck))
    return result


def _put_back(task: DBTaskResult) -> bool:
    """READY again, unless another worker has meanwhile reclaimed (and claimed) it."""
    return bool(
        DBTaskResult.objects.filter(
            pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at
        ).update(status=TaskResultStatus.READY)
    )


def reclaim_stuck(tasks: QuerySet[DBTaskResult]) -> int:
    """Put every stuck task among `tasks` back to READY, one log line each; returns how many.

    The task runs again from the start, so tasks must be idempotent (at least once).
    """
    reclaimed = 0
    for running in running_tasks(tasks):
        if running.stuck and _put_back(running.task):
            reclaimed += 1
            logger.warning(
                "Reclaimed task %s (%s) from worker %s: running %.0f s, %s (lease %g s).",
                running.task.pk,
                running.task.task_path,
                running.worker_id,
                running.age.total_seconds(),
                running.beat,
                settings.TASK_LEASE_SECONDS,
            )
    return reclaimed


class Heartbeat:
    """One worker's heartbeat row, written from a thread; each beat also reclaims stuck tasks
    of the worker's queues, so they are back in line even while this worker is busy."""

    def __init__(self, worker_id: str, backend: str, queues: str, scope: QuerySet) -> None:
        self.worker_id = worker_id
        self.backend = backend
        self.queues = queues
        self.scope = scope
        self.started_at = timezone.now()
        self.failing = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="task-heartbeat", daemon=True)

    def start(self) -> None:
        self.started_at = timezone.now()
        self._write(self.started_at)
        self._thread.start()

    def _write(self, now: datetime.datetime) -> None:
        WorkerHeartbeat.objects.update_or_create(
            pk=self.worker_id,
            defaults={
                "backend": self.backend,
                "queues": self.queues[:255],
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": self.started_at,
                "beat_at": now,
            },
        )

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=beat_interval() + 30)
        # A clean exit leaves no RUNNING task of this worker (db_worker finishes or fails it).
        WorkerHeartbeat.objects.filter(pk=self.worker_id).delete()

    def beat(self) -> None:
        now = timezone.now()
        if not WorkerHeartbeat.objects.filter(pk=self.worker_id).update(beat_at=now):
            self._write(now)  # forgotten after a long silence (see FORGET_WORKERS_AFTER)
        WorkerHeartbeat.objects.filter(beat_at__lt=now - FORGET_WORKERS_AFTER).delete()
        reclaim_stuck(self.scope)

    def _loop(self) -> None:
        try:
            while not self._stop.wait(beat_interval()):
                close_old_connections()
                try:
                    self.beat()
                except Exception:
                    # The thread must outlive any failure (a database outage, say): a worker
                    # that stops beating loses its task to another. One line when the failure
                    # starts, one when it ends.
                    if not self.failing:
                        logger.warning("Worker %s cannot beat.", self.worker_id, exc_info=True)
                    self.failing = True
                else:
                    if self.failing:
                        logger.warning("Worker %s beats again.", self.worker_id)
                    self.failing = False
        finally:
            connections.close_all()  # this thread's own connections


class LeasedWorker(Worker):
    """django-tasks-db's worker with a heartbeat, reclaiming stuck tasks of its queues."""

    def scope(self) -> QuerySet[DBTaskResult]:
        """The tasks this worker may run, whatever their status (as `Worker.run` filters)."""
        tasks = DBTaskResult.objects.filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        return tasks

    def reclaim_own(self) -> None:
        """Put back the tasks left RUNNING under this worker id by an earlier process.

        Worker ids are unique per live worker, so they can only be a dead predecessor's (a
        restart under a fixed `--worker-id`), and its beats would now be ours.
        """
        for running in running_tasks(self.scope()):
            if running.worker_id == self.worker_id and _put_back(running.task):
                logger.warning(
                    "Reclaimed task %s (%s) left running by an earlier worker %s.",
                    running.task.pk,
                    running.task.task_path,
                    self.worker_id,
                )

    def run(self) -> None:
        self.reclaim_own()
        heartbeat = Heartbeat(
            self.worker_id, self.backend_name, ",".join(self.queue_names), self.scope()
        )
        heartbeat.start()
        reclaim_stuck(self.scope())
        try:
            super().run()
        finally:
            heartbeat.stop()
