"""The background task that carries an index update to the search engine, run by
`manage.py tasks_worker --backend search --queue-name search` (django-tasks' database backend,
with a lease: cms/task_leases.py)."""

from __future__ import annotations

from django_tasks import TaskContext, task

from cms.logs import task_logged

from . import indexing

TASK_NAME = "search.sync_page"


@task(backend="search", queue_name="search", takes_context=True)
def sync_page(context: TaskContext, page_id: int, attempt: int = 0) -> str:
    """Make the index agree with page `page_id` as it is now; retried with backoff on error."""
    result = context.task_result
    with task_logged(TASK_NAME, str(result.id), page_id=page_id, attempt=attempt) as outcome:
        outcome["outcome"] = indexing.run_sync(page_id, attempt, result.enqueued_at)
    return outcome["outcome"]
