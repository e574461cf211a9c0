"""What hybrid search embeds, and when: per document (one page in one locale) a vector of its
title, subtitle, summary and topics, then one per chunk of the start of its PDF text (at most
SEARCH_VECTOR_PDF_CHUNKS). The index worker attaches them to the documents it indexes, never a
request that saves; each text's vector is cached by the text's hash (`CachedEmbedding`), so a
reindex embeds only what changed. A model that fails leaves the documents without vectors
(indexed lexically), logged and recorded for `search_status` (`EmbedderFailure`).

Queries are embedded here too, in the process that searches (`query_vector`).

A full rebuild notes every cache key its documents use (`UsedKeys`) and then deletes the
cached vectors no indexed document uses any more (`prune_cache`): an edited title's old
vector, a removed page's, another model's.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from .documents import SearchDocument
from .embeddings import EmbedderUnavailable, get_embedder, vectors_enabled
from .models import CachedEmbedding, EmbedderFailure
from .query import ParsedQuery

logger = logging.getLogger(__name__)

LOOKUP_BATCH = 500
QUERY_CACHE_SIZE = 2048


def metadata_text(document: SearchDocument) -> str:
    """The text of a document's first vector: what a reader sees of it in a list."""
    parts = [document.title, document.subtitle, document.summary, document.tags]
    return "\n".join(part.strip() for part in parts if part and part.strip())


def pdf_chunks(document: SearchDocument, limit: int, size: int) -> list[str]:
    """The first `limit` chunks of about `size` characters of the document's PDF text, taken
    in turn from each language's text (a French and an English PDF both count)."""
    per_language = [_chunks(text, size, limit) for _code, text in sorted(document.pdf_text.items())]
    chunks: list[str] = []
    for position in range(limit):
        for texts in per_language:
            if position < len(texts) and len(chunks) < limit:
                chunks.append(texts[position])
    return chunks


