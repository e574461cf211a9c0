"""The search engine base both engines subclass (`embedded`, `elastic`), in the shape of
Wagtail's `wagtail.search.backends.base`: the public interface, the rebuild as a template of
abstract steps, and what both do alike (facet grouping and values, dates, index timestamps).
"""

from __future__ import annotations

import datetime
import html
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from itertools import islice
from typing import Any, ClassVar, Generic, TypeVar

from django.conf import settings

from ..analysis import FACET_FIELDS, FACET_SIZE, FRAGMENT_SIZE, MISSING_YEAR
from ..documents import SearchDocument
from ..query import (
    FACETS,
    UNKNOWN_YEAR,
    Facet,
    FacetValue,
    Highlight,
    SearchRequest,
    SearchResponse,
    Suggestion,
)

# Called with the count of documents written so far, for commands to show progress.
Progress = Callable[[int], None]

# What an engine's rebuild holds while it fills a new index (a name, a folder and writer).
NewIndex = TypeVar("NewIndex")


@dataclass
class RebuildResult:
    index_name: str
    documents: int
    # Cached embeddings deleted after the rebuild, as no indexed document uses them.
    pruned_embeddings: int = 0


class BaseSearchEngine(ABC, Generic[NewIndex]):
    """One search index behind a stable name (an alias, or a `current` link on disk).

    Every method raises `SearchUnavailable` (never a client library's own exception) when
    the engine cannot be reached or the index is missing.
    """

    name: ClassVar[str]
    # Documents written per step of a rebuild; progress is reported after each step.
    rebuild_chunk: ClassVar[int]
    # Whether `search` uses `request.respell` (the corrected words' vector) itself when it
    # finds a correction; if not, search.hybrid asks it again with that vector.
    respells_vectors: ClassVar[bool] = False

    # --- Reading ---------------------------------------------------------------------------

    @abstractmethod
    def search(self, request: SearchRequest) -> SearchResponse: ...

    @abstractmethod
    def suggest(
        self, prefix: str, *, locale: str, site: str | None, limit: int
    ) -> list[Suggestion]:
        """Titles for search-as-you-type, best first."""

    def similar(
        self, page_ids: list[int], *, types: tuple[str, ...], limit: int
    ) -> dict[int, list[int]]:
        """For each of `page_ids`, the ids of the pages of `types` nearest it by vector, in
        its locale and on a site it is on, nearest first (none when the engine or the page
        has no vectors). Asked for a whole list's pages at once."""
        return {page_id: [] for page_id in page_ids}

    @abstractmethod
    def versions(self) -> dict[int, str]:
        """Every indexed page id with its document's version, to compare with the database."""

    @abstractmethod
    def counts_by_type(self) -> dict[str, int]:
        """How many documents the index holds per content type."""

    @abstractmethod
    def exists(self) -> bool: ...

    def was_built(self) -> bool:
        """Whether the index in use was filled whole by `rebuild` (an engine that cannot tell
        an index the first update started from a rebuilt one answers `exists()`)."""
        return self.exists()

    # --- Writing ---------------------------------------------------------------------------

    @abstractmethod
    def index_documents(self, documents: list[SearchDocument]) -> None:
        """Add or replace these documents (by page id), searchable on return."""

    @abstractmethod
    def delete_documents(self, ids: list[int]) -> None:
        """Remove the documents of these page ids; ids not in the index are ignored."""

    def rebuild(
        self, documents: Iterable[SearchDocument], progress: Progress | None = None
    ) -> RebuildResult:
        """Create a new index, fill it, point the stable name at it in one atomic step, then
        drop the indexes it pointed at. Searches use the old index until the swap; a failure
        drops the new one and leaves the old in use.

        The old indexes are dropped SEARCH_REINDEX_GRACE_SECONDS after the swap: a search that
        found the old index just before it (Elasticsearch resolved the alias, or the embedded
        engine read the link) is still reading it, and would fail if it vanished."""
        with self._rebuild_lock():
            with self._errors("create an index"):
                index = self._create_index()
            count = 0
            try:
                with self._errors("rebuild the index"):
                    for chunk in chunks(documents, self.rebuild_chunk):
                        self._fill(index, chunk)
                        count += len(chunk)
                        if progress is not None:
                            progress(count)
                    self._finish(index)
                    old = self._swap(index)
            except BaseException:
                self._drop(self._index_name(index))
                raise
            if old:
                time.sleep(float(getattr(settings, "SEARCH_REINDEX_GRACE_SECONDS", 5)))
            for name in old:
                self._drop(name)
            return RebuildResult(index_name=self._index_name(index), documents=count)

    # --- The rebuild's steps ---------------------------------------------------------------

    def _rebuild_lock(self) -> AbstractContextManager[Any]:
        """Held for the whole rebuild (none by default)."""
        return nullcontext()

    def _errors(self, action: str) -> AbstractContextManager[Any]:
        """Where the engine's own errors while it does `action` become `SearchUnavailable`
        (by default they pass unchanged)."""
        return nullcontext()

    @abstractmethod
    def _create_index(self) -> NewIndex:
        """A new, empty index, not yet behind the stable name."""

    @abstractmethod
    def _fill(self, index: NewIndex, documents: list[SearchDocument]) -> None: ...

    @abstractmethod
    def _finish(self, index: NewIndex) -> None:
        """Make every document written visible to searches of the new index."""

    @abstractmethod
    def _swap(self, index: NewIndex) -> list[str]:
        """Point the stable name at the new index at once; the names of the indexes it left."""

    @abstractmethod
    def _drop(self, name: str) -> None:
        """Delete an index no name points at (best effort: a leftover costs disk only)."""

    @abstractmethod
    def _index_name(self, index: NewIndex) -> str: ...

    @staticmethod
    def timestamp() -> str:
        """What tells the indexes of successive rebuilds apart, in the order they were made."""
        return datetime.datetime.now(datetime.UTC).strftime("%Y%m%d%H%M%S%f")


