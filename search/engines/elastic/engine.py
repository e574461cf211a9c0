"""`ElasticsearchEngine`: one concrete index per rebuild, behind the alias `index_name`.
Every client error becomes `SearchUnavailable`: the real error is logged, and the message the
public may see names no host, port or trace.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from elasticsearch import ApiError, Elasticsearch, TransportError
from elasticsearch.dsl import Q, Search
from elasticsearch.helpers import BulkIndexError, ScanError, bulk, scan

from ...documents import SearchDocument
from ...query import FACETS, Hit, SearchRequest, SearchResponse, SearchUnavailable, Suggestion
from ...ranking import fuse
from ..base import (
    BaseSearchEngine,
    facets_from,
    stored_date,
    summary_highlight,
    terms_aggregation,
)
from .documents import alias_actions, index_action, index_definition
from .hybrid import SEMANTIC_LIVE, hybrid_body, knn_body, similar_body, summary_of
from .queries import highlights, search_body, suggest_body, suggestion_text

logger = logging.getLogger(__name__)

UNAVAILABLE = "The search engine is unavailable."
BULK_CHUNK = 500


def _hit(hit: dict[str, Any], score: float, summary: str | None = None) -> Hit:
    source = hit["_source"]
    return Hit(
        id=int(source["id"]),
        type=source["type"],
        title=source["title"],
        url=source.get("url") or "",
        date=stored_date(source.get("date")),
        score=score,
        highlights=(
            summary_highlight(summary)
            if summary is not None
            else highlights(hit.get("highlight", {}))
        ),
    )


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
        if request.hybrid:
            with self._errors("search by meaning"):
                knn = self._reader().search(index=self.index_name, body=knn_body(request))
            semantic = {int(hit["_source"]["id"]): hit for hit in knn["hits"]["hits"]}
            if semantic:
                return self._hybrid(request, semantic)
        with self._errors("search"):
            response = self._reader().search(index=self.index_name, body=search_body(request))
        hits = [
            # Sorted by date, no score is reported (by either engine).
            _hit(hit, float(hit.get("_score") or 0.0) if request.sort == "relevance" else 0.0)
            for hit in response["hits"]["hits"]
        ]
        return self._response(request, response, hits)

    def _hybrid(self, request: SearchRequest, semantic: dict[int, dict]) -> SearchResponse:
        """Words or meaning (hybrid.py): the page fused from the lexical ranking and the
        semantic matches that pass every filter."""
        body = hybrid_body(request, list(semantic))
        with self._errors("search"):
            response = self._reader().search(index=self.index_name, body=body)
        found = response["hits"]["hits"]
        if request.sort != "relevance":
            return self._response(request, response, [_hit(hit, 0.0) for hit in found])
        buckets = response["aggregations"][SEMANTIC_LIVE]["ids"]["buckets"]
        live = {int(bucket["key"]) for bucket in buckets}
        lexical = {int(h["_source"]["id"]): h for h in found if (h.get("_score") or 0) > 0}
        ranking = fuse([list(lexical), [page_id for page_id in semantic if page_id in live]])
        hits = []
        for page_id, score in ranking[request.offset : request.offset + request.per_page]:
            if page_id in lexical:
                hits.append(_hit(lexical[page_id], score))
            else:
                # Found by meaning alone: no word to mark, its summary shows.
                source = semantic[page_id]["_source"]
                hits.append(_hit(semantic[page_id], score, summary_of(source, request.locale)))
        return self._response(request, response, hits)

    def _response(
        self, request: SearchRequest, response: dict[str, Any], hits: list[Hit]
    ) -> SearchResponse:
        aggregations = response.get("aggregations", {})
        facets = facets_from({f: aggregations[f]["values"]["buckets"] for f in FACETS})
        entries = response.get("suggest", {}).get("spell", [])
        return SearchResponse(
            total=int(response["hits"]["total"]["value"]),
            hits=hits,
            facets=facets,
            suggestion=suggestion_text(request.query, entries) if entries else None,
        )

    def similar(
        self, page_ids: list[int], *, types: tuple[str, ...], limit: int
    ) -> dict[int, list[int]]:
        """The nearest pages by each page's first (metadata) vector, in its locale and on its
        sites: the pages' vectors in one request (`mget`), their searches in another
        (`msearch`), whatever the number of pages."""
        found: dict[int, list[int]] = {page_id: [] for page_id in page_ids}
        if not found:
            return found
        with self._errors("find similar pages"):
            stored = self._reader().mget(
                index=self.index_name,
                ids=[str(page_id) for page_id in found],
                source_includes=["passages", "locale", "sites"],
            )
            asked = [
                (int(doc["_id"]), doc["_source"])
                for doc in stored["docs"]
                if doc.get("found") and doc["_source"].get("passages")
            ]
            if not asked:
                return found
            searches: list[dict[str, Any]] = []
            for page_id, source in asked:
                searches.append({"index": self.index_name})
                searches.append(
                    similar_body(
                        source["passages"][0]["vector"],
                        page_id=page_id,
                        locale=source["locale"],
                        sites=source.get("sites") or [],
                        types=types,
                        limit=limit,
                    )
                )
            answers = self._reader().msearch(searches=searches)["responses"]
        for (page_id, _source), answer in zip(asked, answers, strict=True):
            if "error" in answer:
                raise SearchUnavailable(f"Similar pages of page {page_id}: {answer['error']}")
            found[page_id] = [int(hit["_source"]["id"]) for hit in answer["hits"]["hits"]]
        return found

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
                    query=Search().query(Q("match_all")).source(["version"]).to_dict(),
                    size=1000,
                )
            }

    def counts_by_type(self) -> dict[str, int]:
        """How many documents the index holds per content type."""
        search = Search().extra(size=0)
        search.aggs.bucket("type", terms_aggregation("type"))
        body = search.to_dict()
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
                (index_action(self.index_name, doc) for doc in documents),
                chunk_size=BULK_CHUNK,
                # Searchable on return, as index_documents promises: once its task is done.
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
        bulk(self._writer(), (index_action(index, doc) for doc in documents))

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
