"""The leak matrix of the API (tests/api/test_leaks.py), asked through the feeds, the sitemaps
and robots.txt: no draft, unpublished, expired, view-restricted or not-yet-live page, nor a
file of a restricted collection, ever shows in one.

The API's world is built again here (every hidden kind beside visible controls, translations,
a restricted document among a page's files), with pages whose go-live date is still ahead:
one never live, and a live one whose next revision (a new title) is scheduled. Each file is
fetched once; its text is searched for every hidden item's title, slug and id, and it must
show its visible controls, so no test passes on an empty or failed answer.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import feedparser
import pytest
from django.test import Client
from django.utils import timezone

from tests.api.test_leaks import (
    HIDDEN_KINDS,
    MODELS,
    World,
    WorldBuilder,
    literal,
    page_id_needle,
    slug_of,
)
from tests.api.worlds import rolled_back

pytestmark = pytest.mark.django_db

FUTURE_KINDS = ["future go-live", "future go-live revision"]
KINDS = HIDDEN_KINDS + FUTURE_KINDS
FEED_NAMES = {"publication": "publications", "position": "positions", "press": "press-releases"}


def add_future_pages(world: World, builder: WorldBuilder) -> None:
    """Per model, a page scheduled to go live tomorrow, and a visible page whose next revision
    (another title and slug) is scheduled for tomorrow."""
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    for kind in FUTURE_KINDS:
        world.needles[kind] = []
    for model in MODELS:
        index = world.catalogues[model.key].index
        title = f"Hidden future go-live {model.key}"
        page = model.factory(parent=index, title=title, slug=slug_of(title), live=False)
        page.topics.add(world.topic)
        page.go_live_at = tomorrow
        page.save_revision().publish()
        world.needles["future go-live"] += [
            (title, literal(title)),
            (page.slug, literal(page.slug)),
            (f"id {page.pk}", page_id_needle(page.pk)),
        ]
        visible = builder.page(model, index, f"Visible scheduled change {model.key}", hidden=False)
        title = f"Hidden future go-live revision title {model.key}"
        visible.title, visible.slug, visible.go_live_at = title, slug_of(title), tomorrow
        visible.save_revision().publish()
        # The live page is unchanged until tomorrow: the control is its live title.
        builder.visible_pages[-1] = type(visible).objects.get(pk=visible.pk)
        world.needles["future go-live revision"] += [
            (title, literal(title)),
            (slug_of(title), literal(slug_of(title))),
        ]
    world.visible_pages[:] = builder.visible_pages


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    with rolled_back(django_db_blocker):
        builder = WorldBuilder()
        world = builder.build()
        add_future_pages(world, builder)
        yield world


@dataclass(frozen=True)
class File:
    """One URL, and the visible pages its text must name."""

    url: str
    controls: Callable[[World], list[str]]


def visible_titles(world: World, models: list, code: str) -> list[str]:
    """Titles of the visible pages of `models` in the locale `code`."""
    return [
        page.title
        for page in world.visible_pages
        if page.locale.language_code == code and type(page.specific) in models
    ]


def model_class(key: str) -> type:
    return next(model.factory._meta.model for model in MODELS if model.key == key)


def feed_files() -> list[File]:
    files = []
    for code in ("en", "fr", "es"):
        for ending in ("rss", "atom"):
            for key, name in FEED_NAMES.items():
                files.append(
                    File(
                        f"/feeds/localhost/{code}/{name}.{ending}",
                        lambda world, key=key, code=code: visible_titles(
                            world, [model_class(key)], code
                        ),
                    )
                )
            files.append(
                File(
                    f"/feeds/localhost/{code}/topics/urban-safety.{ending}",
                    lambda world, code=code: visible_titles(
                        world, [model_class(key) for key in FEED_NAMES], code
                    ),
                )
            )
    return files


def sitemap_controls(world: World) -> list[str]:
    return [page.specific.get_full_url() for page in world.visible_pages]


FILES = [
    *feed_files(),
    File("/sitemaps/localhost.xml", sitemap_controls),
    File("/sitemap.xml", sitemap_controls),
    # The placeholder site's root is a plain Wagtail page: an empty sitemap, no error.
    File("/sitemaps/welcome.localhost.xml", lambda world: []),
    File("/robots.txt", lambda world: ["Disallow: /admin/"]),
]


@pytest.fixture(scope="module")
def bodies(world: World) -> Callable[[File], str]:
    """Each file's text, fetched once for the module (feeds parsed back first: no bozo)."""
    fetched: dict[str, str] = {}

    def body(file: File) -> str:
        if file.url not in fetched:
            response = Client().get(file.url)
            assert response.status_code == 200, (file.url, response.status_code)
            if "/feeds/" in file.url:
                parsed = feedparser.parse(response.content)
                assert parsed.bozo == 0, (file.url, parsed.get("bozo_exception"))
            fetched[file.url] = response.content.decode()
        return fetched[file.url]

    return body


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("file", FILES, ids=lambda file: file.url)
def test_hidden_item_never_reaches_a_feed_or_sitemap(world, bodies, file, kind) -> None:
    text = bodies(file)
    found = [label for label, pattern in world.needles[kind] if pattern.search(text)]

    assert found == [], f"{kind} leaked through {file.url}"


@pytest.mark.parametrize("file", FILES, ids=lambda file: file.url)
def test_feed_or_sitemap_shows_its_visible_controls(world, bodies, file) -> None:
    text = bodies(file)
    controls = file.controls(world)

    # Titles are escaped in XML ("l'économie" stays, "&" becomes "&amp;").
    missing = [c for c in controls if c not in text and c.replace("&", "&amp;") not in text]
    assert missing == []


def test_every_english_feed_has_controls(world) -> None:
    # The matrix's controls would pass on an empty list: each English feed has pages to show.
    for file in FILES:
        if "/en/" in file.url:
            assert file.controls(world), file.url


def test_restricted_document_is_never_an_enclosure(world, bodies) -> None:
    # The first page of each model has a public English file and a restricted French one.
    text = bodies(File("/feeds/localhost/en/publications.atom", lambda world: []))

    assert re.search(r'rel="enclosure"[^>]*visible-public-report', text) or re.search(
        r'href="[^"]*visible-public-report[^"]*"[^>]*rel="enclosure"', text
    )
    assert "hidden-members-report" not in text
