"""The feeds, the sitemaps and robots.txt: each view names what it serves and hands over."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.models import Site

from .caching import shared_response
from .scope import site_named
from .sitemaps import SiteSitemap
from .syndication import AtomFeed, RssFeed

rss_feed = require_safe(shared_response(RssFeed()))
atom_feed = require_safe(shared_response(AtomFeed()))


def _sitemap_of(request: HttpRequest, site: Site) -> HttpResponse:
    return sitemap(request, sitemaps={"pages": SiteSitemap(request, site)})


@require_safe
@shared_response
def site_sitemap(request: HttpRequest, hostname: str) -> HttpResponse:
    """/sitemaps/{hostname}.xml: what a front end's robots.txt points at."""
    return _sitemap_of(request, site_named(hostname))


@require_safe
@shared_response
def host_sitemap(request: HttpRequest) -> HttpResponse:
    """/sitemap.xml: the site the request's Host names (Wagtail's default site otherwise)."""
    site = Site.find_for_request(request) or Site.objects.get(is_default_site=True)
    return _sitemap_of(request, site)


@require_safe
@shared_response
def robots_txt(request: HttpRequest) -> HttpResponse:
    """The CMS's own robots.txt: no crawling of the admin, and every site's sitemap."""
    hostnames = Site.objects.order_by("hostname").values_list("hostname", flat=True).distinct()
    lines = ["User-agent: *", "Disallow: /admin/", ""]
    lines += [
        f"Sitemap: {request.build_absolute_uri(f'/sitemaps/{hostname}.xml')}"
        for hostname in hostnames
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
