"""The vectors of hybrid search, as the index worker makes and the embedded engine keeps
them: cached by text, swapped with the index, updated with it, and a failing model leaving
pages lexical (logged, shown by `search_status`)."""

from __future__ import annotations

import io
import logging

import numpy as np
from django.core.management import call_command

from search import indexing
from search.engines import get_engine
from search.models import CachedEmbedding, EmbedderFailure
from search.query import SearchRequest, parse_query
from search.vectors import query_vector, texts_of
from tests.search.embedders import SessionUSEM3Embedder


def table():
    return get_engine()._vectors().table()


def lexical(text: str, locale: str = "en") -> list[str]:
    request = SearchRequest(query=parse_query(text), locale=locale)
    return [hit.title for hit in get_engine().search(request).hits]


def without_vectors() -> list[int]:
    return sorted(set(get_engine().versions()) - set(table().ids.tolist()))


def test_each_document_gets_its_metadata_and_pdf_vectors(hybrid, indexed):
    drugs = indexed["drugs"]
    vectors = table().vectors_of(drugs.pk)
    # Title, subtitle, summary and topics in one vector, the PDF's text in another.
    assert vectors.shape == (2, 512)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert sorted(table().ids.tolist()) == sorted(get_engine().versions())


def test_an_unchanged_document_is_not_embedded_again(hybrid, indexed, worker):
    SessionUSEM3Embedder.model_calls = 0
    indexing.rebuild()
    indexing.queue_pages([indexed["drugs"].pk])
    worker()
    assert SessionUSEM3Embedder.model_calls == 0


def test_an_edited_title_embeds_only_the_changed_text(hybrid, indexed, worker):
    page = indexed["drugs"]
    page.title = "Preventing drug-related harm"
    page.save_revision().publish()
    SessionUSEM3Embedder.model_calls = 0
    worker()
    # The metadata text changed; the PDF's chunk is the same text, found in the cache.
    assert SessionUSEM3Embedder.model_calls == 1
    assert (
        CachedEmbedding.objects.count()
        == len({t for doc in get_engine_documents() for t in texts_of(doc)}) + 1
    )


def get_engine_documents():
    from search.documents import iter_documents

    return list(iter_documents())


def test_the_vectors_are_in_the_new_folder_before_the_swap(hybrid, indexed, monkeypatch):
    engine = get_engine()
    swapped = []
    point = engine._point_current_at

    def spy(folder):
        swapped.append((folder, (folder / "vectors.json").exists()))
        point(folder)

    monkeypatch.setattr(engine, "_point_current_at", spy)
    old = engine.root / engine._current_target()
    indexing.rebuild()
    assert swapped == [(swapped[0][0], True)]
    assert not old.exists()
    assert sorted(table().ids.tolist()) == sorted(engine.versions())


def test_a_published_page_gets_vectors_and_an_unpublished_one_loses_them(
    hybrid, indexed, worker, publication_index
):
    from publications.factories import PublicationPageFactory

    before = get_engine()._vectors().generation()
    page = PublicationPageFactory(parent=publication_index, title="Street lighting and safety")
    page.save_revision().publish()
    worker()
    assert page.pk in table().ids.tolist()
    indexed["drugs"].unpublish()
    worker()
    assert indexed["drugs"].pk not in table().ids.tolist()
    files = get_engine()._vectors()
    now = files.generation()
    assert now >= before + 2
    # The generation before stays for readers still on it; older ones are gone.
    names = sorted(p.name for p in files.folder.glob("vectors-*.npy"))
    assert names == [f"vectors-{now - 1}.npy", f"vectors-{now}.npy"]


def test_a_model_that_fails_to_load_leaves_the_page_lexical(
    hybrid, indexed, worker, settings, caplog
):
    settings.SEARCH_EMBEDDER = "tests.search.embedders.BrokenEmbedder"
    page = indexed["drugs"]
    page.title = "Preventing drug harm in towns"
    with caplog.at_level(logging.ERROR, logger="search"):
        page.save_revision().publish()
        worker()
    assert "Preventing drug harm in towns" in lexical("towns")
    assert page.pk not in table().ids.tolist()
    assert "weights.npz is missing" in caplog.text
    failure = EmbedderFailure.objects.get()
    # The page, and those the worker indexed with it (they share a topic), have no vectors.
    assert failure.documents == len(without_vectors()) and failure.recovered_at is None
    output = io.StringIO()
    call_command("search_status", stdout=output)
    assert "Vectors: FAILING since" in output.getvalue()
    assert f"{failure.documents} document(s) indexed lexically only" in output.getvalue()


def test_reconcile_embeds_the_pages_indexed_without_vectors(hybrid, indexed, worker, settings):
    settings.SEARCH_EMBEDDER = "tests.search.embedders.BrokenEmbedder"
    page = indexed["drugs"]
    page.save_revision().publish()
    worker()
    settings.SEARCH_EMBEDDER = "tests.search.embedders.SessionUSEM3Embedder"
    missing = without_vectors()
    assert page.pk in missing
    result = indexing.reconcile()
    assert result["stale"] == missing
    assert without_vectors() == []
    assert EmbedderFailure.objects.get().recovered_at is not None


def test_without_vectors_enabled_no_vector_file_is_written(indexed):
    assert table() is None


def test_a_damaged_vector_file_leaves_search_lexical(hybrid, indexed):
    files = get_engine()._vectors()
    (files.folder / f"vectors-{files.generation()}.json").write_text("{not json")
    parsed = parse_query("drug")
    request = SearchRequest(query=parsed, locale="en", mode="hybrid", vector=query_vector(parsed))
    assert [hit.title for hit in get_engine().search(request).hits] == lexical("drug")


def test_a_query_the_model_fails_on_is_searched_by_its_words(settings, caplog):
    settings.SEARCH_VECTORS_ENABLED = True
    settings.SEARCH_EMBEDDER = "tests.search.embedders.FailingQueryEmbedder"

    with caplog.at_level(logging.ERROR, logger="search.vectors"):
        vector = query_vector(parse_query("a query nobody has asked before"))

    assert vector is None
    assert "Embedding the query failed" in caplog.text