def chunks(documents: Iterable[SearchDocument], size: int) -> Iterator[list[SearchDocument]]:
    iterator = iter(documents)
    while chunk := list(islice(iterator, size)):
        yield chunk


# --- Facets --------------------------------------------------------------------------------


def counted_with(facet: str, active: Iterable[str]) -> tuple[str, ...]:
    """The filters a facet is counted with: every active one but its own, so a user still
    sees, and can add, the sibling values of a value they picked."""
    return tuple(name for name in active if name != facet)


def facet_groups(active: Iterable[str]) -> dict[tuple[str, ...], list[str]]:
    """The facets by the filters they are counted with: one count for the facets nobody
    filters on, one per filtered facet."""
    active = tuple(active)
    groups: dict[tuple[str, ...], list[str]] = {}
    for facet in FACETS:
        groups.setdefault(counted_with(facet, active), []).append(facet)
    return groups


def terms_aggregation(facet: str) -> dict[str, Any]:
    """The terms aggregation counting a facet's values, in the syntax both engines read."""
    if facet == "year":
        return {"terms": {"field": "year", "size": FACET_SIZE, "missing": MISSING_YEAR}}
    return {"terms": {"field": FACET_FIELDS[facet], "size": FACET_SIZE}}


def facet_value(facet: str, bucket: Mapping[str, Any]) -> FacetValue:
    key = bucket["key"]
    if facet == "year":
        key = UNKNOWN_YEAR if int(key) == MISSING_YEAR else str(int(key))
    return FacetValue(value=str(key), count=int(bucket["doc_count"]))


def facets_from(buckets: Mapping[str, Iterable[Mapping[str, Any]]]) -> list[Facet]:
    """Every facet of the API, in its order, from each facet's aggregation buckets."""
    return [
        Facet(name=facet, values=[facet_value(facet, bucket) for bucket in buckets[facet]])
        for facet in FACETS
    ]


def summary_highlight(summary: str) -> list[Highlight]:
    """What a hit found by meaning alone shows: the start of its summary, escaped (no word of
    the query is in its text to mark)."""
    text = " ".join(summary.split())
    if not text:
        return []
    if len(text) > FRAGMENT_SIZE:
        text = text[:FRAGMENT_SIZE].rsplit(" ", 1)[0] + " …"
    return [Highlight(field="summary", fragments=[html.escape(text)])]


def stored_date(value: str | None) -> datetime.date | None:
    # Dates are written as YYYY-MM-DD; a datetime string would be cut to its date.
    return datetime.date.fromisoformat(value[:10]) if value else None
