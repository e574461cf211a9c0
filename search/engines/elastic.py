"""The Elasticsearch engine: one concrete index per rebuild, behind the alias `index_name`.

Every request body is built by a pure function (`index_definition`, `document_body`,
`alias_actions`, `search_body`, `suggest_body`) so the tests compare them exactly without a
server. Every client error becomes `SearchUnavailable`: the real error is logged, and the
message the public may see names no host, port or trace.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from elasticsearch import ApiError, Elasticsearch, TransportError
from elasticsearch.dsl import (
    Date,
    Index,
    Integer,
    Keyword,
    Long,
    Mapping,
    SearchAsYouType,
    Text,
    analyzer,
    token_filter,
)
from elasticsearch.helpers import BulkIndexError, ScanError, bulk, scan

from ..analysis import (
    ANALYZED_LANGUAGES,
    BOOSTS,
    ELISIONS,
    FACET_FIELDS,
    FACET_SIZE,
    FRAGMENT_SIZE,
    FRAGMENTS,
    FUZZY_WEIGHT,
    HIGHLIGHT_FIELDS,
    KEYWORDS,
    SNOWBALL,
    SPELL_FIELDS,
    TEXT_FIELDS,
    TIE_BREAKER,
    analysis_language,
    field_name,
)
from ..documents import SearchDocument
from ..query import (
    FACETS,
    Highlight,
    Hit,
    ParsedQuery,
    SearchRequest,
    SearchResponse,
    SearchUnavailable,
    Suggestion,
)
from .base import (
    BaseSearchEngine,
    counted_with,
    facets_from,
    stored_date,
    terms_aggregation,
)

logger = logging.getLogger(__name__)

UNAVAILABLE = "The search engine is unavailable."
BULK_CHUNK = 500
# Highlighting a text longer than the index's limit (1,000,000 characters) fails the whole
# search, unless the request sets a lower cap: then only the text's start is highlighted.
HIGHLIGHT_MAX_OFFSET = 999_999
HIT_SOURCE = ["id", "type", "title", "url", "date"]
SUGGEST_FIELDS = ["title_suggest", "title_suggest._2gram", "title_suggest._3gram"]
DATE_DESC = {"date": {"order": "desc", "missing": "_last"}}


def _text_analyzer(language: str):
    """Stemmed, accent-folded text of one language, in the embedded engine's order."""
    filters: list[Any] = []
    if language in ELISIONS:
        filters.append(
            token_filter(
                f"elision_{language}",
                "elision",
                articles=ELISIONS[language],
                articles_case=True,
            )
        )
    filters += [
        "lowercase",
        token_filter(f"stop_{language}", "stop", stopwords=f"_{SNOWBALL[language]}_"),
        "asciifolding",
        token_filter(f"stem_{language}", "snowball", language=SNOWBALL[language].capitalize()),
    ]
    return analyzer(f"text_{language}", tokenizer="standard", filter=filters)


# Words as typed, only folded: what did-you-mean proposes and search-as-you-type matches.
SPELL = analyzer("spell", tokenizer="standard", filter=["lowercase", "asciifolding"])


def index_definition(name: str) -> Index:
    """The settings, analyzers and strict mapping of one concrete index."""
    mapping = Mapping()
    # A field the mapping does not know is a bug to refuse, not a guess to store.
    mapping.meta("dynamic", "strict")
    mapping.field("id", Long())
    for keyword in (*KEYWORDS, "version"):
        mapping.field(keyword, Keyword())
    mapping.field("year", Integer())
    mapping.field("date", Date())
    # Shown, never searched: the title is searched through title_<language>.
    mapping.field("title", Keyword(index=False))
    mapping.field("url", Keyword(index=False))
    for language in ANALYZED_LANGUAGES:
        text = _text_analyzer(language)
        for base in (*TEXT_FIELDS, "pdf"):
            mapping.field(field_name(base, language), Text(analyzer=text))
    mapping.field("spell", Text(analyzer=SPELL))
    mapping.field("title_suggest", SearchAsYouType(analyzer=SPELL))

    index = Index(name)
    # One shard: a catalogue of thousands of pages, and scores and spelling statistics that
    # do not vary with the shard a page lands on.
    index.settings(number_of_shards=1)
    index.mapping(mapping)
    return index


