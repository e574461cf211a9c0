"""manage.py search_reindex: build a new search index from the database and swap it in."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from search import indexing
from search.documents import searchable_count
from search.engines import get_engine
from search.query import SearchUnavailable


class Command(BaseCommand):
    help = (
        "Build a new search index from the live, public pages (PDF text included) and point "
        "the index's name at it in one step: search keeps answering during the rebuild."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Do nothing when a whole index exists already (for start-up scripts).",
        )

    def handle(self, *args, if_missing: bool = False, **options) -> None:
        engine = get_engine()
        try:
            if if_missing and engine.was_built():
                self.stdout.write(f"The {engine.name} search index exists; nothing to do.")
                return
            total = searchable_count()
            self.stdout.write(f"Indexing {total} pages on the {engine.name} engine ...")
            started = time.monotonic()

            def progress(count: int) -> None:
                self.stdout.write(f"  {count}/{total} documents")

            result, replayed = indexing.rebuild(progress)
        except SearchUnavailable as error:
            raise CommandError(
                f"{error} Check ELASTICSEARCH_URL (or SEARCH_INDEX_DIR) and run it again."
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {result.documents} documents into {result.index_name} in "
                f"{time.monotonic() - started:.1f} s; {replayed} updates queued again; "
                f"{result.pruned_embeddings} cached embeddings no document uses deleted."
            )
        )
