"""The embedded search engine: a tantivy index in a folder, no server.

Layout: `<SEARCH_INDEX_DIR>/indexes/<timestamp>/` holds each built index, and the symbolic
link `<SEARCH_INDEX_DIR>/current` points at the one in use. A rebuild fills a new folder and
replaces the link in one rename, the embedded equivalent of swapping an Elasticsearch alias:
searches keep answering from the old index until the link moves.

One writer (the task worker, or `search_reindex` on a new folder) and many readers (the web
processes), which notice a commit by the change of the index's `meta.json` and reload.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import html
import logging
import os
import re
import shutil
import threading
from pathlib import Path

import tantivy
from tantivy import (
    Document,
    FieldType,
    Filter,
    Index,
    Occur,
    Order,
    Query,
    SchemaBuilder,
    SnippetGenerator,
    TextAnalyzerBuilder,
    Tokenizer,
)

from ..analysis import (
    ANALYZED_LANGUAGES,
    BOOSTS,
    FACET_FIELDS,
    FRAGMENT_SIZE,
    FRAGMENTS,
    FUZZY_WEIGHT,
    KEYWORDS,
    MISSING_YEAR,
    SNOWBALL,
    SPELL_FIELDS,
    TEXT_FIELDS,
    TIE_BREAKER,
    analysis_language,
    field_name,
    fuzzy_distance,
)
from ..documents import SearchDocument
from ..query import (
    Facet,
    Highlight,
    Hit,
    ParsedQuery,
    SearchRequest,
    SearchResponse,
    SearchUnavailable,
    Suggestion,
)
from ..spelling import best_correction
from .base import (
    BaseSearchEngine,
    facet_groups,
    facets_from,
    stored_date,
    terms_aggregation,
)

logger = logging.getLogger(__name__)

STORED_TEXT = ("title", "summary", "body")
BUILT_MARKER = "built-by-rebuild"
WRITER_HEAP = 30_000_000
MAX_CORRECTED_WORDS = 5
MAX_SPELLING_CANDIDATES = 5000


def _text_analyzer(language: str) -> tantivy.TextAnalyzer:
    # Stop words before folding: the lists hold accented words ("été", "für").
    return (
        TextAnalyzerBuilder(Tokenizer.simple())
        .filter(Filter.remove_long(40))
        .filter(Filter.lowercase())
        .filter(Filter.stopword(SNOWBALL[language]))
        .filter(Filter.ascii_fold())
        .filter(Filter.stemmer(SNOWBALL[language]))
        .build()
    )


def _spell_analyzer() -> tantivy.TextAnalyzer:
    return (
        TextAnalyzerBuilder(Tokenizer.simple())
        .filter(Filter.remove_long(40))
        .filter(Filter.lowercase())
        .filter(Filter.ascii_fold())
        .build()
    )


ANALYZERS = {language: _text_analyzer(language) for language in ANALYZED_LANGUAGES}
SPELL = _spell_analyzer()


def build_schema() -> tantivy.Schema:
    builder = SchemaBuilder()
    builder.add_unsigned_field("id", stored=True, indexed=True, fast=True)
    for name in KEYWORDS:
        builder.add_text_field(name, stored=True, tokenizer_name="raw", fast=True)
    builder.add_text_field("version", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("url", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("date", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("year", stored=True, indexed=True, fast=True)
    builder.add_integer_field("date_sort", fast=True)
    for language in ANALYZED_LANGUAGES:
        for base in TEXT_FIELDS:
            builder.add_text_field(
                field_name(base, language),
                stored=base in STORED_TEXT,
                tokenizer_name=f"text_{language}",
            )
        builder.add_text_field(
            field_name("pdf", language), stored=True, tokenizer_name=f"text_{language}"
        )
    builder.add_text_field("spell", tokenizer_name="spell")
    builder.add_text_field("title_words", tokenizer_name="spell")
    return builder.build()


SCHEMA = build_schema()


def _register(index: Index) -> Index:
    # Analyzers are not stored in the index: every opening registers them again.
    for language, analyzer in ANALYZERS.items():
        index.register_tokenizer(f"text_{language}", analyzer)
    index.register_tokenizer("spell", SPELL)
    return index


def to_tantivy(document: SearchDocument) -> Document:
    """The tantivy document of a SearchDocument (its own text in its locale's fields)."""
    doc = Document()
    doc.add_unsigned("id", document.id)
    for name, values in (
        ("type", [document.type]),
        ("kind", [document.kind]),
        ("locale", [document.locale]),
        ("sites", document.sites),
        ("topics", document.topics),
        ("languages", document.languages),
    ):
        for value in values:
            if value:
                doc.add_text(name, value)
    doc.add_text("version", document.version())
    doc.add_text("title", document.title)
    doc.add_text("url", document.url)
    doc.add_integer("year", document.year if document.year else MISSING_YEAR)
    if document.date:
        doc.add_text("date", document.date.isoformat())
        doc.add_integer("date_sort", document.date.toordinal())
    else:
        doc.add_integer("date_sort", 0)  # unknown dates sort last, newest first
    language = document.text_language
    for base in TEXT_FIELDS:
        value = getattr(document, base)
        if value:
            doc.add_text(field_name(base, language), value)
    for pdf_language, text in document.pdf_text.items():
        doc.add_text(field_name("pdf", pdf_language), text)
    spell = [getattr(document, base) for base in SPELL_FIELDS]
    doc.add_text("spell", "\n".join(part for part in spell if part))
    doc.add_text("title_words", document.title)
    return doc


@dataclasses.dataclass
class _NewIndex:
    """A rebuild's index while it is filled: its folder and its writer."""

    folder: Path
    writer: tantivy.IndexWriter


class EmbeddedEngine(BaseSearchEngine[_NewIndex]):
    """The search engine on a tantivy index in `path` (see the module's docstring)."""

    name = "embedded"
    rebuild_chunk = 100

    def __init__(self, path: str) -> None:
        self.root = Path(path)
        self._lock = threading.Lock()
        self._index: Index | None = None
        self._target: str | None = None
        self._meta_mtime: int | None = None

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
                    self._index = _register(Index.open(str(folder)))
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
        text_query = self._text_query(request, language)
        base = [text_query, Query.term_query(SCHEMA, "locale", request.locale)]
        if request.site:
            base.append(Query.term_query(SCHEMA, "sites", request.site))
        filters = {
            name: self._facet_filter(name, value) for name, value in request.filters().items()
        }
        query = _all_of(base + list(filters.values()))
        # tantivy lets go of the GIL while it searches: the facets are counted on another core
        # while the hits are ranked and highlighted here (2 of 6 ms at 6,000 documents).
        facets = _InThread(self._facets, searcher, base, filters)

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
        snippets = _Snippets(searcher, text_query, language)
        hits = []
        for score, address in result.hits:
            doc = searcher.doc(address)
            hits.append(
                Hit(
                    **_stored(doc),
                    date=stored_date(doc.get_first("date")),
                    score=float(score) if request.sort != "date" else 0.0,
                    highlights=snippets.for_document(doc),
                )
            )
        return SearchResponse(
            total=result.count or 0,
            hits=hits,
            facets=facets.result(),
            suggestion=self._suggestion(searcher, request, base[1:]),
        )

    def _text_query(self, request: SearchRequest, language: str) -> Query:
        fields = [(field_name(base, language), BOOSTS[base], language) for base in TEXT_FIELDS]
        fields += [(field_name("pdf", code), BOOSTS["pdf"], code) for code in ANALYZED_LANGUAGES]
        parsed = request.query
        clauses: list[tuple[Occur, Query]] = []
        for word in parsed.words:
            alternatives = [
                query
                for name, boost, code in fields
                if (query := _word_query(name, word, code, boost, fuzzy=code == language))
            ]
            # Typos in long words: on the stems ("radicalis") a missing letter can be three
            # edits away, on the words as written ("radicalisation") it is one.
            alternatives += _spelling_queries(word)
            if alternatives:
                clauses.append((Occur.Must, Query.disjunction_max_query(alternatives, TIE_BREAKER)))
        for phrase in parsed.phrases:
            alternatives = [
                query
                for name, boost, code in fields
                if (query := _phrase_query(name, " ".join(phrase), code, boost))
            ]
            if alternatives:
                clauses.append((Occur.Must, Query.disjunction_max_query(alternatives, TIE_BREAKER)))
        if not clauses:
            # Every word is a stop word in this language ("the", "de la"): nothing matches.
            return Query.empty_query()
        for word in parsed.excluded:
            for name, _boost, code in fields:
                query = _word_query(name, word, code, 1.0, fuzzy=False)
                if query is not None:
                    clauses.append((Occur.MustNot, query))
        return Query.boolean_query(clauses)

    def _facet_filter(self, name: str, value: tuple) -> Query:
        if name == "year":
            lower, upper = value
            return Query.range_query(
                SCHEMA,
                "year",
                FieldType.Integer,
                lower_bound=lower if lower is not None else 0,
                upper_bound=upper if upper is not None else 9999,
            )
        return Query.term_set_query(SCHEMA, FACET_FIELDS[name], list(value))

    def _facets(self, searcher, base: list[Query], filters: dict[str, Query]) -> list[Facet]:
        buckets: dict[str, list[dict]] = {}
        for others, facets in facet_groups(filters).items():
            query = _all_of(base + [filters[name] for name in others])
            result = searcher.aggregate(
                query, {facet: terms_aggregation(facet) for facet in facets}
            )
            for facet in facets:
                buckets[facet] = result[facet]["buckets"]
        return facets_from(buckets)

    def _suggestion(self, searcher, request: SearchRequest, scope: list[Query]) -> str | None:
        corrected = list(request.query.words)
        changed = False
        unknown = 0
        for position, word in enumerate(request.query.words):
            folded = SPELL.analyze(word)
            if len(folded) != 1 or searcher.doc_freq("spell", folded[0]) > 0:
                continue
            unknown += 1
            if unknown > MAX_CORRECTED_WORDS:
                break
            correction = best_correction(folded[0], _spelling_candidates(searcher, folded[0]))
            if correction:
                corrected[position] = correction
                changed = True
        if not changed:
            return None
        query = ParsedQuery(tuple(corrected), request.query.phrases, request.query.excluded)
        # The term statistics still count deleted documents, and every locale: offer the
        # correction only if it finds something live in the scope searched.
        corrected_request = dataclasses.replace(request, query=query)
        language = analysis_language(request.locale)
        found = searcher.search(
            _all_of([self._text_query(corrected_request, language), *scope]), limit=1
        )
        return query.text() if found.count else None

    def suggest(
        self, prefix: str, *, locale: str, site: str | None, limit: int
    ) -> list[Suggestion]:
        try:
            return self._suggest(prefix, locale=locale, site=site, limit=limit)
        except (ValueError, OSError) as error:
            logger.warning("Embedded suggest failed: %s", error)
            raise SearchUnavailable("The search index cannot be read.") from error

    def _suggest(self, prefix: str, *, locale: str, site: str | None, limit: int):
        words = SPELL.analyze(prefix)
        if not words:
            return []
        complete, last = (words, None) if prefix[-1:].isspace() else (words[:-1], words[-1])
        clauses = [(Occur.Must, Query.term_query(SCHEMA, "title_words", w)) for w in complete]
        if last is not None:
            pattern = re.escape(last) + ".*"
            clauses.append((Occur.Must, Query.regex_query(SCHEMA, "title_words", pattern)))
        clauses.append((Occur.Must, Query.term_query(SCHEMA, "locale", locale)))
        if site:
            clauses.append((Occur.Must, Query.term_query(SCHEMA, "sites", site)))
        searcher = self._open().searcher()
        result = searcher.search(Query.boolean_query(clauses), limit=limit)
        suggestions = []
        for _score, address in result.hits:
            suggestions.append(Suggestion(**_stored(searcher.doc(address))))
        return suggestions

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
        try:
            return index.writer(heap_size=WRITER_HEAP, num_threads=1)
        except ValueError as error:
            # Another process holds the index's writer lock: the task is retried later.
            raise SearchUnavailable(
                "The search index is being written by another process."
            ) from error

    def _writable(self) -> Index:
        if not self.exists():
            folder = self._new_folder()
            _register(Index(SCHEMA, path=str(folder), reuse=False))
            self._point_current_at(folder)
        return self._open()

    def index_documents(self, documents: list[SearchDocument]) -> None:
        if not documents:
            return
        index = self._writable()
        writer = self._writer(index)
        for document in documents:
            writer.delete_documents_by_query(_id_query(document.id))
            writer.add_document(to_tantivy(document))
        writer.commit()
        writer.wait_merging_threads()

    def delete_documents(self, ids: list[int]) -> None:
        if not ids or not self.exists():
            return
        writer = self._writer(self._open())
        for page_id in ids:
            writer.delete_documents_by_query(_id_query(page_id))
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
        index = _register(Index(SCHEMA, path=str(folder), reuse=False))
        return _NewIndex(folder, index.writer(heap_size=WRITER_HEAP * 2, num_threads=1))

    def _fill(self, index: _NewIndex, documents: list[SearchDocument]) -> None:
        for document in documents:
            index.writer.add_document(to_tantivy(document))

    def _finish(self, index: _NewIndex) -> None:
        index.writer.commit()
        index.writer.wait_merging_threads()
        (index.folder / BUILT_MARKER).touch()

    def _swap(self, index: _NewIndex) -> list[str]:
        self._point_current_at(index.folder)
        # Every other folder: the index replaced, and any a crashed rebuild left behind.
        folders = (self.root / "indexes").iterdir()
        return [str(f.relative_to(self.root)) for f in folders if f != index.folder]

    def _drop(self, name: str) -> None:
        shutil.rmtree(self.root / name, ignore_errors=True)

    def _index_name(self, index: _NewIndex) -> str:
        return str(index.folder.relative_to(self.root))


# --- Query pieces ----------------------------------------------------------------------------


def _id_query(page_id: int) -> Query:
    # Not `delete_documents_by_term("id", ...)`: it takes a Python int for a signed integer
    # and silently deletes nothing from an unsigned field.
    return Query.term_query(SCHEMA, "id", page_id)


def _all_of(queries: list[Query]) -> Query:
    return Query.boolean_query([(Occur.Must, query) for query in queries])


def _word_query(name: str, word: str, language: str, boost: float, *, fuzzy: bool):
    tokens = ANALYZERS[language].pre_tokenize(word).tokens
    if not tokens:
        return None
    if len(tokens) > 1:  # "covid-19", "l'insécurité": the word's parts, in order
        words = [(token.position, token.text) for token in tokens]
        return Query.boost_query(Query.phrase_query(SCHEMA, name, words), boost)
    term = tokens[0].text
    exact = Query.boost_query(Query.term_query(SCHEMA, name, term), boost)
    distance = fuzzy_distance(term) if fuzzy else 0
    if not distance:
        return exact
    near = Query.fuzzy_term_query(SCHEMA, name, term, distance=distance)
    # A fuzzy match scores a constant: weighted low so exact words rank first.
    return Query.boolean_query(
        [(Occur.Should, exact), (Occur.Should, Query.boost_query(near, boost * FUZZY_WEIGHT))]
    )


def _spelling_candidates(searcher, word: str) -> list[tuple[str, int]]:
    # Words sharing the first letters (two for longer words) and about the same length: a
    # bounded list whatever the vocabulary, so a misspelt query stays cheap.
    prefix = word[:2] if len(word) > 4 else word[:1]
    terms = searcher.terms_with_prefix("spell", prefix, limit=MAX_SPELLING_CANDIDATES)
    return [(term, count) for term, count in terms if abs(len(term) - len(word)) <= 2]


def _spelling_queries(word: str) -> list[Query]:
    folded = SPELL.analyze(word)
    if len(folded) != 1 or not fuzzy_distance(folded[0]):
        return []
    near = Query.fuzzy_term_query(SCHEMA, "spell", folded[0], distance=fuzzy_distance(folded[0]))
    return [Query.boost_query(near, FUZZY_WEIGHT)]


def _phrase_query(name: str, text: str, language: str, boost: float):
    tokens = ANALYZERS[language].pre_tokenize(text).tokens
    if not tokens:
        return None
    if len(tokens) == 1:
        return Query.boost_query(Query.term_query(SCHEMA, name, tokens[0].text), boost)
    words = [(token.position, token.text) for token in tokens]
    return Query.boost_query(Query.phrase_query(SCHEMA, name, words), boost)


def _stored(doc: Document) -> dict:
    """What a hit and a suggestion both show of a document."""
    return {
        "id": doc.get_first("id"),
        "type": doc.get_first("type"),
        "title": doc.get_first("title"),
        "url": doc.get_first("url") or "",
    }


class _InThread:
    """`function(*args)` run in a thread of its own; `result()` waits for it and returns its
    value or raises its exception. A thread per call, not a pool: a pool made before a server
    forks its workers would hand them threads that no longer exist."""

    def __init__(self, function, *args) -> None:
        self._value = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = threading.Thread(
            target=self._run, args=(function, args), daemon=True
        )
        try:
            self._thread.start()
        except RuntimeError:  # no thread to be had (a process at its limit): run it here
            self._thread = None
            self._run(function, args)

    def _run(self, function, args) -> None:
        try:
            self._value = function(*args)
        except BaseException as error:  # handed to the caller by result()
            self._error = error

    def result(self):
        if self._thread is not None:
            self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


class _Snippets:
    """Highlighted fragments of one search's hits, from its title, summary, body and PDFs."""

    def __init__(self, searcher, query: Query, language: str) -> None:
        self.searcher = searcher
        self.query = query
        self.language = language
        self._generators: dict[str, SnippetGenerator] = {}

    def _generator(self, name: str) -> SnippetGenerator:
        if name not in self._generators:
            generator = SnippetGenerator.create(self.searcher, self.query, SCHEMA, name)
            generator.set_max_num_chars(FRAGMENT_SIZE)
            self._generators[name] = generator
        return self._generators[name]

    def for_document(self, doc: Document) -> list[Highlight]:
        highlights = []
        for base in ("title", "summary", "body"):
            fragment = self._fragment(doc, field_name(base, self.language))
            if fragment:
                highlights.append(Highlight(field=base, fragments=[fragment]))
        pdf = []
        for code in ANALYZED_LANGUAGES:
            if fragment := self._fragment(doc, field_name("pdf", code)):
                pdf.append(fragment)
                if len(pdf) == FRAGMENTS:
                    break
        if pdf:
            highlights.append(Highlight(field="pdf", fragments=pdf))
        return highlights

    def _fragment(self, doc: Document, name: str) -> str | None:
        if not doc.get_first(name):
            return None
        snippet = self._generator(name).snippet_from_doc(doc)
        ranges = snippet.highlighted()
        if not ranges:
            return None
        return mark(snippet.fragment(), [(r.start, r.end) for r in ranges])


def mark(fragment: str, byte_ranges: list[tuple[int, int]]) -> str:
    """HTML of a fragment with its matched words in <mark> (tantivy gives byte offsets)."""
    data = fragment.encode()
    parts, position = [], 0
    for start, end in sorted(byte_ranges):
        parts.append(html.escape(data[position:start].decode(errors="ignore")))
        parts.append("<mark>" + html.escape(data[start:end].decode(errors="ignore")) + "</mark>")
        position = end
    parts.append(html.escape(data[position:].decode(errors="ignore")))
    return "".join(parts)