def document_body(doc: SearchDocument) -> dict[str, Any]:
    """The indexed source of one page: its own text in its language, each PDF in its own."""
    language = doc.text_language
    body: dict[str, Any] = {
        "id": doc.id,
        "type": doc.type,
        "kind": doc.kind,
        "locale": doc.locale,
        "sites": list(doc.sites),
        "topics": list(doc.topics),
        "languages": list(doc.languages),
        "version": doc.version(),
        "year": doc.year,
        "date": doc.date.isoformat() if doc.date else None,
        "title": doc.title,
        "url": doc.url,
    }
    for base in TEXT_FIELDS:
        value = getattr(doc, base)
        if value:
            body[field_name(base, language)] = value
    for code, text in doc.pdf_text.items():
        if not text:
            continue
        # The strict mapping has pdf fields for analyzed languages only.
        name = field_name("pdf", analysis_language(code, language))
        body[name] = f"{body[name]}\n{text}" if name in body else text
    body["spell"] = [value for base in SPELL_FIELDS if (value := getattr(doc, base))]
    body["title_suggest"] = doc.title
    return body


def alias_actions(alias: str, old_indexes: list[str], new_index: str) -> list[dict[str, Any]]:
    """One `update_aliases` call's actions: the alias leaves the old indexes for the new one."""
    actions: list[dict[str, Any]] = [
        {"remove": {"index": old, "alias": alias}} for old in sorted(old_indexes)
    ]
    actions.append({"add": {"index": new_index, "alias": alias}})
    return actions


def _fields(language: str) -> list[str]:
    fields = [f"{field_name(base, language)}^{BOOSTS[base]:g}" for base in TEXT_FIELDS]
    # PDF text of every language: a French report of an English page is found in English.
    fields.append(f"pdf_*^{BOOSTS['pdf']:g}")
    return fields


def _scope(locale: str, site: str | None) -> list[dict[str, Any]]:
    scope: list[dict[str, Any]] = [{"term": {"locale": locale}}]
    if site:
        scope.append({"term": {"sites": site}})
    return scope


def _facet_filters(request: SearchRequest) -> dict[str, dict[str, Any]]:
    filters: dict[str, dict[str, Any]] = {}
    for name, value in request.filters().items():
        if name == "year":
            lower, upper = value
            bounds = {}
            if lower is not None:
                bounds["gte"] = lower
            if upper is not None:
                bounds["lte"] = upper
            filters[name] = {"range": {"year": bounds}}
        else:
            filters[name] = {"terms": {FACET_FIELDS[name]: list(value)}}
    return filters


def _all_of(filters: list[dict[str, Any]]) -> dict[str, Any]:
    return {"bool": {"filter": filters}} if filters else {"match_all": {}}


