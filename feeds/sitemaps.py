"""One sitemap per Wagtail site (Wagtail's sitemaps app): every live, public page of the site's
trees (the root page and its translations, one tree per locale) at its front-end URL, with
the date it was last published and `hreflang` alternates linking each page's translations."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.http import HttpRequest
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Locale, Page, Site

from cms.visibility import public_pages

from .scope import in_trees, tree_roots


class SiteSitemap(Sitemap):
    """The sitemap of `site`, whatever host the request came to."""

    def __init__(self, request: HttpRequest, site: Site) -> None:
        super().__init__(request)
        self.site = site

    def get_wagtail_site(self) -> Site:
        return self.site

    def items(self):
        # Wagtail's own `items()` lists the root's subtree only (not the other locales'
        # trees), with `.live().public()`: expired pages and plain Wagtail pages would stay.
        pages = Page.objects.filter(in_trees(tree_roots(self.site)))
        return public_pages(pages, self.request).order_by("path").defer_streamfields().specific()

    def _urls(self, page, protocol, domain) -> list[dict]:
        # Translations are matched within one sitemap page (50,000 URLs): a site that size
        # would lose the alternates of translations that fall on the next page.
        codes = dict(Locale.objects.values_list("pk", "language_code"))
        located = []
        for item in self.paginator.page(page).object_list:
            location = item.get_full_url(self.request)
            if location:
                located.append((item, location, codes.get(item.locale_id, "")))
        versions: dict = defaultdict(list)
        for item, location, code in located:
            versions[item.translation_key].append({"lang_code": code, "location": location})
        urls = []
        for item, location, _code in located:
            alternates = versions[item.translation_key]
            urls.append(
                {
                    "item": item,
                    "location": location,
                    "lastmod": item.last_published_at or item.latest_revision_created_at,
                    "changefreq": None,
                    "priority": None,
                    "alternates": _with_default(alternates) if len(alternates) > 1 else [],
                }
            )
        lastmods = [url["lastmod"] for url in urls]
        if lastmods and None not in lastmods:
            # Django's view sends it as the response's Last-Modified.
            self.latest_lastmod = max(lastmods)
        return urls


def _with_default(alternates: list[dict]) -> list[dict]:
    """The translations (the page itself among them), and the default language's version as
    `x-default`: the page for readers whose language has none."""
    default = [a for a in alternates if a["lang_code"] == settings.LANGUAGE_CODE]
    return alternates + [{"lang_code": "x-default", "location": a["location"]} for a in default]
