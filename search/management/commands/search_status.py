"""manage.py search_status: the search index's backlog, running (and stuck) updates, last error
and contents."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cms.task_leases import running_tasks
from search import indexing
from search.documents import SEARCHABLE_TYPES
from search.engines import get_engine
from search.query import SearchUnavailable
from search.vectors import vectors_status


class Command(BaseCommand):
    help = "Show pending index updates, the last error, and documents per type (index vs database)."

    def handle(self, *args, **options) -> None:
        engine = get_engine()
        pending = indexing.pending_tasks()
        now = timezone.now()
        due = pending.filter(indexing.due_by(now)).count()
        waiting = pending.count() - due
        self.stdout.write(f"Engine: {engine.name}")
        self.stdout.write(f"Pending index updates: {due} due now, {waiting} waiting to retry")
        tasks = DBTaskResult.objects.filter(task_path=indexing.task_path())
        running = running_tasks(tasks, now)
        stuck = sum(item.stuck for item in running)
        self.stdout.write(f"Running index updates: {len(running)}, {stuck} stuck")
        for item in running:
            line = f"  page {(item.task.args_kwargs.get('args') or ['?'])[0]}: {item.describe()}"
            self.stdout.write(self.style.WARNING(line) if item.stuck else line)
        failed = tasks.filter(status="FAILED").order_by("-finished_at").first()
        if failed is None:
            self.stdout.write("Last error: none")
        else:
            page_id = (failed.args_kwargs.get("args") or ["?"])[0]
            last_line = (failed.traceback or "").strip().splitlines()[-1:] or [""]
            self.stdout.write(
                f"Last error: {failed.finished_at:%Y-%m-%d %H:%M:%S} page {page_id}: {last_line[0]}"
            )
        self.stdout.write(vectors_status())
        try:
            indexed = engine.counts_by_type() if engine.exists() else {}
            reachable = True
        except SearchUnavailable as error:
            indexed, reachable = {}, False
            self.stdout.write(self.style.WARNING(f"Index: unavailable ({error})"))
        from cms.visibility import public_pages

        self.stdout.write(f"{'type':<16}{'index':>8}{'database':>10}")
        for name, model in SEARCHABLE_TYPES.items():
            expected = public_pages(model.objects.all(), None).count()
            shown = indexed.get(name, 0) if reachable else "?"
            self.stdout.write(f"{name:<16}{shown!s:>8}{expected:>10}")
