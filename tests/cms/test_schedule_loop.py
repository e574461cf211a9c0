"""`schedule_loop`: publish_scheduled every interval until stopped (what `make run` runs)."""

import io
import os
import signal
import threading
import time

from django.core.management import call_command
from django.utils import timezone

from publications.factories import PublicationPageFactory
from publications.models import PublicationPage

from .test_scheduled_publishing import ONE_HOUR, schedule, time_passes


def test_a_run_publishes_what_is_due_and_says_so(publication_index) -> None:
    draft = PublicationPageFactory(parent=publication_index, live=False)
    schedule(draft, timezone.now() + ONE_HOUR)
    time_passes(draft.scheduled_revision)
    out = io.StringIO()

    call_command("schedule_loop", interval=0, max_runs=1, stdout=out)

    assert PublicationPage.objects.get(pk=draft.pk).live
    assert "1 published, 0 expired" in out.getvalue()
    assert (
        out.getvalue().splitlines()[-1] == "schedule_loop: 1 runs, 1 published, 0 expired, 0 failed"
    )


def test_sigterm_stops_the_loop_between_runs(db) -> None:
    # The loop waits a minute between runs; SIGTERM (what `make run` sends on exit) ends the wait.
    timer = threading.Timer(0.5, os.kill, args=(os.getpid(), signal.SIGTERM))
    out = io.StringIO()
    started = time.monotonic()
    timer.start()

    call_command("schedule_loop", interval=60, stdout=out)

    assert time.monotonic() - started < 10
    assert out.getvalue().splitlines()[-1].startswith("schedule_loop: 1 runs")
    # The process's own handler is back (pytest's, here).
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
