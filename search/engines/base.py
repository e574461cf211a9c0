"""What a search engine does for the project; `embedded` and `elastic` implement it alike."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from ..documents import SearchDocument
from ..query import SearchRequest, SearchResponse, Suggestion

# Called with the count of documents written so far, for commands to show progress.
Progress = Callable[[int], None]

TEXT_FIELDS = ("title", "subtitle", "summary", "body", "people", "tags")


@dataclass
class RebuildResult:
    index_name: str
    documents: int


class SearchEngine(Protocol):
    """One search index behind a stable name (an alias, or a `current` link on disk).

    Every method raises `SearchUnavailable` (never a client library's own exception) when
    the engine cannot be reached or the index is missing.
    """

    name: str

    def search(self, request: SearchRequest) -> SearchResponse: ...

    def suggest(
        self, prefix: str, *, locale: str, site: str | None, limit: int
    ) -> list[Suggestion]: ...

    def index_documents(self, documents: list[SearchDocument]) -> None:
        """Add or replace these documents (by page id)."""

    def delete_documents(self, ids: list[int]) -> None:
        """Remove the documents of these page ids; ids not in the index are ignored."""

    def rebuild(
        self, documents: Iterable[SearchDocument], progress: Progress | None = None
    ) -> RebuildResult:
        """Fill a new index, then point the stable name at it in one atomic step."""

    def versions(self) -> dict[int, str]:
        """Every indexed page id with its document's version, to compare with the database."""

    def counts_by_type(self) -> dict[str, int]: ...

    def exists(self) -> bool: ...

    def was_built(self) -> bool:
        """Whether the index in use was filled whole by `rebuild` (the first update of an
        engine with no index starts one holding only that page)."""


def field_name(base: str, language: str) -> str:
    """The per-language field of a text field, in both engines: `title_fr`, `pdf_de`."""
    return f"{base}_{language}"
