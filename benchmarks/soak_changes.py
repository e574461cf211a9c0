"""The soak run's Django side, one process per command, on the same settings as the server:

- `seed N`: a catalogue of N publications (benchmarks/seed.py);
- `changes`: publish, edit and unpublish pages through Wagtail (`revision.publish()`,
  `page.unpublish()`) at a steady rate, and check each change: the API shows it at once (the
  next item query), search within BOUND seconds (the delay is recorded; a change never seen
  in search by then is lost). One JSON line per change on stdout;
- `verify`: once the load is over, wait for the search queue to drain, then compare the index
  with the database (search_reconcile's dry run). One JSON line on stdout.

Run as `python -m benchmarks.soak_changes ...` with DJANGO_SETTINGS_MODULE set.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import django

POLL = 0.5  # seconds between two looks at the API or search
POOL = 24  # pages the changes go round


def emit(record: dict) -> None:
    sys.stdout.write(json.dumps(record) + "\n")
    sys.stdout.flush()


def seed_catalogue(n: int) -> None:
    from benchmarks import seed

    seed.seed(n, lambda line: print(line, file=sys.stderr, flush=True))


class Checker:
    """Applies the changes (main thread: the ORM) and checks them (a pool: HTTP only)."""

    def __init__(self, port: int, bound: float) -> None:
        from publications.models import PublicationPage

        self.port = port
        self.bound = bound
        self.busy: set[int] = set()
        self.lock = threading.Lock()
        self.tokens: dict[int, str] = {}  # page id -> the word its current title carries
        # A pool small enough that each page comes back: edited, unpublished, published again.
        live = list(PublicationPage.objects.live().order_by("pk").values_list("pk", flat=True))
        self.ids = random.Random(20).sample(live, min(POOL, len(live)))
        self.base_titles = dict(PublicationPage.objects.values_list("pk", "title"))
        self.live = set(self.ids)

    def pick(self, rng: random.Random) -> tuple[int, str] | None:
        with self.lock:
            free = [page_id for page_id in self.ids if page_id not in self.busy]
        if not free:
            return None
        page_id = rng.choice(free)
        if page_id not in self.tokens:
            return page_id, "edit"  # first an edit: the page gets a word search can find
        if page_id not in self.live:
            return page_id, "publish"
        return page_id, rng.choice(("edit", "unpublish"))

    def apply(self, page_id: int, action: str) -> str | None:
        """Make the change in the database; the token the page's title now carries."""
        from publications.models import PublicationPage

        page = PublicationPage.objects.get(pk=page_id)
        if action == "unpublish":
            page.unpublish()
            self.live.discard(page_id)
            return self.tokens[page_id]
        token = "soak" + uuid.uuid4().hex[:10]
        page.title = f"{self.base_titles[page_id]} {token}"
        page.save_revision().publish()
        self.tokens[page_id] = token
        self.live.add(page_id)
        return token

    def check(self, record: dict, committed: float) -> dict:
        """The API at once, then search until it agrees or BOUND seconds have passed."""
        from benchmarks.soak_load import ITEM_QUERY, SEARCH_QUERY, graphql

        page_id, token, gone = record["page"], record["token"], record["action"] == "unpublish"
        try:
            record["api"] = "unverified"
            while time.monotonic() - committed < self.bound:
                status, body = graphql(self.port, ITEM_QUERY, {"id": str(page_id)})
                if status == 200 and body and "data" in body and not body.get("errors"):
                    item = body["data"]["publication"]
                    right = item is None if gone else bool(item) and token in item["title"]
                    record["api"] = "ok" if right else "stale"
                    record["api_delay"] = round(time.monotonic() - committed, 3)
                    break
                time.sleep(POLL)  # the API is away (503 while PostgreSQL restarts): retry
            while time.monotonic() - committed < self.bound:
                status, body = graphql(self.port, SEARCH_QUERY, {"query": token})
                if status == 200 and body and body.get("data") and body["data"]["search"]:
                    hits = body["data"]["search"]["hits"]
                    found = any(hit["id"] == str(page_id) and token in hit["title"] for hit in hits)
                    if found != gone:
                        record["search_delay"] = round(time.monotonic() - committed, 3)
                        break
                time.sleep(POLL)
            record["lost"] = record["search_delay"] is None
            return record
        finally:
            with self.lock:
                self.busy.discard(page_id)
            emit(record)


def run_changes(port: int, seconds: float, per_minute: float, bound: float, t0: float) -> None:
    """Changes for `seconds`, then every pending check finished (each ends within `bound`)."""
    from django.db import Error, connection

    checker = Checker(port, bound)
    rng = random.Random(16)
    interval = 60.0 / per_minute
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=int(bound / interval) + 4) as pool:
        tick = 0
        while (due := started + tick * interval) < started + seconds:
            time.sleep(max(0.0, due - time.monotonic()))
            tick += 1
            choice = checker.pick(rng)
            if choice is None:
                continue
            page_id, action = choice
            record = {
                "t": round(time.time() - t0, 3),
                "page": page_id,
                "action": action,
                "applied": False,
                "api": "unverified",
                "search_delay": None,
                "lost": False,
            }
            try:
                record["token"] = checker.apply(page_id, action)
            except Error as error:  # the database is away: the change is refused, not lost
                record["error"] = f"{type(error).__name__}: {str(error).strip()[:160]}"
                connection.close()
                emit(record)
                continue
            record["applied"] = True
            with checker.lock:
                checker.busy.add(page_id)
            pool.submit(checker.check, record, time.monotonic())


def verify(drain_seconds: float) -> None:
    """Wait for the search queue to drain, then compare the index with the live pages."""
    from django_tasks_db.models import DBTaskResult

    from search import indexing

    deadline = time.monotonic() + drain_seconds
    pending = DBTaskResult.objects.filter(queue_name="search", status__in=["READY", "RUNNING"])
    while pending.exists() and time.monotonic() < deadline:
        time.sleep(1)
    statuses = dict(
        DBTaskResult.objects.filter(queue_name="search")
        .order_by()
        .values_list("status")
        .annotate(count=django.db.models.Count("id"))
    )
    stuck = [
        {"id": str(task.id), "status": task.status, "worker_ids": task.worker_ids}
        for task in pending
    ]
    differences = indexing.reconcile(dry_run=True)
    emit({"drained": not stuck, "queue": statuses, "stuck": stuck, **differences})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak_changes")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("seed").add_argument("n", type=int)
    changes = commands.add_parser("changes")
    changes.add_argument("--port", type=int, required=True)
    changes.add_argument("--seconds", type=float, required=True)
    changes.add_argument("--per-minute", type=float, default=20)
    changes.add_argument("--bound", type=float, default=120)
    changes.add_argument("--t0", type=float, required=True, help="the run's start (epoch)")
    commands.add_parser("verify").add_argument("--drain-seconds", type=float, default=300)
    args = parser.parse_args(argv)
    django.setup()
    if args.command == "seed":
        seed_catalogue(args.n)
    elif args.command == "changes":
        run_changes(args.port, args.seconds, args.per_minute, args.bound, args.t0)
    else:
        verify(args.drain_seconds)


if __name__ == "__main__":
    main()
