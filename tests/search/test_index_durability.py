"""The index updates' outbox under engine outages: a publish never waits on the engine, a
failed update is recorded and retried with backoff, nothing is dropped, and the public search
says it is unavailable without saying why.

Elasticsearch is "down" in two ways: a closed port (refused at once) and a server that accepts
connections and never answers (only the timeout ends the wait). The embedded index is made
unwritable by holding its writer lock, or by putting its folder under a regular file.
"""

from __future__ import annotations

import datetime
import select
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import tantivy
from django.core.cache import cache
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from publications.factories import PublicationPageFactory
from publications.models import PublicationPage
from search import indexing
from search.engines import get_engine, reset_engines
from tests.api.catalogue_data import graphql

TIMEOUT = 0.5
SEARCH = 'query { search(query: "mediation") { total hits { title } } }'
PUBLICATIONS = "query { publications { items { title } } }"


@dataclass
class HangingServer:
    """A TCP server that accepts connections and never answers; counts what it accepted."""

    accepted: int = 0
    _connections: list[socket.socket] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def serve(self, listener: socket.socket) -> None:
        while not self._stop.is_set():
            readable, _, _ = select.select([listener], [], [], 0.05)
            if readable:
                connection, _address = listener.accept()
                self._connections.append(connection)  # kept open, never read or answered
                self.accepted += 1

    def close(self) -> None:
        self._stop.set()
        for connection in self._connections:
            connection.close()


@dataclass
class Outage:
    url: str
    server: HangingServer | None = None


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Closed again: nothing listens there, a connection is refused at once.
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def hanging_server() -> Iterator[Outage]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    server = HangingServer()
    thread = threading.Thread(target=server.serve, args=(listener,), daemon=True)
    thread.start()
    yield Outage(url=f"http://127.0.0.1:{listener.getsockname()[1]}", server=server)
    server.close()
    thread.join(timeout=5)
    listener.close()


@pytest.fixture(params=["closed port", "hanging server"])
def elasticsearch_down(request, settings) -> Iterator[Outage]:
    """ELASTICSEARCH_URL pointing at an Elasticsearch that cannot answer, short timeouts."""
    pytest.importorskip("search.engines.elastic")
    if request.param == "closed port":
        outage = Outage(url=closed_port_url())
    else:
        outage = request.getfixturevalue("hanging_server")
    settings.ELASTICSEARCH_URL = outage.url
    settings.SEARCH_TIMEOUT_SECONDS = TIMEOUT
    settings.SEARCH_WRITE_TIMEOUT_SECONDS = TIMEOUT
    reset_engines()
    yield outage
    reset_engines()


@pytest.fixture
def draft(publication_index) -> PublicationPage:
    return PublicationPageFactory(
        parent=publication_index, title="Nocturnal mediation in Lyon", live=False
    )


def tasks_for(page: PublicationPage) -> list[DBTaskResult]:
    """Every index update of `page`, oldest first."""
    return sorted(
        (
            task
            for task in DBTaskResult.objects.filter(task_path=indexing.task_path())
            if task.args_kwargs["args"][:1] == [page.pk]
        ),
        key=lambda task: task.enqueued_at,
    )


def make_due(task: DBTaskResult) -> None:
    DBTaskResult.objects.filter(pk=task.pk).update(run_after=timezone.now())


def assert_retry_waits(task: DBTaskResult, attempt: int, before: datetime.datetime) -> None:
    """`task` is attempt `attempt`, due `retry_delay(attempt - 1)` after the failure."""
    delay = indexing.retry_delay(attempt - 1)
    assert task.status == "READY"
    assert task.args_kwargs["args"][1] == attempt
    assert before + delay <= task.run_after <= timezone.now() + delay


# --- Elasticsearch down ------------------------------------------------------------------------


def test_a_publish_succeeds_without_contacting_elasticsearch(elasticsearch_down, draft):
    draft.save_revision().publish()

    assert PublicationPage.objects.get(pk=draft.pk).live
    [task] = tasks_for(draft)
    assert task.status == "READY"
    if elasticsearch_down.server is not None:
        # The proof that a publish never waits on the engine: not even a connection.
        assert elasticsearch_down.server.accepted == 0


