"""The embedding cache pruned at the end of a full rebuild (`search_reindex`): the vectors no
indexed document uses any more are deleted, those in use (and those made while the rebuild
ran) are kept, and nothing is deleted when the model failed (the keys in use are unknown)."""

from __future__ import annotations

import datetime
import io

from django.core.management import call_command
from django.utils import timezone

from search import indexing
from search.documents import iter_documents
from search.models import CachedEmbedding
from search.vectors import UsedKeys, cache_key, prune_cache, texts_of
from tests.search.embedders import SessionUSEM3Embedder


def keys_in_use() -> set[str]:
    name = SessionUSEM3Embedder.name
    return {cache_key(name, text) for doc in iter_documents() for text in texts_of(doc)}


def cached_keys() -> set[str]:
    return set(CachedEmbedding.objects.values_list("key", flat=True))


def stale_row(text: str = "a text no page has any more") -> str:
    key = cache_key(SessionUSEM3Embedder.name, text)
    CachedEmbedding.objects.create(key=key, vector=b"\0" * 2048)
    return key


def test_a_rebuild_deletes_the_vectors_no_document_uses(hybrid, indexed, worker):
    page = indexed["drugs"]
    page.title = "Preventing drug-related harm"
    page.save_revision().publish()
    worker()  # embeds the new title; the old title's vector stays in the cache
    assert cached_keys() > keys_in_use()
    removed = stale_row()

    SessionUSEM3Embedder.model_calls = 0
    result, _replayed = indexing.rebuild()

    assert cached_keys() == keys_in_use()
    assert removed not in cached_keys()
    assert result.pruned_embeddings == 2  # the old title's vector and the orphan row
    assert SessionUSEM3Embedder.model_calls == 0  # nothing in use was deleted and re-embedded


def test_search_reindex_says_how_many_it_deleted(hybrid, indexed):
    stale_row()
    output = io.StringIO()
    call_command("search_reindex", stdout=output)
    assert "; 1 cached embeddings no document uses deleted." in output.getvalue()
    assert cached_keys() == keys_in_use()


def test_nothing_is_deleted_when_the_model_failed(hybrid, indexed, settings):
    removed = stale_row()
    before = cached_keys()
    settings.SEARCH_EMBEDDER = "tests.search.embedders.BrokenEmbedder"

    result, _replayed = indexing.rebuild()

    assert result.pruned_embeddings == 0
    assert cached_keys() == before and removed in before


def test_vectors_made_while_the_rebuild_ran_are_kept(hybrid, indexed):
    made_during = stale_row()
    started = timezone.now() - datetime.timedelta(minutes=1)
    assert prune_cache(UsedKeys(), started) == 0
    assert made_during in cached_keys()
    assert prune_cache(UsedKeys(), timezone.now() + datetime.timedelta(seconds=1)) > 0
    assert made_during not in cached_keys()


def test_nothing_is_pruned_with_vectors_off(indexed, settings):
    stale_row()
    settings.SEARCH_VECTORS_ENABLED = False
    assert indexing.rebuild()[0].pruned_embeddings == 0
    assert CachedEmbedding.objects.count() == 1
