"""`EmbeddedEngine`: a tantivy index in a folder, no server. Each rebuild fills a new
`indexes/<timestamp>/` and moves the link `current` to it in one rename; one writer, many
readers, which reload when the index's `meta.json` changes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import logging
import os
import shutil
import threading
import time
from pathlib import Path

import tantivy
from tantivy import Document, Index, Order, Query

from ...analysis import analysis_language, field_name
from ...documents import SearchDocument
from ...query import Facet, Hit, SearchRequest, SearchResponse, SearchUnavailable, Suggestion
from ..base import (
    BaseSearchEngine,
    facet_groups,
    facets_from,
    stored_date,
    summary_highlight,
    terms_aggregation,
)
from .highlights import Snippets
from .hybrid import fused_page, lexical_ranking, matching, semantic_matches
from .queries import all_of, did_you_mean, facet_filter, id_query, text_query, title_prefix_query
from .schema import SCHEMA, register, to_tantivy
from .threads import InThread
from .vectors import Entry, VectorFiles

logger = logging.getLogger(__name__)

BUILT_MARKER = "built-by-rebuild"
WRITER_HEAP = 30_000_000
WRITER_WAIT_SECONDS = 5.0
WRITER_POLL_SECONDS = 0.02


@dataclasses.dataclass
class _NewIndex:
    """A rebuild's index while it is filled: its folder and its writer."""

    folder: Path
    writer: tantivy.IndexWriter
    vectors: dict[int, Entry] = dataclasses.field(default_factory=dict)
    embedder: str = ""


