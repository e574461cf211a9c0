"""Running a task backend's due tasks in the test's own process and connection."""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_due_tasks(backend: str, worker_id: str) -> int:
    """Run every task of `backend` that is due, oldest first, as `tasks_worker --backend
    <backend>` would; returns how many ran. In-process: the worker's own loop would close the
    test's connection."""
    worker = Worker(
        queue_names=[backend],
        interval=0,
        batch=True,
        backend_name=backend,
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    ran = 0
    while True:
        task = DBTaskResult.objects.ready().filter(backend_name=backend).order_by("enqueued_at")
        task = task.first()
        if task is None:
            return ran
        task.claim(worker.worker_id)
        worker.run_task(task)
        ran += 1
