"""The embedded engine's work on other threads: tantivy and numpy let go of the GIL while
they search and multiply, so a search's facets and its words' ranking run beside the rest."""

from __future__ import annotations

import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor


class InThread:
    """`function(*args)` run on another thread; `result()` waits for it and returns its value
    or raises its exception. The threads are the process's own small pool, made on first use
    in each process (`_pool`): a pool made before a server forks its workers would hand them
    threads that no longer exist, and a thread started per call costs about a millisecond on
    a busy machine (two per hybrid search)."""

    def __init__(self, function, *args) -> None:
        self._future: Future | None = None
        self._value = None
        self._error: BaseException | None = None
        try:
            self._future = _pool().submit(function, *args)
        except RuntimeError:  # no thread to be had (a process at its limit): run it here
            try:
                self._value = function(*args)
            except BaseException as error:  # handed to the caller by result()
                self._error = error

    def result(self):
        if self._future is not None:
            return self._future.result()
        if self._error is not None:
            raise self._error
        return self._value


_POOL: tuple[int, ThreadPoolExecutor] | None = None
_POOL_LOCK = threading.Lock()
# A search uses two at once (the words' ranking, the facets); room for a few searches.
POOL_THREADS = 4


def _pool() -> ThreadPoolExecutor:
    """This process's pool (a forked child makes its own: its parent's threads are not in it)."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None or _POOL[0] != os.getpid():
            _POOL = (os.getpid(), ThreadPoolExecutor(POOL_THREADS, "embedded-search"))
        return _POOL[1]
