"""Image, rendition and document URLs are on the host the API was asked on, not on
WAGTAILADMIN_BASE_URL's."""

from __future__ import annotations

import json

import wagtail_factories

from cms.factories import root_collection
from publications.factories import PublicationDownloadFactory, PublicationPageFactory

QUERY = """{ publication(slug: "covered") {
  coverImage { url src srcSet(sizes: [320, 640]) rendition(width: 320) { url } }
  downloads { url }
} }"""


def _ask(client, host: str) -> dict:
    response = client.post(
        "/graphql/", json.dumps({"query": QUERY}), content_type="application/json", HTTP_HOST=host
    )
    body = response.json()
    assert "errors" not in body, body
    return body["data"]["publication"]


def _covered_publication(publication_index):
    cover = wagtail_factories.ImageFactory(collection=root_collection())
    page = PublicationPageFactory(parent=publication_index, slug="covered", cover_image=cover)
    PublicationDownloadFactory(page=page)
    return page


def test_image_urls_follow_the_requests_host(client, publication_index, settings):
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
    _covered_publication(publication_index)

    publication = _ask(client, "127.0.0.1:8200")

    image = publication["coverImage"]
    urls = [
        image["url"],
        image["src"],
        image["rendition"]["url"],
        publication["downloads"][0]["url"],
    ]
    urls += [item.split()[0] for item in image["srcSet"].split(", ")]
    assert len(urls) == 6
    assert all(url.startswith("http://127.0.0.1:8200/") for url in urls), urls


def test_media_on_a_host_of_their_own_keep_it(client, publication_index, settings):
    settings.MEDIA_URL = "https://media.example.org/"
    _covered_publication(publication_index)

    image = _ask(client, "cms.example.org")["coverImage"]

    assert image["url"].startswith("https://media.example.org/original_images/")
    assert image["rendition"]["url"].startswith("https://media.example.org/images/")