def _chunks(text: str, size: int, limit: int) -> list[str]:
    # Cut at a space near `size`, so no word is split between two chunks.
    chunks, start = [], 0
    text = " ".join(text.split())
    while start < len(text) and len(chunks) < limit:
        end = start + size
        if end < len(text):
            space = text.rfind(" ", start + size // 2, end)
            end = space if space > start else end
        chunks.append(text[start:end].strip())
        start = end + 1
    return [chunk for chunk in chunks if chunk]


def texts_of(document: SearchDocument) -> list[str]:
    """Every text embedded for a document, its metadata first."""
    chunks = pdf_chunks(
        document, settings.SEARCH_VECTOR_PDF_CHUNKS, settings.SEARCH_VECTOR_CHUNK_CHARS
    )
    return [metadata_text(document), *chunks]


def cache_key(model: str, text: str) -> str:
    return hashlib.sha256(f"{model}\0{text}".encode()).hexdigest()


def embed_cached(texts: list[str]) -> tuple[np.ndarray, int]:
    """The vectors of `texts` (cached ones read, the others embedded and stored) and how many
    were embedded; raises EmbedderUnavailable."""
    embedder = get_embedder()
    keys = [cache_key(embedder.name, text) for text in texts]
    found: dict[str, np.ndarray] = {}
    unique = list(dict.fromkeys(keys))
    for start in range(0, len(unique), LOOKUP_BATCH):
        rows = CachedEmbedding.objects.filter(pk__in=unique[start : start + LOOKUP_BATCH])
        for key, vector in rows.values_list("key", "vector"):
            found[key] = np.frombuffer(bytes(vector), dtype="<f4")
    missing = {key: text for key, text in zip(keys, texts, strict=True) if key not in found}
    if missing:
        try:
            made = embedder.embed(list(missing.values()))
        except Exception as error:  # a model that loads but cannot run degrades the same way
            raise EmbedderUnavailable(f"{embedder.name} failed to embed: {error}") from error
        rows = []
        for key, vector in zip(missing, made, strict=True):
            found[key] = vector.astype("<f4")
            rows.append(CachedEmbedding(key=key, vector=found[key].tobytes()))
        CachedEmbedding.objects.bulk_create(rows, ignore_conflicts=True)
    matrix = np.stack([found[key] for key in keys]) if keys else np.zeros((0, embedder.dimensions))
    return matrix.astype(np.float32), len(missing)


@dataclass
class UsedKeys:
    """The embedding cache's keys that a rebuild's documents use; `complete` turns False if
    any document went without vectors (its keys are unknown: nothing may be pruned then)."""

    keys: set[str] = field(default_factory=set)
    complete: bool = True


def attach_vectors(documents: list[SearchDocument], used: UsedKeys | None = None) -> int:
    """Give each document its vectors (`vectors`, `embedded_by`); returns how many texts were
    embedded (not found in the cache). Without a model, the documents stay as they are.
    `used`, if given, collects the cache keys of the documents' texts."""
    if not documents or not vectors_enabled():
        return 0
    texts = [texts_of(document) for document in documents]
    flat = [text for group in texts for text in group]
    try:
        matrix, embedded = embed_cached(flat)
        name = get_embedder().name
    except EmbedderUnavailable as error:
        _record_failure(str(error), len(documents))
        if used is not None:
            used.complete = False
        return 0
    if used is not None:
        used.keys.update(cache_key(name, text) for text in flat)
    start = 0
    for document, group in zip(documents, texts, strict=True):
        document.vectors = matrix[start : start + len(group)]
        document.embedded_by = name
        start += len(group)
    _record_recovery()
    return embedded


def with_vectors(
    documents: Iterable[SearchDocument], batch: int = 100, used: UsedKeys | None = None
) -> Iterator[SearchDocument]:
    """`documents`, with their vectors, embedded a batch at a time (a rebuild's stream)."""
    pending: list[SearchDocument] = []
    for document in documents:
        pending.append(document)
        if len(pending) == batch:
            attach_vectors(pending, used)
            yield from pending
            pending = []
    attach_vectors(pending, used)
    yield from pending


def prune_cache(used: UsedKeys, before: datetime.datetime) -> int:
    """Delete the cached vectors made before `before` whose keys `used` does not hold; how
    many. Those made since (by the worker, during the rebuild) are kept: they may be in use.
    Nothing is deleted when vectors are off or some documents went without (keys unknown)."""
    if not vectors_enabled() or not used.complete:
        return 0
    existing = CachedEmbedding.objects.filter(created_at__lt=before).values_list("key", flat=True)
    stale = [key for key in existing.iterator() if key not in used.keys]
    for start in range(0, len(stale), LOOKUP_BATCH):
        CachedEmbedding.objects.filter(pk__in=stale[start : start + LOOKUP_BATCH]).delete()
    if stale:
        logger.info("Search vectors: %s cached embedding(s) no document uses, deleted.", len(stale))
    return len(stale)


def _record_failure(message: str, documents: int) -> None:
    logger.error(
        "Search vectors: %s. %s document(s) indexed lexically only; once the model loads, "
        "`manage.py search_reconcile` embeds them.",
        message,
        documents,
    )
    failure = EmbedderFailure.objects.filter(recovered_at__isnull=True).first()
    if failure is None:
        EmbedderFailure.objects.all().delete()  # only the latest failure is of interest
        EmbedderFailure.objects.create(
            message=message[:500], failed_at=timezone.now(), documents=documents
        )
    else:
        EmbedderFailure.objects.filter(pk=failure.pk).update(
            message=message[:500], documents=F("documents") + documents
        )


def _record_recovery() -> None:
    EmbedderFailure.objects.filter(recovered_at__isnull=True).update(recovered_at=timezone.now())


def vectors_status() -> str:
    """One line for `search_status`: whether pages get vectors, and the last failure."""
    if not vectors_enabled():
        return "Vectors: off (SEARCH_VECTORS_ENABLED)"
    failure = EmbedderFailure.objects.order_by("-failed_at").first()
    if failure is None:
        return f"Vectors: on ({settings.SEARCH_EMBEDDER}), no failure recorded"
    when = f"{failure.failed_at:%Y-%m-%d %H:%M:%S}"
    if failure.recovered_at is None:
        return (
            f"Vectors: FAILING since {when}: {failure.message}; {failure.documents} document(s) "
            "indexed lexically only (search_reconcile embeds them once the model loads)"
        )
    return (
        f"Vectors: on; the model failed at {when} ({failure.message}) and worked again at "
        f"{failure.recovered_at:%Y-%m-%d %H:%M:%S}; run search_reconcile if "
        f"{failure.documents} document(s) indexed meanwhile are still without vectors"
    )


def query_vector(query: ParsedQuery) -> np.ndarray | None:
    """The vector of a search's words, or None (vectors off, or no model: search lexically)."""
    if not vectors_enabled() or not query.words:
        return None
    try:
        return _query_vector(settings.SEARCH_EMBEDDER, " ".join(query.words))
    except EmbedderUnavailable:
        return None
    except Exception:
        # A model that breaks on some input must not break the search: its words still match.
        logger.exception("Embedding the query failed; searching by its words only")
        return None


@lru_cache(maxsize=QUERY_CACHE_SIZE)
def _query_vector(embedder_path: str, text: str) -> np.ndarray:
    # Keyed by the setting too: a test or deployment that swaps the model gets new vectors.
    vector = get_embedder().embed([text])[0]
    vector.setflags(write=False)
    return vector
