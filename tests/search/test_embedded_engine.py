"""The embedded engine's index operations, below the GraphQL layer."""

import dataclasses
import datetime
import threading

import pytest

from search.documents import SearchDocument
from search.engines import get_engine
from search.query import SearchRequest, SearchUnavailable, parse_query


def document(page_id: int, title: str) -> SearchDocument:
    return SearchDocument(
        id=page_id,
        type="publication",
        kind="report",
        locale="en",
        title=title,
        url=f"/publications/{page_id}/",
        sites=["localhost"],
        date=datetime.date(2024, 1, 1),
    )


def found(text: str) -> list[int]:
    response = get_engine().search(SearchRequest(query=parse_query(text), locale="en"))
    return [hit.id for hit in response.hits]


def test_indexing_a_page_again_replaces_its_document(db):
    engine = get_engine()
    engine.index_documents([document(7, "Old title on prevention")])
    engine.index_documents([document(7, "New title on prevention")])
    assert found("prevention") == [7]
    assert found("old") == []
    assert engine.counts_by_type() == {"publication": 1}


def test_deleting_a_document_removes_it(db):
    engine = get_engine()
    engine.index_documents([document(7, "Prevention"), document(8, "Prevention again")])
    engine.delete_documents([7, 99])
    assert found("prevention") == [8]


def test_a_rebuild_swaps_the_whole_index(db):
    engine = get_engine()
    engine.index_documents([document(7, "Before the rebuild")])
    result = engine.rebuild([document(8, "After the rebuild")])
    assert result.documents == 1
    assert found("rebuild") == [8]


def test_a_rebuild_reports_progress_every_hundred_documents_and_at_the_end(db):
    seen: list[int] = []
    result = get_engine().rebuild((document(i, "Progress") for i in range(1, 251)), seen.append)
    assert (result.documents, seen) == (250, [100, 200, 250])


def test_a_failed_rebuild_drops_its_new_folder_and_leaves_the_old_index_in_use(db):
    engine = get_engine()
    old = engine.rebuild([document(7, "Before the rebuild")]).index_name

    def broken_documents():
        yield document(8, "Half a rebuild")
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        engine.rebuild(broken_documents())
    assert found("rebuild") == [7]
    assert [str(f.relative_to(engine.root)) for f in (engine.root / "indexes").iterdir()] == [old]


def test_versions_report_a_page_indexed_twice_as_stale(db):
    engine = get_engine()
    engine.rebuild([document(7, "Twice"), document(7, "Twice")])
    assert engine.versions() == {7: "duplicate"}


def test_pdf_highlights_are_the_first_two_languages_that_match(db):
    get_engine().index_documents(
        [
            dataclasses.replace(
                document(7, "A report"),
                pdf_text={
                    "pt": "Rotterdam em português",
                    "de": "Rotterdam auf Deutsch",
                    "fr": "Rotterdam en français",
                    "en": "Rotterdam in English",
                },
            )
        ]
    )
    response = get_engine().search(SearchRequest(query=parse_query("rotterdam"), locale="en"))
    [pdf] = [h for h in response.hits[0].highlights if h.field == "pdf"]
    # In the engine's language order (en, fr, es, it, de, pt), stopping at two.
    assert pdf.fragments == [
        "<mark>Rotterdam</mark> in English",
        "<mark>Rotterdam</mark> en français",
    ]
    assert response.hits[0].id == 7


def test_a_failure_while_counting_facets_makes_the_search_unavailable(db, monkeypatch):
    engine = get_engine()
    engine.index_documents([document(7, "Prevention")])

    def damaged(*_args):
        raise ValueError("a segment file is unreadable")

    # Facets are counted in a thread of their own: its error must still reach the caller.
    monkeypatch.setattr(type(engine), "_facets", damaged)
    with pytest.raises(SearchUnavailable):
        engine.search(SearchRequest(query=parse_query("prevention"), locale="en"))


def test_facets_are_counted_in_place_when_no_thread_can_start(db, monkeypatch):
    engine = get_engine()
    engine.index_documents([document(7, "Prevention"), document(8, "Prevention again")])

    def refused(self):
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threading.Thread, "start", refused)
    response = engine.search(SearchRequest(query=parse_query("prevention"), locale="en"))

    [kinds] = [facet.values for facet in response.facets if facet.name == "kind"]
    assert [(value.value, value.count) for value in kinds] == [("report", 2)]