class EmbeddedEngine(BaseSearchEngine[_NewIndex]):
    """The search engine on a tantivy index in `path` (see the module's docstring)."""

    name = "embedded"
    rebuild_chunk = 100
    respells_vectors = True

    def __init__(self, path: str) -> None:
        self.root = Path(path)
        self._lock = threading.Lock()
        self._index: Index | None = None
        self._target: str | None = None
        self._meta_mtime: int | None = None
        self._vector_files: dict[Path, VectorFiles] = {}

    # --- Locations ---------------------------------------------------------------------

    @property
    def current_link(self) -> Path:
        return self.root / "current"

    def _current_target(self) -> str | None:
        try:
            return os.readlink(self.current_link)
        except FileNotFoundError:
            return None
        except OSError as error:  # SEARCH_INDEX_DIR under a file, or not readable
            raise SearchUnavailable("The search index cannot be read.") from error

    def exists(self) -> bool:
        target = self._current_target()
        return target is not None and Index.exists(str(self.root / target))

    def was_built(self) -> bool:
        """Whether the index in use was built whole by a rebuild (not started by an update)."""
        target = self._current_target()
        return target is not None and (self.root / target / BUILT_MARKER).exists()

    def _new_folder(self) -> Path:
        folder = self.root / "indexes" / self.timestamp()
        folder.mkdir(parents=True)
        return folder

    def _point_current_at(self, folder: Path) -> None:
        # A rename replaces the link atomically: a reader sees the old index or the new one.
        temporary = self.root / f".current-{os.getpid()}-{threading.get_ident()}"
        temporary.unlink(missing_ok=True)
        temporary.symlink_to(folder.relative_to(self.root))
        os.replace(temporary, self.current_link)

    # --- Reading -------------------------------------------------------------------------

    def _open(self) -> Index:
        """The current index, reopened when the link moved, reloaded after a commit."""
        target = self._current_target()
        if target is None:
            raise SearchUnavailable("The search index has not been built yet.")
        folder = self.root / target
        with self._lock:
            if self._index is None or target != self._target:
                try:
                    self._index = register(Index.open(str(folder)))
                except ValueError as error:
                    raise SearchUnavailable("The search index cannot be opened.") from error
                self._target, self._meta_mtime = target, None
            try:
                mtime = (folder / "meta.json").stat().st_mtime_ns
            except FileNotFoundError as error:
                raise SearchUnavailable("The search index is missing.") from error
            if mtime != self._meta_mtime:
                self._index.reload()
                self._meta_mtime = mtime
            return self._index

    def _vectors(self, folder: Path | None = None) -> VectorFiles:
        """The vector files beside the index in `folder` (default: the current one)."""
        if folder is None:
            target = self._current_target()
            if target is None:
                raise SearchUnavailable("The search index has not been built yet.")
            folder = self.root / target
        with self._lock:
            if folder not in self._vector_files:
                self._vector_files = {folder: VectorFiles(folder)}  # older folders are gone
            return self._vector_files[folder]

    def _vector_table(self, request: SearchRequest):
        """The vectors, for a hybrid search; None (search lexically) if they cannot be read."""
        if not request.hybrid:
            return None
        try:
            return self._vectors().table()
        except (ValueError, OSError, KeyError) as error:  # a damaged or half-copied file
            logger.warning("Embedded vectors unreadable, searching lexically: %s", error)
            return None

    def search(self, request: SearchRequest) -> SearchResponse:
        try:
            return self._search(request)
        except (ValueError, OSError) as error:  # a damaged index, a vanished file
            logger.warning("Embedded search failed: %s", error)
            raise SearchUnavailable("The search index cannot be read.") from error

    def _search(self, request: SearchRequest) -> SearchResponse:
        index = self._open()
        searcher = index.searcher()
        language = analysis_language(request.locale)
        text = text_query(request, language)
        scope = [Query.term_query(SCHEMA, "locale", request.locale)]
        if request.site:
            scope.append(Query.term_query(SCHEMA, "sites", request.site))
        filters = {name: facet_filter(name, value) for name, value in request.filters().items()}
        restrictions = scope + list(filters.values())
        table = self._vector_table(request)
        # The correction first (it depends on the words and the scope only): a hybrid search
        # then ranks by the corrected words' meaning now, not in a second search.
        suggestion = did_you_mean(searcher, request, scope)
        if suggestion and request.hybrid and table is not None and request.respell is not None:
            corrected = request.respell(suggestion)
            if corrected is not None:
                request = dataclasses.replace(request, vector=corrected)
        ranked = table is not None and request.hybrid and request.sort == "relevance"
        # tantivy and numpy's matrix product both let go of the GIL: the lexical ranking runs
        # on another core while the vectors are compared here, and the facets while the hits
        # are fused and highlighted (benchmarks/RESULTS.md, "Hybrid search").
        lexical = (
            InThread(lexical_ranking, searcher, all_of([text, *restrictions]), request)
            if ranked
            else None
        )
        semantic = semantic_matches(table, request)
        # Totals and facets count the pages matching the words or the vector (hybrid.py).
        base = [matching(text, semantic), *scope]
        query = all_of(base + list(filters.values()))
        facets = InThread(self._facets, searcher, base, filters)

        if lexical is not None:
            page, total = fused_page(
                searcher, request, text, restrictions, semantic, lexical.result()
            )
        else:
            if request.sort == "date":
                result = searcher.search(
                    query,
                    limit=request.per_page,
                    offset=request.offset,
                    count=True,
                    order_by_field="date_sort",
                    order=Order.Desc,
                )
            else:
                result = searcher.search(
                    query, limit=request.per_page, offset=request.offset, count=True
                )
            page, total = result.hits, result.count or 0
        snippets = Snippets(searcher, text, language)
        hits = []
        for score, address in page:
            doc = searcher.doc(address)
            highlights = snippets.for_document(doc)
            if not highlights and semantic:
                # Found by its meaning, not its words: nothing to mark, its summary shows.
                highlights = summary_highlight(doc.get_first(field_name("summary", language)) or "")
            hits.append(
                Hit(
                    **_stored(doc),
                    date=stored_date(doc.get_first("date")),
                    score=float(score) if request.sort != "date" else 0.0,
                    highlights=highlights,
                )
            )
        return SearchResponse(total=total, hits=hits, facets=facets.result(), suggestion=suggestion)

    def _facets(self, searcher, base: list[Query], filters: dict[str, Query]) -> list[Facet]:
        buckets: dict[str, list[dict]] = {}
        for others, facets in facet_groups(filters).items():
            query = all_of(base + [filters[name] for name in others])
            result = searcher.aggregate(
                query, {facet: terms_aggregation(facet) for facet in facets}
            )
            for facet in facets:
                buckets[facet] = result[facet]["buckets"]
        return facets_from(buckets)

    def similar(
        self, page_ids: list[int], *, types: tuple[str, ...], limit: int
    ) -> dict[int, list[int]]:
        try:
            table = self._vectors().table()
        except (ValueError, OSError, KeyError) as error:  # KeyError: a half-written vectors file
            logger.warning("Embedded similar pages failed: %s", error)
            raise SearchUnavailable("The search index cannot be read.") from error
        if table is None:
            return {page_id: [] for page_id in page_ids}
        return table.similar(page_ids, types=types, limit=limit)

    def suggest(
        self, prefix: str, *, locale: str, site: str | None, limit: int
    ) -> list[Suggestion]:
        try:
            return self._suggest(prefix, locale=locale, site=site, limit=limit)
        except (ValueError, OSError) as error:
            logger.warning("Embedded suggest failed: %s", error)
            raise SearchUnavailable("The search index cannot be read.") from error

    def _suggest(self, prefix: str, *, locale: str, site: str | None, limit: int):
        query = title_prefix_query(prefix, locale=locale, site=site)
        if query is None:
            return []
        searcher = self._open().searcher()
        result = searcher.search(query, limit=limit)
        return [Suggestion(**_stored(searcher.doc(address))) for _score, address in result.hits]

    def versions(self) -> dict[int, str]:
        searcher = self._open().searcher()
        result = searcher.search(Query.all_query(), limit=max(searcher.num_docs, 1), count=False)
        versions: dict[int, str] = {}
        for _score, address in result.hits:
            doc = searcher.doc(address)
            page_id = doc.get_first("id")
            # A page indexed twice is stale: replacing it leaves one document.
            versions[page_id] = "duplicate" if page_id in versions else doc.get_first("version")
        return versions

    def counts_by_type(self) -> dict[str, int]:
        searcher = self._open().searcher()
        result = searcher.aggregate(Query.all_query(), {"type": terms_aggregation("type")})
        return {bucket["key"]: bucket["doc_count"] for bucket in result["type"]["buckets"]}

    # --- Writing -------------------------------------------------------------------------

    def _writer(self, index: Index):
        # One writer at a time per index: another worker's update takes a few milliseconds,
        # so wait for its lock a little before the task is retried later (with backoff).
        deadline = time.monotonic() + WRITER_WAIT_SECONDS
        while True:
            try:
                return index.writer(heap_size=WRITER_HEAP, num_threads=1)
            except ValueError as error:
                if time.monotonic() >= deadline:
                    raise SearchUnavailable(
                        "The search index is being written by another process."
                    ) from error
                time.sleep(WRITER_POLL_SECONDS)

    def _writable(self) -> Index:
        if not self.exists():
            folder = self._new_folder()
            register(Index(SCHEMA, path=str(folder), reuse=False))
            self._point_current_at(folder)
        return self._open()

    def index_documents(self, documents: list[SearchDocument]) -> None:
        if not documents:
            return
        index = self._writable()
        writer = self._writer(index)
        for document in documents:
            writer.delete_documents_by_query(id_query(document.id))
            writer.add_document(to_tantivy(document))
        # Under the writer: no other update writes the vectors meanwhile. Before the commit:
        # if it fails, the new vectors wait for the retry, shown only for pages the index has.
        files = self._vectors()
        embedded = [d for d in documents if d.vectors is not None]
        if embedded or files.generation() is not None:
            files.update(
                {d.id: _entry(d) for d in documents},
                next((d.embedded_by for d in embedded), ""),
            )
        writer.commit()
        writer.wait_merging_threads()

    def delete_documents(self, ids: list[int]) -> None:
        if not ids or not self.exists():
            return
        writer = self._writer(self._open())
        for page_id in ids:
            writer.delete_documents_by_query(id_query(page_id))
        files = self._vectors()
        if files.generation() is not None:
            files.update({}, "", removed=ids)
        writer.commit()
        writer.wait_merging_threads()

    # --- The rebuild's steps (the template is BaseSearchEngine.rebuild) --------------------

    @contextlib.contextmanager
    def _rebuild_lock(self):
        # Two rebuilds at once would each delete the other's new folder as "old".
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".rebuild.lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as error:
                raise SearchUnavailable(
                    "Another rebuild of the search index is running; wait for it to finish."
                ) from error
            yield

    def _create_index(self) -> _NewIndex:
        folder = self._new_folder()
        index = register(Index(SCHEMA, path=str(folder), reuse=False))
        return _NewIndex(folder, index.writer(heap_size=WRITER_HEAP * 2, num_threads=1))

    def _fill(self, index: _NewIndex, documents: list[SearchDocument]) -> None:
        for document in documents:
            index.writer.add_document(to_tantivy(document))
            if (entry := _entry(document)) is not None:
                index.vectors[document.id] = entry
                index.embedder = document.embedded_by

    def _finish(self, index: _NewIndex) -> None:
        # The vectors go in the new folder first: the swap moves them with the index.
        if index.vectors:
            self._vectors(index.folder).write(index.vectors, index.embedder)
        index.writer.commit()
        index.writer.wait_merging_threads()
        (index.folder / BUILT_MARKER).touch()

    def _swap(self, index: _NewIndex) -> list[str]:
        # Every other folder: the index replaced, and any a crashed rebuild left behind. Listed
        # first: once the link moves, nothing may fail (a failure drops the new index).
        folders = (self.root / "indexes").iterdir()
        old = [str(f.relative_to(self.root)) for f in folders if f != index.folder]
        self._point_current_at(index.folder)
        return old

    def _drop(self, name: str) -> None:
        shutil.rmtree(self.root / name, ignore_errors=True)

    def _index_name(self, index: _NewIndex) -> str:
        return str(index.folder.relative_to(self.root))


def _entry(document: SearchDocument) -> Entry | None:
    if document.vectors is None or not len(document.vectors):
        return None
    return Entry(document.vectors, document.locale, list(document.sites), document.type)


def _stored(doc: Document) -> dict:
    """What a hit and a suggestion both show of a document."""
    return {
        "id": doc.get_first("id"),
        "type": doc.get_first("type"),
        "title": doc.get_first("title"),
        "url": doc.get_first("url") or "",
    }
