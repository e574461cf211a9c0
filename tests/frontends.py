"""Real HTTP servers standing in for the sites' front ends, for the admin's previews.

The admin frames a front end only if it answers (cms/frontend_preview.py); these answer
every request with 404, as a front end with no page at its root would.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _FrontEnd(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self) -> None:
        self.send_response(404)
        self.end_headers()

    do_GET = do_HEAD

    def log_message(self, *args) -> None:
        pass


@contextmanager
def running_frontends(count: int) -> Iterator[list[str]]:
    """`count` front ends on free ports of 127.0.0.1; their base URLs."""
    servers = [http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FrontEnd) for _ in range(count)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield [f"http://127.0.0.1:{server.server_address[1]}" for server in servers]
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
