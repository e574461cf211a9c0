"""What a feed or sitemap URL names: a Wagtail site by hostname, a locale, maybe a topic; and
the page trees of that site (its root page and the root's translations, one tree per locale).

Anything unknown is a 404, so a URL never says more than "there is no such feed".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpRequest
from wagtail.models import Locale, Page, Site

from cms.models import Topic


@dataclass(frozen=True)
class FeedScope:
    """One feed's request, site, locale, and which feed: a named one or a topic's."""

    request: HttpRequest
    site: Site
    locale: Locale
    feed: str = ""
    topic: Topic | None = None

    @property
    def language_code(self) -> str:
        return self.locale.language_code


def site_named(hostname: str) -> Site:
    """The Wagtail site with this hostname (the default one first if several ports share it)."""
    site = (
        Site.objects.filter(hostname=hostname.lower())
        .select_related("root_page")
        .order_by("-is_default_site", "port")
        .first()
    )
    if site is None:
        raise Http404("No such site")
    return site


def locale_named(code: str) -> Locale:
    """A content language's Locale; a 404 for any other code."""
    if code not in dict(settings.WAGTAIL_CONTENT_LANGUAGES):
        raise Http404("No such locale")
    locale = Locale.objects.filter(language_code=code).first()
    if locale is None:
        raise Http404("No such locale")
    return locale


def topic_named(slug: str, locale: Locale) -> Topic:
    """The topic with this slug in `locale`, or else in any locale (a slug is unique per
    locale; a feed follows the topic and its translations, as the API's filter does)."""
    topics = Topic.objects.filter(slug=slug).order_by("pk")
    topic = topics.filter(locale=locale).first() or topics.first()
    if topic is None:
        raise Http404("No such topic")
    return topic


def tree_roots(site: Site, locale: Locale | None = None) -> list[Page]:
    """The site's root page and its translations (the root of each locale's tree), or only
    the one in `locale`. Live or not: a live page under a draft home is still served."""
    roots = Page.objects.filter(translation_key=site.root_page.translation_key)
    if locale is not None:
        roots = roots.filter(locale=locale)
    return list(roots.only("path", "locale_id", "depth"))


def in_trees(roots: list[Page]) -> Q:
    """The pages in the subtrees of `roots` (the roots included); nothing if there is none."""
    condition = Q(pk__in=[])
    for root in roots:
        condition |= Q(path__startswith=root.path)
    return condition