def test_a_failed_update_is_recorded_and_retried_in_5_seconds(elasticsearch_down, draft, worker):
    draft.save_revision().publish()
    before = timezone.now()

    assert worker() == 1

    failed, retry = tasks_for(draft)
    assert failed.status == "FAILED"
    assert failed.exception_class_path == "search.query.SearchUnavailable"
    assert "unavailable" in failed.traceback
    assert_retry_waits(retry, attempt=1, before=before)
    assert indexing.retry_delay(0) == datetime.timedelta(seconds=5)
    if elasticsearch_down.server is not None:
        assert elasticsearch_down.server.accepted >= 1  # the worker did try


def test_the_second_failure_waits_10_seconds_and_nothing_is_dropped(
    elasticsearch_down, draft, worker
):
    draft.save_revision().publish()
    worker()
    make_due(tasks_for(draft)[-1])
    before = timezone.now()

    assert worker() == 1

    first, second, third = tasks_for(draft)
    assert (first.status, second.status) == ("FAILED", "FAILED")
    assert_retry_waits(third, attempt=2, before=before)
    assert indexing.retry_delay(1) == datetime.timedelta(seconds=10)


def test_retry_delays_double_up_to_ten_minutes():
    delays = [indexing.retry_delay(attempt).total_seconds() for attempt in range(10)]
    assert delays == [5, 10, 20, 40, 80, 160, 320, 600, 600, 600]


def test_search_is_unavailable_without_details_while_the_catalogue_answers(
    elasticsearch_down, client, publication_index
):
    PublicationPageFactory(parent=publication_index, title="Nocturnal mediation in Lyon")
    cache.clear()

    result = graphql(client, SEARCH)

    [error] = result["errors"]
    assert error["extensions"]["code"] == "SEARCH_UNAVAILABLE"
    port = elasticsearch_down.url.rsplit(":", 1)[1]
    for secret in ("127.0.0.1", port, "Traceback", "Connection", "Timeout", "elastic"):
        assert secret not in str(error)
    catalogue = graphql(client, PUBLICATIONS)
    assert "errors" not in catalogue
    assert catalogue["data"]["publications"]["items"] == [{"title": "Nocturnal mediation in Lyon"}]


# --- Embedded index unwritable -----------------------------------------------------------------


@pytest.fixture
def held_writer_lock(db):
    """The embedded index built, and its writer lock held (as by another process) until the
    test calls the returned `release`."""
    indexing.rebuild()
    engine = get_engine()
    index = tantivy.Index.open(str(engine.root / engine._current_target()))
    writer = index.writer(heap_size=15_000_000, num_threads=1)
    held = [writer]

    def release() -> None:
        if held:
            held.pop().wait_merging_threads()  # consumes the writer, freeing the lock

    yield release
    release()


def test_a_locked_embedded_index_fails_the_update_and_queues_a_retry(
    held_writer_lock, draft, worker
):
    draft.save_revision().publish()
    before = timezone.now()

    assert worker() == 1

    failed, retry = tasks_for(draft)
    assert failed.status == "FAILED"
    assert "being written by another process" in failed.traceback
    assert_retry_waits(retry, attempt=1, before=before)
    assert draft.pk not in get_engine().versions()


def test_the_retry_indexes_the_page_once_the_lock_is_released(
    held_writer_lock, draft, worker, monkeypatch
):
    draft.save_revision().publish()
    worker()
    held_writer_lock()
    assert worker() == 0  # the retry waits for its time

    later = timezone.now() + indexing.retry_delay(0) + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert worker() == 1

    assert draft.pk in get_engine().versions()
    assert not indexing.pending_tasks().exists()
    assert [task.status for task in tasks_for(draft)] == ["FAILED", "SUCCESSFUL"]


@pytest.fixture
def index_dir_under_a_file(settings, tmp_path):
    """SEARCH_INDEX_DIR inside what is a regular file: nothing can be read or written there.
    Returns the function that repairs it (the file removed)."""
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    settings.SEARCH_INDEX_DIR = blocker / "search"
    reset_engines()
    return blocker.unlink


def test_an_unwritable_index_folder_fails_the_update_and_recovers_after_repair(
    index_dir_under_a_file, draft, worker
):
    draft.save_revision().publish()
    worker()
    failed, retry = tasks_for(draft)
    assert failed.status == "FAILED" and retry.status == "READY"

    index_dir_under_a_file()
    make_due(retry)
    worker()

    assert draft.pk in get_engine().versions()
    assert not indexing.pending_tasks().exists()


def test_an_unreadable_index_folder_makes_search_unavailable(
    index_dir_under_a_file, client, home_page
):
    cache.clear()

    result = graphql(client, SEARCH)

    assert result["errors"][0]["extensions"]["code"] == "SEARCH_UNAVAILABLE"
