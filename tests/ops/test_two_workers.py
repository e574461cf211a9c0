"""Search at scale: two real `tasks_worker` processes on one queue share the index updates of
many pages, publish after publish, and never sync a page in both at once; none is lost.

The database is a SQLite file, or a throwaway PostgreSQL database when the suite runs on
PostgreSQL (the helpers of tests/cms/test_task_leases.py). What each worker did is read back
from django-tasks-db's own rows: which worker ran each update, when it started and finished,
and what it returned ("indexed", or "superseded" when a later update of the page was due).
The index is the embedded one, in a folder both workers share.

On PostgreSQL a claim is `SELECT ... FOR UPDATE SKIP LOCKED` (django-tasks-db's `get_locked`):
the last test holds one worker's claim open and shows another worker's claim passes it by.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from itertools import combinations

import pytest
from django.db import connection, connections, transaction
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from search import indexing
from tests.cms import test_task_leases as leases
from tests.cms.test_task_leases import WAIT, Shared

# The fixtures of the lease tests: one migrated database per module, a copy per test.
migrated_database = leases.migrated_database
shared = leases.shared

PAGES = 40
ROUNDS = 2  # publishes of every page; the second comes while the workers run

MAKE_PAGES = f"""
import json
from cms.factories import make_home_page
from publications.factories import PublicationIndexPageFactory, PublicationPageFactory
index = PublicationIndexPageFactory(parent=make_home_page())
pages = [PublicationPageFactory(parent=index, title=f"Two workers {{n}}") for n in range({PAGES})]
print(json.dumps([page.pk for page in pages]))
"""

PUBLISH_ALL = """
from publications.models import PublicationPage
for page in PublicationPage.objects.order_by("pk"):
    page.title = f"{page.title.split(' (')[0]} (round {ROUND})"
    page.save_revision().publish()
print("published")
"""

QUEUE_STATE = """
import json
from django_tasks_db.models import DBTaskResult
from search import indexing
rows = DBTaskResult.objects.filter(task_path=indexing.task_path())
print(json.dumps([
    {"page": r.args_kwargs["args"][0], "status": r.status, "workers": r.worker_ids,
     "started": r.started_at.timestamp() if r.started_at else None,
     "finished": r.finished_at.timestamp() if r.finished_at else None,
     "result": r.return_value, "lock_busy": "LockBusy" in r.traceback}
    for r in rows
]))
"""

RECONCILE = """
import json
from search import indexing
print(json.dumps(indexing.reconcile(dry_run=True)))
"""


def updates(world: Shared) -> list[dict]:
    return json.loads(world.manage("shell", "-c", QUEUE_STATE))


def wait_until_drained(world: Shared, workers: dict) -> list[dict]:
    """Every index update finished (retries included: a busy index writer is retried)."""
    deadline = time.monotonic() + 8 * WAIT
    while time.monotonic() < deadline:
        rows = updates(world)
        if rows and all(row["status"] in ("SUCCESSFUL", "FAILED") for row in rows):
            return rows
        for worker_id, process in workers.items():
            assert process.poll() is None, f"{worker_id} exited:\n{world.log(worker_id)}"
        time.sleep(1)
    raise AssertionError(f"updates still waiting after {8 * WAIT} s: {rows}")


def test_two_workers_share_the_queue_without_syncing_a_page_twice_at_once(shared: Shared):
    page_ids = json.loads(shared.manage("shell", "-c", MAKE_PAGES))
    assert len(page_ids) == PAGES
    shared.manage("shell", "-c", PUBLISH_ALL.replace("{ROUND}", "1"))

    workers = {name: shared.start_worker(name) for name in ("two-a", "two-b")}
    for round_ in range(2, ROUNDS + 1):  # publishes racing the workers
        shared.manage("shell", "-c", PUBLISH_ALL.replace("{ROUND}", str(round_)))
    # A failed run queues its retry before it is marked FAILED: drained means no retry waits.
    rows = wait_until_drained(shared, workers)
    for process in workers.values():
        shared.stop(process)

    # Both workers took part, and every task was claimed by one worker only, once.
    ran_by = {row["workers"][0] for row in rows if row["status"] == "SUCCESSFUL"}
    assert ran_by == {"two-a", "two-b"}, rows
    assert all(len(row["workers"]) == 1 for row in rows), rows
    assert {row["page"] for row in rows} == set(page_ids)
    # The embedded index has one writer at a time: a worker that finds the other writing
    # fails and retries later (docs/deploy.md). That is the only failure allowed.
    assert all(row["lock_busy"] for row in rows if row["status"] == "FAILED"), rows

    # No page synced by both workers at once: the updates of a page that did sync (returned
    # "indexed") never overlap in time when run by different workers.
    syncs: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        if row["status"] == "SUCCESSFUL" and row["result"] == "indexed":
            syncs[row["page"]].append(row)
    overlaps = [
        (page, one, other)
        for page, runs in syncs.items()
        for one, other in combinations(runs, 2)
        if one["workers"] != other["workers"]
        and one["started"] < other["finished"]
        and other["started"] < one["finished"]
    ]
    assert overlaps == [], f"{len(overlaps)} pages synced by both workers at once: {overlaps[:3]}"

    # None lost, none stale: the index holds every page as last published.
    assert json.loads(shared.manage("shell", "-c", RECONCILE)) == {
        "missing": [],
        "extra": [],
        "stale": [],
    }
    assert set(syncs) == set(page_ids)
    summary = {
        "updates": len(rows),
        "indexed": sum(len(runs) for runs in syncs.values()),
        "superseded": sum(row["result"] == "superseded" for row in rows),
        "failed": sum(row["status"] == "FAILED" for row in rows),
        "by_worker": {w: sum(row["workers"] == [w] for row in rows) for w in sorted(ran_by)},
    }
    print(json.dumps(summary))


def claim_in_another_connection() -> tuple[str | None, str | None]:
    """What a second worker's claim finds (its id and its SQL), on a connection of its own
    (a thread's), with a lock timeout so that a claim that waits fails instead of hanging."""
    found: dict[str, str | None] = {}

    def claim() -> None:
        try:
            with exclusive_transaction(), connection.execute_wrapper(record):
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '5s'")
                task = indexing.pending_tasks().ready().get_locked()
                found["id"] = str(task.pk) if task else None
        finally:
            connections.close_all()  # this thread's connection: none left open at teardown

    def record(execute, sql, params, many, context):
        if "SKIP LOCKED" in sql:
            found["sql"] = sql
        return execute(sql, params, many, context)

    thread = threading.Thread(target=claim)
    thread.start()
    thread.join(timeout=30)
    return found.get("id"), found.get("sql")


@pytest.mark.skipif(
    not leases.POSTGRES, reason="PostgreSQL's SKIP LOCKED (SQLite serialises claims instead)"
)
def test_on_postgresql_a_claim_skips_the_task_another_worker_holds(transactional_db):
    indexing.queue_pages([1, 2])
    tasks = indexing.pending_tasks().ready()

    with transaction.atomic():
        held = tasks.get_locked()  # the first worker's claim, its transaction still open
        other, sql = claim_in_another_connection()
        assert other is not None and other != str(held.pk)
        assert sql is not None and "FOR UPDATE SKIP LOCKED" in sql

        with transaction.atomic():  # the second task locked too: nothing left to claim
            tasks.exclude(pk=held.pk).get_locked()
            assert claim_in_another_connection()[0] is None

    assert DBTaskResult.objects.count() == 2
