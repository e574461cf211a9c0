"""Keeping the public search index in step with the database, whatever the engine: one task
per changed page, recorded in the change's transaction, retried with capped backoff, repeated
updates of a page coalesced; full rebuilds and reconciliation (README, "Keeping the index
current")."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max
from wagtail.models import Page

from cms.metrics import TASK_RETRIES
from cms.signals import search_index_changed

from .documents import SEARCHABLE_TYPES, documents_of, iter_documents
from .engines import get_engine
from .engines.base import RebuildResult
from .vectors import UsedKeys, attach_vectors, prune_cache, with_vectors

logger = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 5
MAX_RETRY_SECONDS = 600


def retry_delay(attempt: int) -> datetime.timedelta:
    """Seconds before attempt `attempt + 1`: 5, 10, 20, ... up to 10 minutes."""
    return datetime.timedelta(seconds=min(FIRST_RETRY_SECONDS * 2**attempt, MAX_RETRY_SECONDS))


def _task():
    from .tasks import sync_page

    return sync_page


def task_path() -> str:
    return _task().module_path


def pending_tasks():
    """The index updates not yet run (due now or later)."""
    return DBTaskResult.objects.filter(task_path=_task().module_path, status="READY")


def due_by(moment: datetime.datetime) -> Q:
    """Tasks due by `moment`; django-tasks-db stores "as soon as possible" as the far future."""
    return Q(run_after__lte=moment) | Q(run_after=get_date_max())


def queue_pages(page_ids: Iterable[int]) -> int:
    """Record an index update for each page, in the caller's transaction; returns how many."""
    ids = sorted(set(page_ids))
    task = _task()
    for page_id in ids:
        task.enqueue(page_id)
    return len(ids)


def queue_at(page_id: int, moment: datetime.datetime) -> None:
    """Record an index update of a page to run at `moment` (when it expires, say)."""
    _task().using(run_after=moment).enqueue(page_id)


def superseded(page_id: int, enqueued_at: datetime.datetime | None) -> bool:
    """Whether a later update of the page is waiting and due: it will do this one's work.

    Repeated changes of one page coalesce here, when the tasks run, not when they are
    queued: a task seen waiting at queue time may already be running with the data as it was
    before the caller's transaction commits.
    """
    if enqueued_at is None:
        return False
    return (
        pending_tasks()
        .filter(due_by(timezone.now()), args_kwargs__args__0=page_id, enqueued_at__gt=enqueued_at)
        .exists()
    )


def queue_subtree(page: Page) -> int:
    """Queue every searchable page at or under `page` (a move, a privacy change)."""
    ids = _searchable(
        Page.objects.filter(Q(pk=page.pk) | Q(path__startswith=page.path, depth__gt=page.depth))
    )
    return queue_pages(ids.values_list("pk", flat=True))


def _searchable(pages):
    return pages.filter(
        content_type__model__in=[m._meta.model_name for m in SEARCHABLE_TYPES.values()]
    )


def sync_pages(page_ids: Iterable[int]) -> tuple[int, int]:
    """Index the pages that belong in the index, delete the others: (indexed, removed)."""
    ids = list(page_ids)
    # A page of another type (a home page queued by hand) has no document: nothing to index.
    documents = documents_of(list(_searchable(Page.objects.filter(pk__in=ids)).specific()))
    indexed = {document.id for document in documents}
    removed = [page_id for page_id in ids if page_id not in indexed]
    # Here, in the worker: a publish never waits for the model.
    attach_vectors(documents)
    engine = get_engine()
    engine.index_documents(documents)
    engine.delete_documents(removed)
    # Answers cached between the publish and this update are stale now (cms drops them).
    search_index_changed.send(sender=type(engine))
    return len(documents), len(removed)


def run_sync(page_id: int, attempt: int, enqueued_at: datetime.datetime | None = None) -> str:
    """The task's body: sync one page, or queue the next attempt and re-raise."""
    if superseded(page_id, enqueued_at):
        return "superseded"
    try:
        indexed, _removed = sync_pages([page_id])
    except Exception:
        delay = retry_delay(attempt)
        with transaction.atomic():
            _task().using(run_after=timezone.now() + delay).enqueue(page_id, attempt + 1)
        TASK_RETRIES.labels("search.sync_page").inc()
        logger.warning(
            "Search index update of page %s failed (attempt %s); next attempt in %s s.",
            page_id,
            attempt + 1,
            int(delay.total_seconds()),
            exc_info=True,
        )
        raise
    return "indexed" if indexed else "removed"


def rebuild(progress: Callable[[int], None] | None = None) -> tuple[RebuildResult, int]:
    """Build a new index from the database and swap it in; (result, updates replayed).

    Updates that the worker applied to the old index while the new one was being filled are
    queued again, so the swap loses none of them. Then the cached embeddings that no indexed
    document uses are deleted (`prune_cache`).
    """
    started = timezone.now()
    used = UsedKeys()
    result = get_engine().rebuild(with_vectors(iter_documents(), used=used), progress)
    result.pruned_embeddings = prune_cache(used, started)
    # Finished since the rebuild started, or still running (writing to the old index).
    replayed = DBTaskResult.objects.filter(
        Q(finished_at__gte=started) | Q(status="RUNNING"), task_path=_task().module_path
    ).values_list("args_kwargs", flat=True)
    ids = {args["args"][0] for args in replayed if args.get("args")}
    return result, queue_pages(ids)


def reconcile(*, dry_run: bool = False) -> dict[str, list[int]]:
    """Compare the database with the index and repair it: missing, extra and stale documents."""
    engine = get_engine()
    indexed = engine.versions()
    # With their vectors: a page indexed without (the model had failed) is stale.
    expected = {document.id: document for document in with_vectors(iter_documents())}
    missing = sorted(set(expected) - set(indexed))
    extra = sorted(set(indexed) - set(expected))
    stale = sorted(
        page_id
        for page_id, document in expected.items()
        if page_id in indexed and indexed[page_id] != document.version()
    )
    if not dry_run:
        engine.index_documents([expected[page_id] for page_id in missing + stale])
        engine.delete_documents(extra)
    return {"missing": missing, "extra": extra, "stale": stale}
