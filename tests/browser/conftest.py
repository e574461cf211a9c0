"""A real browser for the editors' paths: Debian's Chromium driven by Playwright.

The tests skip, saying why, where Chromium is not installed; `.ci/run` installs it and sets
BROWSER_TESTS_REQUIRED=1, so there a missing browser fails instead of skipping.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
# The flags of a headless run as root on a machine with no network but loopback.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium_missing() -> str | None:
    if Path(CHROMIUM).exists():
        return None
    message = f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
    if os.environ.get("BROWSER_TESTS_REQUIRED"):
        pytest.fail(message + "; BROWSER_TESTS_REQUIRED is set")
    return message


@pytest.fixture
def chromium(monkeypatch) -> Iterator:
    missing = _chromium_missing()
    if missing:
        pytest.skip(missing)
    # Playwright's sync API runs an event loop in the test's thread, which also reads the
    # database between browser steps. Set for this test only: a subprocess started by a later
    # test (`check --deploy`) must not inherit it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            # Django keeps connections per context (asgiref's Local), and the test ran in the
            # context Playwright's greenlets left it in, not the one pytest-django tears down
            # in: closed here, or its connection outlives the run and PostgreSQL refuses to
            # drop the test database ("being accessed by other users").
            connections.close_all()


class Screens:
    """Numbered screenshots of one test's steps, under var/screenshots/<test name>/."""

    def __init__(self, name: str) -> None:
        self.folder = SCREENSHOTS / name
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.count = 0

    def take(self, page, step: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def screens(request) -> Screens:
    return Screens(request.node.name)


@pytest.fixture
def new_page(chromium, live_server):
    """Open a fresh browser context (its own cookies) per user; closed after the test."""
    contexts = []

    def open_page():
        context = chromium.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
