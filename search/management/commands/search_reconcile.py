"""manage.py search_reconcile: find and repair differences between the database and the index."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from search import indexing
from search.engines import get_engine
from search.query import SearchUnavailable


class Command(BaseCommand):
    help = (
        "Compare every live, public page with the search index and repair what differs: "
        "documents missing from the index, documents that should not be there, stale ones."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Report the differences, change nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        engine = get_engine()
        self.stdout.write(f"Comparing the database with the {engine.name} search index ...")
        try:
            found = indexing.reconcile(dry_run=dry_run)
        except SearchUnavailable as error:
            raise CommandError(
                f"{error} Run search_reindex if the index was never built, or check "
                "ELASTICSEARCH_URL."
            ) from error
        for kind, ids in found.items():
            if ids:
                shown = ", ".join(str(i) for i in ids[:20]) + (" ..." if len(ids) > 20 else "")
                self.stdout.write(f"  {kind}: {len(ids)} (page ids {shown})")
        verb = "found (dry run, nothing changed)" if dry_run else "repaired"
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(found['missing'])} missing, {len(found['extra'])} extra, "
                f"{len(found['stale'])} stale documents {verb}."
            )
        )
