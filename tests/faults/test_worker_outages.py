"""The task an outage cut short goes back to READY once the database answers (the restart
itself is tested with real processes in test_postgres_restart.py)."""

from __future__ import annotations

import pytest
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cms.worker_outages import OutageTolerantWorker
from search.tasks import sync_page

pytestmark = pytest.mark.django_db


def worker(worker_id: str = "worker-a") -> OutageTolerantWorker:
    return OutageTolerantWorker(
        queue_names=["search"],
        interval=0,
        batch=True,
        backend_name="search",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def claimed(worker_id: str) -> DBTaskResult:
    row = DBTaskResult.objects.get(pk=sync_page.enqueue(999999).id)
    row.claim(worker_id)
    return row


def test_the_interrupted_task_is_queued_again() -> None:
    running = worker()
    task = claimed("worker-a")
    running.interrupted = task

    running.put_back_interrupted()

    assert DBTaskResult.objects.get(pk=task.pk).status == TaskResultStatus.READY
    assert running.interrupted is None


def test_a_task_claimed_again_meanwhile_is_left_to_its_new_worker() -> None:
    running = worker()
    task = claimed("worker-a")
    running.interrupted = task
    # Another worker's lease (or a restart) took it over and claimed it anew.
    DBTaskResult.objects.filter(pk=task.pk).update(status=TaskResultStatus.READY)
    DBTaskResult.objects.get(pk=task.pk).claim("worker-b")

    running.put_back_interrupted()

    assert DBTaskResult.objects.get(pk=task.pk).status == TaskResultStatus.RUNNING
