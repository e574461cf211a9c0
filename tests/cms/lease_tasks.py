"""A task that blocks until the test lets it finish, for tests/cms/test_task_leases.py.

It marks its start and end with files named after the worker's pid, in a folder the test
watches, and finishes once the test creates `release` there.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from django_tasks import task

RELEASE_TIMEOUT = 120


@task(backend="search", queue_name="search")
def wait_for_release(folder: str) -> str:
    here = Path(folder)
    (here / f"started-{os.getpid()}").touch()
    deadline = time.monotonic() + RELEASE_TIMEOUT
    while not (here / "release").exists():
        if time.monotonic() > deadline:
            raise TimeoutError("the test never released the task")
        time.sleep(0.05)
    (here / f"done-{os.getpid()}").touch()
    return "released"
