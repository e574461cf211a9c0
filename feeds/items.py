"""Which pages a feed lists: the live, public pages of its types in the site's tree for its
locale (and topic), newest first by go-live, at most FEEDS_MAX_ITEMS, with everything an item
shows loaded alongside in a constant number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F

from cms.models import DatedPage
from cms.topic_translations import localize_topics
from positions.models import PositionPaperPage, PressReleasePage
from publications.models import PublicationPage

from .scope import FeedScope, in_trees, tree_roots


@dataclass(frozen=True)
class FeedKind:
    """One feed of the URL contract: its title and the page types it lists."""

    title: str
    models: tuple[type[DatedPage], ...]


# The URL contract (the front end links to exactly these): /feeds/{host}/{locale}/{slug}.rss
FEED_KINDS = {
    "publications": FeedKind("New publications", (PublicationPage,)),
    "positions": FeedKind("Position papers, declarations and manifestos", (PositionPaperPage,)),
    "press-releases": FeedKind("Press releases", (PressReleasePage,)),
}
# A topic's feed: everything on it.
TOPIC_MODELS: tuple[type[DatedPage], ...] = (PublicationPage, PositionPaperPage, PressReleasePage)

# The files each page type shows (the relation's name), and what its items prefetch: the
# names are the API's field names, which `for_api()` plans by.
FILES = {
    PublicationPage: "downloads",
    PositionPaperPage: "downloads",
    PressReleasePage: "attachments",
}
FIELDS = frozenset({"topics", "downloads", "attachments", "authors"})
# Sorts pages with no publication date last.
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def max_items() -> int:
    return int(getattr(settings, "FEEDS_MAX_ITEMS", 50))


def feed_pages(scope: FeedScope, models: tuple[type[DatedPage], ...]) -> list[DatedPage]:
    """The newest live, public pages of `models` in the scope, at most `max_items()`.

    Ordered by first publication (the go-live of a scheduled page): a feed announces what is
    new, and a page's catalogue date may lie years back (an imported 2017 report).
    """
    limit = max_items()
    roots = tree_roots(scope.site, scope.locale)
    pages: list[DatedPage] = []
    for model in models:
        queryset = model.objects.visible(scope.request).filter(in_trees(roots), locale=scope.locale)
        if scope.topic is not None:
            queryset = queryset.with_topic(scope.topic.slug, scope.language_code)
        queryset = queryset.for_api(FIELDS, frozenset()).order_by(
            F("first_published_at").desc(nulls_last=True), "-pk"
        )
        pages += list(queryset[:limit])
    pages.sort(key=lambda page: (went_live(page) or EPOCH, page.pk), reverse=True)
    pages = pages[:limit]
    localize_topics(pages)
    return pages


def went_live(page: DatedPage) -> datetime.datetime | None:
    """When the page was first published; a page made live without Wagtail's publish (a
    script, an old import) has no such date: its last publish or revision stands in."""
    return page.first_published_at or page.last_published_at or page.latest_revision_created_at


def files_of(page: DatedPage) -> list:
    """The page's download rows (or a press release's attachments), prefetched."""
    return list(getattr(page, FILES[type(page)]).all())
