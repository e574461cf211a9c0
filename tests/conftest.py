"""Shared fixtures: one Wagtail site whose root is the project's home page, and its indexes."""

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from wagtail.models import Locale

from cms.factories import make_home_page
from cms.models import HomePage
from cms.settings.base import preview_client_urls
from positions.factories import PositionIndexPageFactory, PressReleaseIndexPageFactory
from positions.models import PositionIndexPage, PressReleaseIndexPage
from publications.factories import PublicationIndexPageFactory
from publications.models import PublicationIndexPage

from .frontends import running_frontends

EXTRA_LANGUAGES = ["fr", "es", "it", "de", "pt"]


@pytest.fixture
def home_page(db) -> HomePage:
    """The English HomePage, made the root of the default site (hostname localhost).

    Wagtail's migrations create that site with a plain "Welcome" page as its root; the page
    is replaced (not kept beside) so the tree looks like production's.
    """
    return make_home_page()


@pytest.fixture
def publication_index(home_page: HomePage) -> PublicationIndexPage:
    """The publication catalogue under the home page."""
    return PublicationIndexPageFactory(parent=home_page)


@pytest.fixture
def position_index(home_page: HomePage) -> PositionIndexPage:
    """The positions index under the home page."""
    return PositionIndexPageFactory(parent=home_page)


@pytest.fixture
def press_release_index(home_page: HomePage) -> PressReleaseIndexPage:
    """The press releases index under the home page."""
    return PressReleaseIndexPageFactory(parent=home_page)


@pytest.fixture
def locales(db) -> dict[str, Locale]:
    """Every content language as a Locale row, by code ("en" comes from Wagtail's migrations)."""
    for code in EXTRA_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)
    return {locale.language_code: locale for locale in Locale.objects.all()}


@pytest.fixture
def frontends_up(settings) -> Iterator[dict[str, str]]:
    """The two demo sites' front ends running (real HTTP servers), so previews frame them."""
    with running_frontends(2) as urls:
        frontends = {"localhost": urls[0], "conference.localhost": urls[1]}
        settings.FRONTEND_URLS = frontends
        # As the settings build it: each front end's preview route (frontend/'s /preview/).
        settings.WAGTAIL_HEADLESS_PREVIEW = {
            **settings.WAGTAIL_HEADLESS_PREVIEW,
            "CLIENT_URLS": preview_client_urls(frontends),
        }
        yield frontends


@pytest.fixture(autouse=True)
def empty_response_cache() -> Iterator[None]:
    """Each test starts with no cached GraphQL answer (nor persisted query, nor rate counter).

    The local memory cache lives as long as the process, and a test's rolled-back pages send
    no signal: an answer cached by one test must not be served to the next.
    """
    cache.clear()
    yield
    cache.clear()
