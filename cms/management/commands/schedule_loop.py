"""manage.py schedule_loop: Wagtail's `publish_scheduled` every minute until stopped, so that
go-live and expiry dates take effect with no cron (`make run` starts it beside the server).

In production run `publish_scheduled` from cron or a timer instead, or this under the process
manager. A failed run (the database away) is logged and tried again at the next interval.
"""

from __future__ import annotations

import logging
import signal
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.utils import timezone
from wagtail.models import Page, Revision

logger = logging.getLogger("cms.schedule")


def due_now() -> tuple[int, int]:
    """(revisions whose go-live has passed, live pages whose expiry has passed)."""
    now = timezone.now()
    going_live = Revision.objects.filter(approved_go_live_at__lt=now).count()
    expiring = Page.objects.filter(live=True, expire_at__lt=now).count()
    return going_live, expiring


class Command(BaseCommand):
    help = "Run publish_scheduled every --interval seconds until stopped (SIGTERM or Ctrl-C)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--interval", type=float, default=60.0, help="Seconds between runs (default 60)"
        )
        parser.add_argument(
            "--max-runs", type=int, default=None, help="Stop after this many runs (default: never)"
        )

    def handle(self, *, interval: float, max_runs: int | None, verbosity: int, **options) -> None:
        stop = threading.Event()
        previous = {
            number: signal.signal(number, lambda *_: stop.set())
            for number in (signal.SIGTERM, signal.SIGINT)
        }
        runs = published = expired = failed = 0
        try:
            while not stop.is_set():
                try:
                    going_live, expiring = due_now()
                    call_command("publish_scheduled")
                    published, expired = published + going_live, expired + expiring
                    if verbosity >= 1 and (going_live or expiring):
                        self.stdout.write(
                            f"{timezone.now():%Y-%m-%d %H:%M:%S %Z}: {going_live} published, "
                            f"{expiring} expired"
                        )
                except Exception:
                    failed += 1
                    logger.exception("publish_scheduled failed; trying again in %s s", interval)
                    if not connection.in_atomic_block:
                        connection.close()  # a fresh connection for the next run
                finally:
                    # As after each request: a connection past CONN_MAX_AGE or broken (the
                    # database restarted) is dropped. Never inside a transaction (a caller's).
                    if not connection.in_atomic_block:
                        close_old_connections()
                runs += 1
                if max_runs is not None and runs >= max_runs:
                    break
                stop.wait(interval)
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
        self.stdout.write(
            f"schedule_loop: {runs} runs, {published} published, {expired} expired, {failed} failed"
        )
