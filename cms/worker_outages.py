"""A task worker that outlives a database restart.

django-tasks-db's worker loop lets any database error but "database is locked" end the
process: a PostgreSQL restart or failover would stop index updates until someone restarts the
worker. Here the worker waits for the database instead (one log line when it loses it, one
when it is back), puts back to READY the task the outage interrupted, and carries on.
"""

from __future__ import annotations

import logging
import time

from django.db import InterfaceError, OperationalError, connections
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("django_tasks_db")

DATABASE_ERRORS = (OperationalError, InterfaceError)
# Waits between attempts to reach the database: doubling from the first, capped.
FIRST_WAIT_SECONDS = 0.5
LONGEST_WAIT_SECONDS = 15.0


def _database_answers() -> bool:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DATABASE_ERRORS:
        connections.close_all()  # a half-open connection must not be reused
        return False
    return True


class SurvivesDatabaseOutages:
    """Mixin for django-tasks-db's Worker (before it in the bases): `run` waits out a
    database outage and goes on; `run_task` remembers the task an outage interrupted."""

    interrupted: DBTaskResult | None = None

    def run_task(self, db_task_result: DBTaskResult) -> None:
        try:
            super().run_task(db_task_result)  # type: ignore[misc]
        except DATABASE_ERRORS:
            # The task failed and recording it failed too: the row is still RUNNING.
            self.interrupted = db_task_result
            raise

    def run(self) -> None:
        while True:
            try:
                super().run()  # type: ignore[misc]
                return
            except DATABASE_ERRORS as error:
                if not self.running:  # type: ignore[attr-defined]
                    raise
                self.wait_for_database(error)
                self.put_back_interrupted()

    def wait_for_database(self, error: BaseException) -> None:
        """Back off until the database answers; one line now and one when it is back."""
        logger.warning(
            "Task worker %s lost the database (%s: %s); waiting for it.",
            self.worker_id,  # type: ignore[attr-defined]
            type(error).__name__,
            str(error).strip().splitlines()[0] if str(error).strip() else "",
        )
        connections.close_all()
        started = time.monotonic()
        wait = FIRST_WAIT_SECONDS
        while not _database_answers():
            time.sleep(wait)  # a SIGTERM here ends the worker (db_worker's handler exits)
            wait = min(wait * 2, LONGEST_WAIT_SECONDS)
        logger.warning(
            "Task worker %s: the database answers again after %.0f s; carrying on.",
            self.worker_id,  # type: ignore[attr-defined]
            time.monotonic() - started,
        )

    def put_back_interrupted(self) -> None:
        """READY again the task the outage cut short, if it is still RUNNING as ours: it runs
        again from the start (tasks are idempotent)."""
        task, self.interrupted = self.interrupted, None
        if task is None:
            return
        # The same claim (its start time), not one another worker has made since.
        put_back = DBTaskResult.objects.filter(
            pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at
        ).update(status=TaskResultStatus.READY)
        if put_back:
            logger.warning(
                "Task %s (%s) interrupted by the outage: queued again.", task.pk, task.task_path
            )


class OutageTolerantWorker(SurvivesDatabaseOutages, Worker):
    """django-tasks-db's worker, surviving database outages."""
