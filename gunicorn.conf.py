"""gunicorn's settings for the CMS (`gunicorn cms.wsgi:application` reads this file from the
working directory). Every value can be changed from the environment; README, "Operations".

Sync workers: a request holds its worker until answered, so WEB_WORKERS bounds concurrency
(2 x cores + 1 by default, gunicorn's own advice). A GraphQL request is stopped by its own
deadline (GRAPHQL_LIMITS["TIMEOUT_SECONDS"], 5 s) well before the worker timeout, which only
catches a worker stuck outside Python's reach. `kill -HUP <master pid>` reloads: new workers
start with the new code and settings, old ones finish their requests (graceful_timeout).
"""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

bind = os.environ.get("WEB_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
worker_class = "sync"
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("WEB_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("WEB_KEEPALIVE", "5"))
# Restart each worker after this many requests (jittered so they never all restart at
# once): a slow leak in a dependency cannot grow without end. 0: never.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# The CMS logs one JSON line per request itself (cms/logs.py): no access log here.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("WEB_LOG_LEVEL", "info")
# No database work at import time (cms/settings/database.py): never preload the app.
preload_app = False


def _metrics_dir() -> Path | None:
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    return Path(folder) if folder else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def on_starting(server) -> None:
    """Prometheus' multiprocess folder: created, and emptied of the files of processes that
    are gone (the last run's workers). A running task worker sharing it keeps its files."""
    folder = _metrics_dir()
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    for path in folder.glob("*.db"):
        pid = path.stem.rsplit("_", 1)[-1]
        if not (pid.isdigit() and _alive(int(pid))):
            path.unlink(missing_ok=True)


def post_worker_init(worker) -> None:
    """The search embedding model, loaded in the background as the worker starts (when
    SEARCH_EMBEDDER_PRELOAD is on): the first hybrid search does not wait ~5 s for it."""
    from search.embeddings import preload_in_background

    preload_in_background()


def child_exit(server, worker) -> None:
    """A worker's live gauges go with it (its counters stay: they are part of the totals)."""
    if _metrics_dir() is None:
        return
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
