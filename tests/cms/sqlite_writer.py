"""A separate process writing to a SQLite file, as the web server or the task worker would.

Run by tests/cms/test_sqlite_concurrency.py as `python -m tests.cms.sqlite_writer MODE ...`
with DJANGO_SETTINGS_MODULE, DATABASE_URL and CMS_VAR_DIR set. `--plain` replaces the
project's SQLite OPTIONS with Django's defaults (deferred transactions), to show what they
protect against.
"""

import argparse
import json
import time
from pathlib import Path

import django
from django.conf import settings


def wait_for(path: Path, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def load(role: str, count: int, hold: float) -> None:
    """`count` transactions that read, keep the transaction open a little, then write.

    Reading first is what Django code does (get, then save); in a deferred transaction the
    read lock then has to be upgraded to a write lock, which SQLite may refuse.
    """
    from django.db import transaction

    from cms.models import Topic

    for i in range(count):
        with transaction.atomic():
            Topic.objects.filter(name__startswith=role).count()
            time.sleep(hold)
            Topic.objects.create(name=f"{role} {i}", slug=f"{role}-{i}")


def handshake_reader(folder: Path) -> None:
    """Read, let the other process commit a write, then write: the lock upgrade is refused
    in a deferred transaction; with IMMEDIATE the other process waits for this one instead."""
    from django.db import transaction

    from cms.models import Topic

    with transaction.atomic():
        Topic.objects.count()
        (folder / "reader-has-read").touch()
        # With IMMEDIATE the writer cannot commit before this transaction ends: go on.
        wait_for(folder / "writer-committed", timeout=1.0)
        Topic.objects.create(name="reader", slug="reader")


def handshake_writer(folder: Path) -> None:
    from django.db import transaction

    from cms.models import Topic

    if not wait_for(folder / "reader-has-read", timeout=30.0):
        raise SystemExit("the reader never started")
    with transaction.atomic():
        Topic.objects.create(name="writer", slug="writer")
    (folder / "writer-committed").touch()


def pragmas() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal_mode = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout")
        busy_timeout = cursor.fetchone()[0]
    print(json.dumps({"journal_mode": journal_mode, "busy_timeout": busy_timeout}))


def requests(count: int) -> None:
    """`count` GraphQL requests through Django's WSGI handler, as the web server makes them;
    prints how many SQLite connections served them."""
    from io import BytesIO

    from django.core.handlers.wsgi import WSGIHandler
    from django.db.backends.signals import connection_created

    app = WSGIHandler()
    opened, answers = [], []
    # Not id(connection.connection): a new connection may land at a closed one's address.
    connection_created.connect(
        lambda sender, connection, **kwargs: opened.append(connection), weak=False
    )
    for i in range(count):
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": "/graphql/",
            # A variable of its own per request: no answer comes from the response cache.
            "QUERY_STRING": "query=query($n:Int){publications(perPage:$n){pagination{total}}}"
            f"&variables=%7B%22n%22%3A{i + 1}%7D",
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "80",
            "HTTP_HOST": "localhost",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.input": BytesIO(),
            "wsgi.url_scheme": "http",
        }
        response = app(environ, lambda line, headers: None)
        body = json.loads(b"".join(response))
        response.close()  # request_finished: Django closes the connection here if it must
        answers.append(body.get("errors") or response.status_code)
    print(json.dumps({"answers": answers, "connections": len(opened)}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plain", action="store_true", help="Django's default SQLite OPTIONS")
    sub = parser.add_subparsers(dest="mode", required=True)
    load_parser = sub.add_parser("load")
    load_parser.add_argument("role")
    load_parser.add_argument("count", type=int)
    load_parser.add_argument("hold", type=float)
    for name in ("handshake-reader", "handshake-writer"):
        sub.add_parser(name).add_argument("folder", type=Path)
    sub.add_parser("pragmas")
    sub.add_parser("requests").add_argument("count", type=int)
    args = parser.parse_args()

    if args.plain:
        # Before django.setup(): the connection reads its OPTIONS when first opened.
        settings.DATABASES["default"]["OPTIONS"] = {"transaction_mode": "DEFERRED"}
    django.setup()

    if args.mode == "load":
        load(args.role, args.count, args.hold)
    elif args.mode == "handshake-reader":
        handshake_reader(args.folder)
    elif args.mode == "handshake-writer":
        handshake_writer(args.folder)
    elif args.mode == "requests":
        requests(args.count)
    else:
        pragmas()


if __name__ == "__main__":
    main()
