"""The embedded engine's work on other threads (search/engines/embedded/threads.py): values
and errors come back to the caller, and a forked process (a gunicorn worker) gets a pool of
its own, whose threads exist, not its parent's."""

from __future__ import annotations

import multiprocessing
import threading

import pytest

from search.engines.embedded import threads
from search.engines.embedded.threads import InThread


def test_the_value_or_the_error_comes_back():
    assert InThread(lambda a, b: a + b, 2, 3).result() == 5

    def fail():
        raise ValueError("damaged index")

    with pytest.raises(ValueError, match="damaged index"):
        InThread(fail).result()


def test_the_work_runs_on_another_thread():
    assert InThread(threading.get_ident).result() != threading.get_ident()


def _in_child(queue) -> None:
    queue.put((threads._pool() is not PARENT_POOL[0], InThread(lambda: 42).result()))


PARENT_POOL: list = []


def test_a_forked_process_makes_its_own_pool():
    PARENT_POOL[:] = [threads._pool()]
    InThread(lambda: None).result()  # the parent's pool has a live thread before the fork
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_in_child, args=(queue,))
    child.start()
    try:
        assert queue.get(timeout=30) == (True, 42)
    finally:
        child.join(timeout=30)
    assert child.exitcode == 0
    assert threads._pool() is PARENT_POOL[0]  # the parent keeps its own
