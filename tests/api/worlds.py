"""Helpers for API test modules that build one large world of pages for all their tests.

Such a world is built in a transaction opened for the module and rolled back after its last
test; each test still runs in its own savepoint (the module is marked `django_db`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import override_settings


@contextmanager
def rolled_back(django_db_blocker) -> Iterator[None]:
    """Database access for a module-scoped fixture, undone when the block ends."""
    name = str(connection.settings_dict["NAME"])
    # pytest-django creates the test database only for modules with a django_db test; never
    # build a world in a real database (it replaces the default site's root page).
    assert name.startswith("test_") or "memory" in name, f"not a test database: {name}"
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)
    # The rollback sends no signal: forget the site root paths Wagtail cached meanwhile.
    cache.clear()


@pytest.fixture(scope="module", autouse=True)
def without_query_limits() -> Iterator[None]:
    """Lift the limits of cms/api/limits.py (tested in test_query_limits.py) for a module.

    For modules whose queries ask for every path, field and block at once, far more than a
    front end may: what they check (visibility, query counts) the limits do not change.
    """
    unlimited = {"MAX_ALIASES": 10**6, "MAX_DEPTH": 10**6, "MAX_LIST_NESTING": 10**6}
    unlimited |= {"MAX_COST": 10**30, "MAX_TOKENS": 10**7, "TIMEOUT_SECONDS": 10**6}
    unlimited |= {"MAX_NEW_RENDITIONS": 10**6}
    with override_settings(GRAPHQL_LIMITS=unlimited | {"MAX_BODY_BYTES": 10**8}):
        yield
