"""The RSS 2.0 and Atom feeds (Django's syndication framework) of one site and locale: new
publications, position papers, press releases, or everything on one topic.

Items link to the front end (the URL the API gives), carry the summary, the topics as
categories, the go-live and last publish dates, a publication's authors, and the public PDFs as
enclosures: Atom takes every file (one `link rel="enclosure"` each), RSS allows one per item,
so an RSS item carries the file in the feed's language, else the first one.
"""

from __future__ import annotations

import copy
import html
import os
import re

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import strip_tags
from wagtail.models import Page

from cms.models import DatedPage
from cms.models.downloads import absolute_url, document_path, mime_type
from cms.sanitize import sanitize_rich_text
from cms.topic_translations import topics_of
from cms.visibility import file_is_public, public_pages

from .items import FEED_KINDS, TOPIC_MODELS, FeedKind, feed_pages, files_of, went_live
from .scope import FeedScope, locale_named, site_named, topic_named, tree_roots

_BLOCK_END = re.compile(r"</(p|li|h[1-6])>|<br\s*/?>", re.IGNORECASE)


def summary_text(source: str) -> str:
    """A rich-text summary as plain text, one paragraph per line.

    Plain, because its links are stored as references into the CMS (`linktype="page"`) that
    only the API's visibility rules may turn into URLs, one query per item: a reader gets the
    words and follows the item's link for the rest.
    """
    text = _BLOCK_END.sub("\n", sanitize_rich_text(source or ""))
    lines = (html.unescape(line).strip() for line in strip_tags(text).splitlines())
    return "\n".join(line for line in lines if line)


class CatalogueFeed(Feed):
    """What both formats share; `get_object` reads the URL, `items` the database.

    One instance serves every request (Django's pattern), so the request's scope is set on a
    copy made for each feed (`get_feed`), never on the shared instance.
    """

    scope: FeedScope
    kind: FeedKind | None

    def get_object(
        self, request, hostname: str, locale: str, feed: str = "", topic: str = ""
    ) -> FeedScope:
        site = site_named(hostname)
        language = locale_named(locale)
        if topic:
            return FeedScope(request, site, language, topic=topic_named(topic, language))
        if feed not in FEED_KINDS:
            raise Http404("No such feed")
        return FeedScope(request, site, language, feed=feed)

    def get_feed(self, obj: FeedScope, request):
        bound = copy.copy(self)
        bound.scope = obj
        bound.kind = FEED_KINDS.get(obj.feed)
        # Django reads `language` as a plain attribute, not per object like the others.
        bound.language = obj.language_code
        return super(CatalogueFeed, bound).get_feed(obj, request)

    # --- The feed --------------------------------------------------------------------------

    def title(self, obj: FeedScope) -> str:
        what = f"Topic: {obj.topic.name}" if obj.topic else self.kind.title
        return f"{obj.site.site_name or obj.site.hostname}: {what} ({obj.language_code})"

    def link(self, obj: FeedScope) -> str:
        """The front end's home page in the feed's locale (its root if that is not public)."""
        roots = tree_roots(obj.site, obj.locale)
        home = public_pages(Page.objects.filter(pk__in=[r.pk for r in roots]), obj.request)
        page = home.specific().first() or obj.site.root_page.specific
        return page.get_full_url(obj.request) or obj.request.build_absolute_uri("/")

    def description(self, obj: FeedScope) -> str:
        return self.title(obj)

    def author_name(self, obj: FeedScope) -> str:
        return obj.site.site_name or obj.site.hostname

    def feed_guid(self, obj: FeedScope) -> str:
        return obj.request.build_absolute_uri(obj.request.path)

    def items(self, obj: FeedScope) -> list[DatedPage]:
        models = TOPIC_MODELS if obj.topic else self.kind.models
        return feed_pages(obj, models)

    # --- Its items -------------------------------------------------------------------------

    def item_title(self, item: DatedPage) -> str:
        return item.title

    def item_link(self, item: DatedPage) -> str:
        # The front end's URL (FRONTEND_URLS), as the API's `url` gives it.
        return item.get_full_url(self.scope.request)

    def item_guid(self, item: DatedPage) -> str:
        # Stable across slug changes and moves: the site, the day of first publication, the id.
        moment = went_live(item)
        day = moment.date().isoformat() if moment else "2000-01-01"
        return f"tag:{self.scope.site.hostname},{day}:page-{item.pk}"

    item_guid_is_permalink = False

    def item_description(self, item: DatedPage) -> str:
        return summary_text(getattr(item, "summary", ""))

    def item_pubdate(self, item: DatedPage):
        return went_live(item)

    def item_updateddate(self, item: DatedPage):
        return item.last_published_at or went_live(item)

    def item_categories(self, item: DatedPage) -> list[str]:
        return [topic.name for topic in topics_of(item)]

    def item_author_name(self, item: DatedPage) -> str | None:
        # Publications name their authors; a declaration's signatories are not its authors.
        authors = getattr(item, "authors", None)
        names = [author.name for author in authors.all()] if authors is not None else []
        return ", ".join(names) or None

    def item_enclosures(self, item: DatedPage) -> list[Enclosure]:
        return [self.enclosure(row) for row in self.public_files(item)]

    def public_files(self, item: DatedPage) -> list:
        return [row for row in files_of(item) if file_is_public(row.document, self.scope.request)]

    def enclosure(self, row) -> Enclosure:
        request = self.scope.request
        filename = os.path.basename(row.document.file.name)
        url = absolute_url(request, document_path(request, row.document_id, filename))
        size = row.document.get_file_size() or 0
        return Enclosure(url, str(size), mime_type(filename))


class AtomFeed(CatalogueFeed):
    """Atom 1.0: every public file of an item, each a `link rel="enclosure"`."""

    feed_type = Atom1Feed

    def subtitle(self, obj: FeedScope) -> str:
        return self.title(obj)


class RssFeed(CatalogueFeed):
    """RSS 2.0: one enclosure per item (the format allows no more), the file in the feed's
    language when there is one, else the first; the item's link leads to every file."""

    feed_type = Rss201rev2Feed

    def item_enclosures(self, item: DatedPage) -> list[Enclosure]:
        files = self.public_files(item)
        if not files:
            return []
        own = [row for row in files if row.language == self.scope.language_code]
        return [self.enclosure((own or files)[0])]