def search_body(request: SearchRequest) -> dict[str, Any]:
    """The whole search request. The user's words only ever reach Elasticsearch as the
    `query` text of `multi_match` queries, never as a query syntax."""
    language = analysis_language(request.locale)
    fields = _fields(language)
    parsed = request.query
    must: list[dict[str, Any]] = [
        {
            "multi_match": {
                "query": word,
                "type": "best_fields",
                # As in the embedded engine: a typo in a long word is matched on the words as
                # written too, where it is one edit away (on the stems it can be three).
                "fields": [*fields, f"spell^{FUZZY_WEIGHT:g}"],
                "tie_breaker": TIE_BREAKER,
                "fuzziness": "AUTO",
                "prefix_length": 1,
                "operator": "and",
            }
        }
        for word in parsed.words
    ]
    must += [
        {"multi_match": {"query": " ".join(phrase), "type": "phrase", "fields": fields}}
        for phrase in parsed.phrases
    ]
    must_not = [{"multi_match": {"query": word, "fields": fields}} for word in parsed.excluded]
    query: dict[str, Any] = {"must": must, "filter": _scope(request.locale, request.site)}
    if must_not:
        query["must_not"] = must_not

    # Facet filters narrow the hits (post_filter) but not the counts: each facet is counted
    # with every other facet's filter, so a user can still see and pick a sibling value.
    filters = _facet_filters(request)
    aggs = {
        facet: {
            "filter": _all_of([filters[name] for name in counted_with(facet, filters)]),
            "aggs": {"values": terms_aggregation(facet)},
        }
        for facet in FACETS
    }
    fragments = {"fragment_size": FRAGMENT_SIZE, "number_of_fragments": FRAGMENTS}
    body: dict[str, Any] = {
        "query": {"bool": query},
        "aggs": aggs,
        "highlight": {
            "pre_tags": ["<mark>"],
            "post_tags": ["</mark>"],
            "encoder": "html",
            "max_analyzed_offset": HIGHLIGHT_MAX_OFFSET,
            "fields": {
                field_name("title", language): {"number_of_fragments": 0},
                field_name("summary", language): fragments,
                field_name("body", language): fragments,
                "pdf_*": fragments,
            },
        },
        "sort": ["_score", DATE_DESC] if request.sort == "relevance" else [DATE_DESC, "_score"],
        "from": request.offset,
        "size": request.per_page,
        "track_total_hits": True,
        "_source": HIT_SOURCE,
    }
    if filters:
        body["post_filter"] = _all_of(list(filters.values()))
    if parsed.words:
        # Plain words only, as the embedded engine: a phrase is quoted to be taken as typed.
        body["suggest"] = {
            "text": " ".join(parsed.words),
            "spell": {"term": {"field": "spell", "suggest_mode": "missing"}},
        }
    return body


def suggest_body(prefix: str, *, locale: str, site: str | None, limit: int) -> dict[str, Any]:
    """Titles that start with the words typed so far (the last one may be incomplete)."""
    return {
        "query": {
            "bool": {
                "must": [
                    {
                        "multi_match": {
                            "query": prefix,
                            "type": "bool_prefix",
                            "fields": SUGGEST_FIELDS,
                            # Every word typed must be in the title, as in the embedded engine.
                            "operator": "and",
                        }
                    }
                ],
                "filter": _scope(locale, site),
            }
        },
        "size": limit,
        "_source": ["id", "type", "title", "url"],
    }


def _highlights(found: dict[str, list[str]]) -> list[Highlight]:
    by_base: dict[str, list[str]] = {}
    # pdf_* may highlight several languages: the fields' order makes the result stable.
    for name in sorted(found):
        base = name.rsplit("_", 1)[0]
        by_base.setdefault(base, []).extend(found[name])
    highlights = []
    for base in HIGHLIGHT_FIELDS:
        if by_base.get(base):
            fragments = by_base[base] if base == "title" else by_base[base][:FRAGMENTS]
            highlights.append(Highlight(field=base, fragments=fragments))
    return highlights


def suggestion_text(parsed: ParsedQuery, entries: list[dict[str, Any]]) -> str | None:
    """The query with misspelt words replaced by the term suggester's best option, or None.

    `entries` are the suggester's answer for the text `" ".join(parsed.words)`: a word is
    replaced only when it is one token (as in the embedded engine).
    """
    corrections: dict[int, str] = {}
    for entry in entries:
        if entry.get("options"):
            corrections[entry["offset"]] = entry["options"][0]["text"]
    words = list(parsed.words)
    changed = False
    offset = 0
    for position, word in enumerate(words):
        correction = corrections.get(offset)
        tokens_at = [e for e in entries if offset <= e["offset"] < offset + len(word)]
        if correction and len(tokens_at) == 1 and tokens_at[0]["length"] == len(word):
            words[position] = correction
            changed = True
        offset += len(word) + 1
    if not changed:
        return None
    return ParsedQuery(tuple(words), parsed.phrases, parsed.excluded).text()


