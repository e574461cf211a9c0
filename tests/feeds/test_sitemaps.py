"""The sitemaps (one per site, front-end URLs, lastmod, hreflang alternates) and robots.txt."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from publications.factories import PublicationPageFactory

from .conftest import fetch, publish

FRONT_END = "http://localhost:3000"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def read_sitemap(url: str, **headers) -> dict[str, ET.Element]:
    """The sitemap's <url> elements by location (a 200, well-formed XML)."""
    response = fetch(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return {url.findtext("s:loc", namespaces=NS): url for url in root.findall("s:url", NS)}


def alternates(element: ET.Element) -> dict[str, str]:
    return {
        link.get("hreflang"): link.get("href")
        for link in element.findall("x:link", NS)
        if link.get("rel") == "alternate"
    }


def test_sitemap_lists_live_pages_at_their_front_end_urls(catalogue) -> None:
    urls = read_sitemap("/sitemaps/localhost.xml")

    assert f"{FRONT_END}/publications/night-time-economy-guide/" in urls
    assert f"{FRONT_END}/fr/publications/guide-economie-nuit/" in urls
    assert f"{FRONT_END}/positions/manifesto-of-lyon/" in urls
    assert f"{FRONT_END}/press-releases/conference-announced/" in urls
    assert all(location.startswith(f"{FRONT_END}/") for location in urls)


def test_sitemap_gives_the_last_publish_date(catalogue) -> None:
    urls = read_sitemap("/sitemaps/localhost.xml")

    entry = urls[f"{FRONT_END}/publications/night-time-economy-guide/"]
    day = catalogue.publication.last_published_at.date().isoformat()
    assert entry.findtext("s:lastmod", namespaces=NS) == day


def test_sitemap_links_translations_with_hreflang(catalogue) -> None:
    urls = read_sitemap("/sitemaps/localhost.xml")
    english = f"{FRONT_END}/publications/night-time-economy-guide/"
    french = f"{FRONT_END}/fr/publications/guide-economie-nuit/"

    expected = {"en": english, "fr": french, "x-default": english}
    assert alternates(urls[english]) == expected
    assert alternates(urls[french]) == expected
    # A page without a translation has no alternates.
    assert alternates(urls[f"{FRONT_END}/positions/manifesto-of-lyon/"]) == {}


def test_sitemap_of_the_request_host_is_that_sites(catalogue, home_page) -> None:
    conference = PublicationPageFactory(
        parent=home_page.get_parent(), title="Conference home", slug="conference-home"
    )
    Site.objects.create(hostname="conference.localhost", root_page=conference, site_name="Conf")

    network = read_sitemap("/sitemap.xml", HTTP_HOST="localhost")
    conference_urls = read_sitemap("/sitemap.xml", HTTP_HOST="conference.localhost")
    by_name = read_sitemap("/sitemaps/conference.localhost.xml")

    assert f"{FRONT_END}/publications/night-time-economy-guide/" in network
    conference_front_end = settings.FRONTEND_URLS["conference.localhost"]
    assert list(conference_urls) == list(by_name) == [f"{conference_front_end}/"]


def test_unknown_site_has_no_sitemap(catalogue) -> None:
    assert fetch("/sitemaps/unknown.example.xml").status_code == 404


def test_sitemap_queries_do_not_grow_with_its_pages(catalogue, publication_index, settings) -> None:
    settings.GRAPHQL_CACHE_TIMEOUT = 0  # every request renders it

    def queries() -> int:
        read_sitemap("/sitemaps/localhost.xml")  # the process's caches filled first
        with CaptureQueriesContext(connection) as captured:
            read_sitemap("/sitemaps/localhost.xml")
        return len(captured)

    few = queries()
    for number in range(6):
        publish(
            PublicationPageFactory(parent=publication_index, title=f"Report {number}", live=False)
        )

    assert queries() == few


def test_robots_txt_points_to_every_sitemap_and_keeps_crawlers_out_of_the_admin(
    catalogue, home_page
) -> None:
    Site.objects.create(hostname="conference.localhost", root_page=home_page, site_name="Conf")

    response = fetch("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemaps/localhost.xml" in lines
    assert "Sitemap: http://testserver/sitemaps/conference.localhost.xml" in lines


@pytest.mark.parametrize(
    "url", ["/sitemap.xml", "/robots.txt", "/feeds/localhost/en/publications.rss"]
)
def test_only_get_and_head_are_answered(catalogue, client, url) -> None:
    assert client.post(url).status_code == 405
    assert client.head(url).status_code == 200


def test_each_page_of_a_sitemap_is_cached_on_its_own(catalogue) -> None:
    assert fetch("/sitemaps/localhost.xml").status_code == 200

    # One page of URLs here: the second does not exist, whatever the first's cache holds.
    assert fetch("/sitemaps/localhost.xml?p=2").status_code == 404
