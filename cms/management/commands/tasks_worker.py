"""manage.py tasks_worker: django-tasks-db's `db_worker`, same options, with a lease, surviving
database outages.

The worker beats (cms/task_leases.py) and puts back to READY the tasks of its queues whose
worker stopped beating longer than TASK_LEASE_SECONDS ago; it waits out a database outage and
carries on (cms/worker_outages.py).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from cms.task_leases import LeasedWorker
from cms.worker_outages import SurvivesDatabaseOutages

logger = logging.getLogger("django_tasks_db")


# glibc's mallopt() parameter for the number of malloc arenas.
M_ARENA_MAX = -8
WORKER_MALLOC_ARENAS = 2


def cap_malloc_arenas(arenas: int = WORKER_MALLOC_ARENAS) -> bool:
    """Cap glibc's malloc arenas, as MALLOC_ARENA_MAX would. The search index's writer runs
    threads of its own for each update; with an arena per thread the worker's memory grew
    by 30% over the soak run and was never given back (+0.1% capped). False off glibc."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        return bool(ctypes.CDLL(name).mallopt(M_ARENA_MAX, arenas))
    except (OSError, AttributeError):
        return False


class TasksWorker(SurvivesDatabaseOutages, LeasedWorker):
    """Leased, and waiting out database outages: after one, `LeasedWorker.run` starts again
    (its own tasks reclaimed, a new heartbeat)."""


class Command(db_worker.Command):
    help = (
        "Run a database task worker that beats, reclaims the tasks of dead workers (lease) "
        "and waits out database outages."
    )

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options,
    ) -> None:
        # db_worker's handle(), with TasksWorker in place of its Worker.
        cap_malloc_arenas()
        self.configure_logging(verbosity)
        if reload and batch:
            logger.warning("--reload and --batch cannot be specified together: no autoreload.")
            reload = False
        queue_names = queue_name.split(",")
        excluded_queue_names = exclude_queues.split(",") if exclude_queues else []
        if excluded_queue_names and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = TasksWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded_queue_names,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only in the reloader's child, which runs tasks
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
