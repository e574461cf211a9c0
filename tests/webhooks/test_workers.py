"""Real `tasks_worker --backend webhooks` processes on a shared database: a receiver that hangs
holds one worker only, and the other endpoints' deliveries go on through the other worker.

The database and the process helpers are the lease tests' (a SQLite file, or a throwaway
PostgreSQL database when the suite runs on PostgreSQL); the receivers are real servers on
127.0.0.1 in this process.
"""

from __future__ import annotations

import subprocess
import sys
import time

from tests.cms import test_task_leases as leases
from tests.cms.test_task_leases import PROJECT_ROOT, WAIT, Shared, process_env

migrated_database = leases.migrated_database
shared = leases.shared

HANG_SECONDS = 30  # the read timeout the workers run with: longer than the test waits

SET_UP = """
from cms.factories import make_home_page
from publications.factories import PublicationIndexPageFactory
from webhooks.factories import EndpointFactory
PublicationIndexPageFactory(parent=make_home_page())
EndpointFactory(name="hangs", url={hanging!r})
EndpointFactory(name="answers", url={answering!r})
print("ready")
"""

PUBLISH = """
from publications.factories import PublicationPageFactory
from publications.models import PublicationIndexPage
page = PublicationPageFactory(
    parent=PublicationIndexPage.objects.get(), live=False, title="Round {n}", slug="round-{n}"
)
page.save_revision().publish()
print(page.pk)
"""


def start_webhook_worker(world: Shared, worker_id: str) -> subprocess.Popen:
    log = (world.folder / f"{worker_id}.log").open("w")
    env = {**process_env(world.folder, world.url), "WEBHOOKS_READ_TIMEOUT_SECONDS": "30"}
    process = subprocess.Popen(
        [
            sys.executable,
            *("manage.py", "tasks_worker", "--backend", "webhooks", "--queue-name", "webhooks"),
            *("--interval", "0.2", "--no-reload", "--no-startup-delay", "--worker-id", worker_id),
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    world.processes.append(process)
    return process


def wait_for_requests(receiver, count: int, workers: list[subprocess.Popen]) -> float:
    started = time.monotonic()
    while len(receiver.requests) < count:
        assert time.monotonic() - started < WAIT, "the answering receiver never got it"
        assert all(worker.poll() is None for worker in workers)
        time.sleep(0.1)
    return time.monotonic() - started


def test_a_hanging_receiver_holds_one_worker_and_the_others_go_on(
    shared: Shared, receiver, hanging_server
):
    shared.manage("shell", "-c", SET_UP.format(hanging=hanging_server.url, answering=receiver.url))
    shared.manage("shell", "-c", PUBLISH.format(n=1))  # a delivery to each, hanging one first
    workers = [start_webhook_worker(shared, f"webhooks-{n}") for n in "ab"]

    wait_for_requests(receiver, 1, workers)
    assert hanging_server.accepted == 1  # one worker is held by the hanging receiver

    # While it hangs, the next publish reaches the answering receiver through the other one.
    shared.manage("shell", "-c", PUBLISH.format(n=2))
    took = wait_for_requests(receiver, 2, workers)
    assert took < HANG_SECONDS / 2
    assert hanging_server.accepted == 1  # its next delivery waits behind the first