def _index_action(index: str, doc: SearchDocument) -> dict[str, Any]:
    return {"_op_type": "index", "_index": index, "_id": doc.id, "_source": document_body(doc)}


def _describe(error: Exception) -> str:
    if isinstance(error, BulkIndexError):
        # The failed items carry whole documents (PDF text): log what went wrong only.
        first = next(iter(error.errors[0].values()), {}) if error.errors else {}
        return f"{error} First: status {first.get('status')}, {first.get('error')}"
    return repr(error)


class ElasticsearchEngine(BaseSearchEngine[str]):
    """The search engine on an Elasticsearch 8 cluster at `url`, behind the alias `index_name`.

    The client never retries: a search must fail fast, and the task worker retries writes
    with backoff. Timeouts are read from the settings at each call.
    """

    name = "elasticsearch"
    rebuild_chunk = BULK_CHUNK

    def __init__(self, url: str, *, index_name: str) -> None:
        self.index_name = index_name
        # No request is made here: connecting happens on the first call.
        self._client = Elasticsearch(url, max_retries=0, retry_on_timeout=False)

    def _reader(self) -> Elasticsearch:
        timeout = float(getattr(settings, "SEARCH_TIMEOUT_SECONDS", 3))
        return self._client.options(request_timeout=timeout)

    def _writer(self) -> Elasticsearch:
        timeout = float(getattr(settings, "SEARCH_WRITE_TIMEOUT_SECONDS", 10))
        return self._client.options(request_timeout=timeout)

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        try:
            yield
        except (ApiError, TransportError, BulkIndexError, ScanError) as error:
            logger.warning("Elasticsearch could not %s: %s", action, _describe(error))
            # Not chained: the cause names the host, and the message is shown to the public.
            raise SearchUnavailable(UNAVAILABLE) from None

    # --- Reading -------------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResponse:
        with self._errors("search"):
            response = self._reader().search(index=self.index_name, body=search_body(request))
        hits = [
            Hit(
                id=int(hit["_source"]["id"]),
                type=hit["_source"]["type"],
                title=hit["_source"]["title"],
                url=hit["_source"].get("url") or "",
                date=stored_date(hit["_source"].get("date")),
                # Sorted by date, scores are not computed (nor in the embedded engine).
                score=float(hit.get("_score") or 0.0) if request.sort == "relevance" else 0.0,
                highlights=_highlights(hit.get("highlight", {})),
            )
            for hit in response["hits"]["hits"]
        ]
        aggregations = response.get("aggregations", {})
        facets = facets_from({f: aggregations[f]["values"]["buckets"] for f in FACETS})
        entries = response.get("suggest", {}).get("spell", [])
        return SearchResponse(
            total=int(response["hits"]["total"]["value"]),
            hits=hits,
            facets=facets,
            suggestion=suggestion_text(request.query, entries) if entries else None,
        )

    def suggest(
        self, prefix: str, *, locale: str, site: str | None, limit: int
    ) -> list[Suggestion]:
        """Titles for search-as-you-type, best first."""
        if not any(character.isalnum() for character in prefix):
            return []
        body = suggest_body(prefix, locale=locale, site=site, limit=limit)
        with self._errors("suggest"):
            response = self._reader().search(index=self.index_name, body=body)
        return [
            Suggestion(
                id=int(hit["_source"]["id"]),
                type=hit["_source"]["type"],
                title=hit["_source"]["title"],
                url=hit["_source"].get("url") or "",
            )
            for hit in response["hits"]["hits"]
        ]

    def versions(self) -> dict[int, str]:
        """Every indexed page id with its document's version (a scroll over the alias)."""
        with self._errors("list versions"):
            return {
                int(hit["_id"]): hit["_source"]["version"]
                for hit in scan(
                    self._writer(),
                    index=self.index_name,
                    query={"query": {"match_all": {}}, "_source": ["version"]},
                    size=1000,
                )
            }

    def counts_by_type(self) -> dict[str, int]:
        """How many documents the index holds per content type."""
        body = {"size": 0, "aggs": {"type": {"terms": {"field": "type", "size": FACET_SIZE}}}}
        with self._errors("count documents"):
            response = self._reader().search(index=self.index_name, body=body)
        buckets = response["aggregations"]["type"]["buckets"]
        return {bucket["key"]: int(bucket["doc_count"]) for bucket in buckets}

    def exists(self) -> bool:
        """Whether the alias exists (it points at a filled index once a rebuild is done)."""
        with self._errors("check the index"):
            return bool(self._reader().indices.exists_alias(name=self.index_name))

    # was_built() is exists(): an index the first update created is not told apart from a
    # rebuilt one (run `search_reindex` when deploying).

    # --- Writing -------------------------------------------------------------------------

    def _new_index_name(self) -> str:
        return f"{self.index_name}-{self.timestamp()}"

    def _create_index_named(self, client: Elasticsearch, name: str, **extra: Any) -> None:
        definition = index_definition(name).to_dict()
        index_settings = {**definition["settings"], **extra.pop("settings", {})}
        client.indices.create(
            index=name, settings=index_settings, mappings=definition["mappings"], **extra
        )

    def _alias_targets(self, client: Elasticsearch) -> list[str]:
        if not client.indices.exists_alias(name=self.index_name):
            return []
        return list(client.indices.get_alias(name=self.index_name).body)

    def _ensure_alias(self, client: Elasticsearch) -> None:
        # A write before any rebuild: without this, Elasticsearch would create an index named
        # like the alias with guessed field types.
        if not client.indices.exists_alias(name=self.index_name):
            self._create_index_named(client, self._new_index_name(), aliases={self.index_name: {}})

    def index_documents(self, documents: list[SearchDocument]) -> None:
        """Add or replace these documents (by page id), visible to searches on return."""
        if not documents:
            return
        client = self._writer()
        with self._errors("index documents"):
            self._ensure_alias(client)
            bulk(
                client,
                (_index_action(self.index_name, doc) for doc in documents),
                chunk_size=BULK_CHUNK,
                # As in the embedded engine: a page is searchable once its task is done.
                refresh="wait_for",
            )

    def delete_documents(self, ids: list[int]) -> None:
        """Remove the documents of these page ids; ids not in the index are ignored."""
        if not ids:
            return
        client = self._writer()
        with self._errors("delete documents"):
            if not client.indices.exists_alias(name=self.index_name):
                return
            bulk(
                client,
                ({"_op_type": "delete", "_index": self.index_name, "_id": id_} for id_ in ids),
                chunk_size=BULK_CHUNK,
                refresh="wait_for",
                # A page that was never indexed: nothing to delete, not an error.
                ignore_status=(404,),
            )

    # --- The rebuild's steps (the template is BaseSearchEngine.rebuild) --------------------

    def _create_index(self) -> str:
        name = self._new_index_name()
        # No refreshes while filling: one at the end makes every document visible.
        self._create_index_named(self._writer(), name, settings={"refresh_interval": "-1"})
        return name

    def _fill(self, index: str, documents: list[SearchDocument]) -> None:
        bulk(self._writer(), (_index_action(index, doc) for doc in documents))

    def _finish(self, index: str) -> None:
        client = self._writer()
        client.indices.put_settings(index=index, settings={"index": {"refresh_interval": None}})
        client.indices.refresh(index=index)

    def _swap(self, index: str) -> list[str]:
        client = self._writer()
        old = self._alias_targets(client)
        client.indices.update_aliases(actions=alias_actions(self.index_name, old, index))
        return old

    def _index_name(self, index: str) -> str:
        return index

    def _drop(self, name: str) -> None:
        # Best effort: a leftover index costs disk, not correctness (the alias is elsewhere).
        try:
            self._writer().indices.delete(index=name, ignore_unavailable=True)
        except (ApiError, TransportError) as error:
            logger.warning("Elasticsearch could not delete index %s: %r", name, error)
