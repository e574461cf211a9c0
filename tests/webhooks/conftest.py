"""Fixtures for the webhook tests: real HTTP receivers on 127.0.0.1 (answering, redirecting,
or hanging), endpoints pointing at them, and the webhook worker run in-process."""

from __future__ import annotations

import select
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from publications.factories import PublicationPageFactory
from publications.models import PublicationPage
from tests.tasks import run_due_tasks
from webhooks.factories import EndpointFactory
from webhooks.models import Endpoint


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A real HTTP server: records every request, answers with `statuses` in turn (then 204)."""

    url: str = ""
    requests: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    location: str = ""  # sent with a 3xx answer

    def payloads(self) -> list[bytes]:
        return [request.body for request in self.requests]


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            receiver.requests.append(Received(self.path, dict(self.headers.items()), body))
            status = receiver.statuses.pop(0) if receiver.statuses else 204
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", receiver.location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    return Handler


@pytest.fixture
def start_receiver() -> Iterator[Callable[[], Receiver]]:
    servers: list[ThreadingHTTPServer] = []

    def start() -> Receiver:
        receiver = Receiver()
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
        return receiver

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def receiver(start_receiver) -> Receiver:
    return start_receiver()


@dataclass
class HangingServer:
    """A TCP server that accepts connections and never answers; counts what it accepted."""

    url: str = ""
    accepted: int = 0
    _connections: list[socket.socket] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def serve(self, listener: socket.socket) -> None:
        while not self._stop.is_set():
            readable, _, _ = select.select([listener], [], [], 0.05)
            if readable:
                connection, _address = listener.accept()
                self._connections.append(connection)  # kept open, never answered
                self.accepted += 1


@pytest.fixture
def hanging_server() -> Iterator[HangingServer]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    server = HangingServer(url=f"http://127.0.0.1:{listener.getsockname()[1]}/hooks")
    thread = threading.Thread(target=server.serve, args=(listener,), daemon=True)
    thread.start()
    yield server
    server._stop.set()
    thread.join(timeout=5)
    for connection in server._connections:
        connection.close()
    listener.close()


@pytest.fixture
def endpoint(db, receiver) -> Endpoint:
    return EndpointFactory(url=receiver.url)


@pytest.fixture
def draft(publication_index) -> PublicationPage:
    return PublicationPageFactory(
        parent=publication_index, title="Night-time economy", slug="night-time-economy", live=False
    )


def run_worker() -> int:
    """Run every webhook task that is due, as `tasks_worker --backend webhooks` would; returns
    how many ran. In-process: the worker's own loop would close the test's connection."""
    return run_due_tasks("webhooks", "test-webhooks")


@pytest.fixture
def worker() -> Callable[[], int]:
    return run_worker


def make_due() -> None:
    """As if the retries' waits had passed: every waiting delivery and task is due now."""
    from webhooks.models import Delivery

    now = timezone.now()
    Delivery.objects.filter(next_attempt_at__isnull=False).update(next_attempt_at=now)
    DBTaskResult.objects.filter(backend_name="webhooks", status="READY").update(run_after=now)
