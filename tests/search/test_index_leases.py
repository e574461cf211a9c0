"""Index updates under task leases (cms/task_leases.py): an update whose worker died is run
again and the index follows the page; reruns still coalesce; search_status shows the stuck."""

from __future__ import annotations

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cms.task_leases import WorkerHeartbeat, reclaim_stuck
from search import indexing
from search.engines import get_engine

LEASE = datetime.timedelta(seconds=60)


@pytest.fixture(autouse=True)
def lease(settings) -> None:
    settings.TASK_LEASE_SECONDS = LEASE.total_seconds()


@pytest.fixture
def catalogue(indexed, worker) -> dict:
    """The indexed catalogue, with its own pending updates (a translation's publish) done."""
    worker()
    return indexed


def updates_of(page_id: int) -> list[DBTaskResult]:
    return sorted(
        (
            task
            for task in DBTaskResult.objects.filter(task_path=indexing.task_path())
            if task.args_kwargs["args"][:1] == [page_id]
        ),
        key=lambda task: task.enqueued_at,
    )


def claimed_by_dead_worker(task: DBTaskResult, ago: datetime.timedelta = LEASE * 2) -> None:
    """As if a worker claimed `task` `ago` and was killed (no heartbeat since)."""
    DBTaskResult.objects.filter(pk=task.pk).update(
        status="RUNNING", started_at=timezone.now() - ago, worker_ids=["dead-worker"]
    )


def test_an_unpublish_whose_worker_died_reaches_the_index_after_the_lease(catalogue, worker):
    declaration = catalogue["declaration"]
    declaration.unpublish()
    [update] = updates_of(declaration.pk)
    claimed_by_dead_worker(update)

    assert worker() == 0  # RUNNING: no worker takes it, the index keeps the declaration
    assert declaration.pk in get_engine().versions()
    assert reclaim_stuck(DBTaskResult.objects.all()) == 1
    assert worker() == 1

    assert declaration.pk not in get_engine().versions()
    update.refresh_from_db()
    assert (update.status, update.return_value) == ("SUCCESSFUL", "removed")
    assert update.worker_ids == ["dead-worker", "test-worker"]


def test_a_reclaimed_update_still_coalesces_with_a_later_one(catalogue, worker):
    declaration = catalogue["declaration"]
    declaration.unpublish()
    [first] = updates_of(declaration.pk)
    claimed_by_dead_worker(first)
    declaration.save_revision().publish()  # a later update of the same page, waiting
    reclaim_stuck(DBTaskResult.objects.all())

    assert worker() == 2

    first, later = updates_of(declaration.pk)
    assert (first.return_value, later.return_value) == ("superseded", "indexed")
    assert declaration.pk in get_engine().versions()


def test_status_lists_running_updates_and_flags_the_stuck(catalogue):
    stuck_page, busy_page = catalogue["declaration"], catalogue["press"]
    stuck_page.unpublish()
    busy_page.unpublish()
    [stuck], [busy] = updates_of(stuck_page.pk), updates_of(busy_page.pk)
    claimed_by_dead_worker(stuck, ago=LEASE * 3)
    # An older update whose worker still beats (a large PDF, say) is not stuck.
    claimed_by_dead_worker(busy, ago=LEASE * 10)
    DBTaskResult.objects.filter(pk=busy.pk).update(worker_ids=["busy-worker"])
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="busy-worker",
        backend="search",
        queues="search",
        host="here",
        pid=1,
        started_at=now - LEASE * 20,
        beat_at=now,
    )
    out = StringIO()

    call_command("search_status", stdout=out)

    lines = out.getvalue().splitlines()
    start = lines.index("Running index updates: 2, 1 stuck")
    busy_line, stuck_line = lines[start + 1 : start + 3]
    # Seconds are whole; a slow machine may add one between the rows' writes and the command.
    assert re.fullmatch(
        rf"  page {busy_page.pk}: running 60[01] s on worker busy-worker \(last beat [01] s ago\)",
        busy_line,
    )
    assert re.fullmatch(
        rf"  page {stuck_page.pk}: running 18[01] s on worker dead-worker \(no heartbeat\): "
        "STUCK, its worker stopped beating",
        stuck_line,
    )
