"""The Elasticsearch engine when the server is down or hangs: `SearchUnavailable`, fast,
with a message that gives nothing away. No server is needed (nor reached)."""

from __future__ import annotations

import datetime
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from search.documents import SearchDocument
from search.engines.elastic import UNAVAILABLE, ElasticsearchEngine
from search.query import SearchRequest, SearchUnavailable, parse_query

TIMEOUT = 0.5
# Generous: proves the call gave up on its timeout instead of hanging, nothing more.
BOUND = 5.0

DOCUMENT = SearchDocument(
    id=1,
    type="publication",
    kind="report",
    locale="en",
    title="Urban security",
    url="/en/publications/urban-security/",
    sites=["localhost"],
    date=datetime.date(2024, 1, 31),
)


@pytest.fixture
def short_timeouts(settings) -> None:
    settings.SEARCH_TIMEOUT_SECONDS = TIMEOUT
    settings.SEARCH_WRITE_TIMEOUT_SECONDS = TIMEOUT


@pytest.fixture
def closed_port() -> int:
    """A port nothing listens on: bound once to learn a free number, then closed."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def hanging_port() -> Iterator[int]:
    """A server that accepts connections and never answers."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.1)
    stop = threading.Event()
    accepted: list[socket.socket] = []

    def accept_forever() -> None:
        while not stop.is_set():
            try:
                connection, _address = server.accept()
            except TimeoutError:
                continue
            accepted.append(connection)  # held open, never read from or written to

    thread = threading.Thread(target=accept_forever, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    server.close()


CALLS: dict[str, Callable[[ElasticsearchEngine], object]] = {
    "search": lambda engine: engine.search(
        SearchRequest(query=parse_query("urban security"), locale="en")
    ),
    "suggest": lambda engine: engine.suggest("urb", locale="en", site=None, limit=5),
    "index_documents": lambda engine: engine.index_documents([DOCUMENT]),
    "delete_documents": lambda engine: engine.delete_documents([1]),
    "versions": lambda engine: engine.versions(),
    "counts_by_type": lambda engine: engine.counts_by_type(),
    "exists": lambda engine: engine.exists(),
    "rebuild": lambda engine: engine.rebuild([DOCUMENT]),
}


def _assert_unavailable_quickly(
    port: int, call: Callable[[ElasticsearchEngine], object], caplog
) -> None:
    engine = ElasticsearchEngine(f"http://127.0.0.1:{port}", index_name="outage-test")
    started = time.monotonic()
    with (
        caplog.at_level(logging.WARNING, logger="search.engines.elastic"),
        pytest.raises(SearchUnavailable) as raised,
    ):
        call(engine)
    elapsed = time.monotonic() - started

    assert elapsed < BOUND
    message = str(raised.value)
    assert message == UNAVAILABLE
    assert "127.0.0.1" not in message and str(port) not in message
    # Not chained either: whoever formats the error cannot reach the client's own message.
    assert raised.value.__cause__ is None and raised.value.__suppress_context__
    # The operators still learn what happened.
    assert any(str(port) in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
def test_a_closed_port_makes_every_call_unavailable(short_timeouts, closed_port, call, caplog):
    _assert_unavailable_quickly(closed_port, call, caplog)


@pytest.mark.parametrize(
    "name", ["search", "suggest", "index_documents", "delete_documents", "exists"]
)
def test_a_server_that_never_answers_times_out_as_unavailable(
    short_timeouts, hanging_port, name, caplog
):
    _assert_unavailable_quickly(hanging_port, CALLS[name], caplog)


def test_a_hanging_search_gives_up_after_the_configured_timeout(
    short_timeouts, hanging_port, caplog
):
    # Neither retried nor waiting for a default timeout: about one SEARCH_TIMEOUT_SECONDS.
    engine = ElasticsearchEngine(f"http://127.0.0.1:{hanging_port}", index_name="outage-test")
    started = time.monotonic()
    with pytest.raises(SearchUnavailable):
        CALLS["search"](engine)
    assert TIMEOUT * 0.8 <= time.monotonic() - started < BOUND
