"""The background task that sends an endpoint's deliveries, run by
`manage.py tasks_worker --backend webhooks --queue-name webhooks` (django-tasks' database
backend, with a lease: cms/task_leases.py)."""

from __future__ import annotations

from django_tasks import TaskContext, task

from cms.logs import task_logged

from . import delivery

TASK_NAME = "webhooks.deliver"


@task(backend="webhooks", queue_name="webhooks", takes_context=True)
def deliver(context: TaskContext, endpoint_id: int) -> str:
    """Send endpoint `endpoint_id`'s due deliveries in order. Failures are recorded on the
    delivery and retried by a new task at its time, so this task itself does not fail."""
    result = context.task_result
    with task_logged(TASK_NAME, str(result.id), endpoint_id=endpoint_id) as outcome:
        outcome["outcome"] = delivery.drain(endpoint_id)
    return outcome["outcome"]
