"""Helpers for API test modules that build one large world of pages for all their tests.

Such a world is built in a transaction opened for the module and rolled back after its last
test; each test still runs in its own savepoint (the module is marked `django_db`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import cache
from django.db import connection, transaction
from wagtail.models import Locale, Page, Site

from cms.factories import HomePageFactory
from cms.models import HomePage


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


def make_home_page() -> HomePage:
    """As tests/conftest.py's home_page: the default site's root, in place of Wagtail's page."""
    site = Site.objects.get(is_default_site=True)
    placeholder = site.root_page
    home = HomePageFactory(
        parent=Page.get_first_root_node(),
        title="European Forum for Urban Security",
        slug="efus",
        locale=Locale.get_default(),
    )
    site.root_page = home
    site.save()
    placeholder.delete()
    return home
