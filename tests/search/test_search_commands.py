"""The search's management commands: search_reindex, search_reconcile and search_status."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO

import pytest
import tantivy
from django.core.management import CommandError, call_command

from publications.factories import PublicationPageFactory
from search import indexing
from search.documents import build_document
from search.engines import get_engine
from search.query import SearchRequest, parse_query

# search_catalogue: four publications (one in French), a position paper, a press release.
CATALOGUE_SIZE = 6


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def engine_titles(words: str) -> list[str]:
    request = SearchRequest(query=parse_query(words), locale="en")
    return [hit.title for hit in get_engine().search(request).hits]


def current_index() -> str:
    engine = get_engine()
    return engine._current_target()


@contextmanager
def writer_lock_held() -> Iterator[None]:
    """The embedded index's writer lock taken, as another process writing would."""
    engine = get_engine()
    index = tantivy.Index.open(str(engine.root / engine._current_target()))
    writer = index.writer(heap_size=15_000_000, num_threads=1)
    try:
        yield
    finally:
        writer.wait_merging_threads()  # consumes the writer, freeing the lock


# --- search_reindex ----------------------------------------------------------------------------


def test_reindex_shows_progress_and_a_one_line_summary(search_catalogue):
    output = run("search_reindex")

    lines = output.splitlines()
    assert lines[0] == f"Indexing {CATALOGUE_SIZE} pages on the embedded engine ..."
    assert f"  {CATALOGUE_SIZE}/{CATALOGUE_SIZE} documents" in lines
    assert re.fullmatch(
        rf"Indexed {CATALOGUE_SIZE} documents into indexes/\d+ in \d+\.\d s; "
        r"0 updates queued again; 0 cached embeddings no document uses deleted\.",
        lines[-1],
    )


def test_after_reindex_the_index_answers(search_catalogue):
    run("search_reindex")

    assert engine_titles("naloxone") == ["Preventing drug harm"]
    assert len(get_engine().versions()) == CATALOGUE_SIZE


def test_reindex_if_missing_leaves_an_existing_index_alone(indexed):
    before = current_index()

    output = run("search_reindex", "--if-missing")

    assert output == "The embedded search index exists; nothing to do.\n"
    assert current_index() == before


def test_reindex_if_missing_builds_a_missing_index(search_catalogue):
    output = run("search_reindex", "--if-missing")

    assert output.splitlines()[-1].startswith(f"Indexed {CATALOGUE_SIZE} documents")
    assert get_engine().exists()


# --- search_reconcile --------------------------------------------------------------------------


@pytest.fixture
def drifted(indexed) -> dict[str, int]:
    """The index changed behind the database's back: one document deleted, one stale (an old
    title), one extra (a page id the database does not have)."""
    engine = get_engine()
    missing = indexed["drugs"].pk
    stale = build_document(indexed["policing"])
    extra = dataclasses.replace(build_document(indexed["undated"]), id=999_999)
    engine.delete_documents([missing])
    engine.index_documents([dataclasses.replace(stale, title="Old title"), extra])
    return {"missing": missing, "stale": stale.id, "extra": extra.id}


def test_reconcile_repairs_missing_extra_and_stale_documents(drifted):
    output = run("search_reconcile")

    assert f"  missing: 1 (page ids {drifted['missing']})" in output
    assert f"  extra: 1 (page ids {drifted['extra']})" in output
    assert f"  stale: 1 (page ids {drifted['stale']})" in output
    assert output.splitlines()[-1] == "1 missing, 1 extra, 1 stale documents repaired."
    expected = {document.id: document.version() for document in indexing.iter_documents()}
    assert get_engine().versions() == expected


def test_a_second_reconcile_finds_nothing(drifted):
    run("search_reconcile")

    output = run("search_reconcile")

    assert output.splitlines()[-1] == "0 missing, 0 extra, 0 stale documents repaired."


def test_reconcile_dry_run_changes_nothing(drifted):
    before = get_engine().versions()

    output = run("search_reconcile", "--dry-run")

    assert output.splitlines()[-1] == (
        "1 missing, 1 extra, 1 stale documents found (dry run, nothing changed)."
    )
    assert get_engine().versions() == before


def test_reconcile_without_an_index_says_to_run_search_reindex(search_catalogue):
    with pytest.raises(CommandError, match="search_reindex"):
        run("search_reconcile")


# --- search_status -----------------------------------------------------------------------------


def status_counts(output: str) -> dict[str, tuple[str, str]]:
    """The table of search_status: type -> (in the index, in the database)."""
    rows = output.splitlines()
    start = next(i for i, line in enumerate(rows) if line.split() == ["type", "index", "database"])
    return {name: (index, database) for name, index, database in map(str.split, rows[start + 1 :])}


def test_status_counts_the_updates_due_now(publication_index):
    for title in ("Nocturnal mediation", "Street lighting"):
        PublicationPageFactory(parent=publication_index, title=title).save_revision().publish()

    output = run("search_status")

    assert "Pending index updates: 2 due now, 0 waiting to retry" in output


def test_status_names_the_page_of_the_last_failed_update(indexed, publication_index, worker):
    page = PublicationPageFactory(parent=publication_index, title="Nocturnal mediation")
    worker()  # the catalogue's own updates (its French translation was published)
    with writer_lock_held():
        page.save_revision().publish()
        worker()

        output = run("search_status")

    assert "Pending index updates: 0 due now, 1 waiting to retry" in output
    [last_error] = [line for line in output.splitlines() if line.startswith("Last error:")]
    assert re.fullmatch(
        rf"Last error: \S+ \S+ page {page.pk}: search\.query\.SearchUnavailable: "
        r"The search index is being written by another process\.",
        last_error,
    )


def test_status_without_failures_says_none(indexed):
    assert "Last error: none" in run("search_status").splitlines()


def test_status_compares_the_index_with_the_database_per_type(indexed):
    # Unpublished, and no worker ran: the index still has it, the database no longer does.
    indexed["drugs"].unpublish()

    counts = status_counts(run("search_status"))

    assert counts == {
        "publication": ("4", "3"),
        "position_paper": ("1", "1"),
        "press_release": ("1", "1"),
    }
