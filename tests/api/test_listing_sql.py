"""The catalogue's lists ask the database for little: a page of ids read in index order,
and a total counted on the page tree alone when nothing but the tree's columns is filtered."""

from __future__ import annotations

import datetime
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from grapple.utils import get_media_item_url
from wagtail.models import Locale, Page, PageViewRestriction
from wagtail_factories import ImageFactory

from cms.api import listing
from cms.api.media_urls import on_request_host
from cms.factories import TopicFactory, make_home_page
from publications.factories import PublicationIndexPageFactory, PublicationPageFactory
from publications.models import PublicationPage

pytestmark = pytest.mark.django_db

LIST = """query($topic: String) {
  publications(perPage: 2, topic: $topic) { items { title } pagination { total } }
}"""


@pytest.fixture
def catalogue() -> None:
    index = PublicationIndexPageFactory(parent=make_home_page(), title="Publications")
    topic = TopicFactory(slug="policing")
    for day in range(1, 6):
        page = PublicationPageFactory(
            parent=index, title=f"Day {day}", date=datetime.date(2024, 1, day)
        )
        if day % 2:
            page.topics.add(topic)
            page.save_revision().publish()
    PublicationPageFactory(parent=index, title="Undated", date=None)


def listed(client: Client, topic: str | None = None) -> tuple[dict, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            "/graphql/",
            {"query": LIST, "variables": {"topic": topic}},
            content_type="application/json",
        )
    return response.json()["data"]["publications"], [q["sql"] for q in captured]


def test_the_total_without_filters_is_counted_on_the_page_tree_alone(
    client: Client, catalogue: None
) -> None:
    publications, queries = listed(client)

    counts = [sql for sql in queries if "COUNT(" in sql]
    assert publications["pagination"]["total"] == 6
    assert [title["title"] for title in publications["items"]] == ["Day 5", "Day 4"]
    assert len(counts) == 1
    assert "publications_publicationpage" not in counts[0]


def test_a_filter_on_the_catalogues_own_columns_is_counted_with_them(
    client: Client, catalogue: None
) -> None:
    publications, queries = listed(client, topic="policing")

    counts = [sql for sql in queries if "COUNT(" in sql]
    assert publications["pagination"]["total"] == 3
    assert "publications_publicationpage" in counts[0]


def test_only_the_rendition_sizes_a_list_asks_for_are_loaded(client: Client) -> None:
    index = PublicationIndexPageFactory(parent=make_home_page(), title="Publications")
    cover = ImageFactory()
    for spec in ("fill-300x424", "width-320", "width-640", "width-1280"):
        cover.get_rendition(spec)
    PublicationPageFactory(parent=index, cover_image=cover)
    # Through a fragment, an alias and a variable, as front ends write it.
    query = """query($fill: String, $wide: Int!) {
      publications { items { coverImage { ...Cover } } }
    }
    fragment Cover on ImageObjectType {
      card: rendition(fill: $fill) { url } srcSet(sizes: [320, $wide])
    }"""

    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            "/graphql/",
            {"query": query, "variables": {"fill": "300x424", "wide": 640}},
            content_type="application/json",
        )

    image = response.json()["data"]["publications"]["items"][0]["coverImage"]
    image["rendition"] = image.pop("card")
    assert "fill-300x424" in image["rendition"]["url"]
    # As grapple's own srcSet writes it, on the request's host (cms/api/media_urls.py).
    renditions = [cover.get_rendition(spec) for spec in ("width-320", "width-640")]
    assert image["srcSet"] == ", ".join(
        f"{on_request_host(get_media_item_url(r), response.wsgi_request)} {r.width}w"
        for r in renditions
    )
    assert image["srcSet"].startswith("http://testserver/media/images/")
    loads = [q["sql"] for q in captured if 'FROM "wagtailimages_rendition"' in q["sql"]]
    assert len(loads) == 1
    assert "width-1280" not in loads[0]
    assert "fill-300x424" in loads[0] and "width-640" in loads[0]
    assert not [q for q in captured if "INSERT" in q["sql"]]  # nothing made again


@pytest.mark.parametrize("in_site", [False, True])
def test_the_total_counted_on_the_page_tree_is_the_number_of_pages_listed(
    client: Client, locales: dict, in_site: bool
) -> None:
    index = PublicationIndexPageFactory(parent=make_home_page(), title="Publications")
    shown = [PublicationPageFactory(parent=index) for _ in range(3)]
    PublicationPageFactory(parent=index, live=False)
    expired = PublicationPageFactory(parent=index)
    Page.objects.filter(pk=expired.pk).update(expire_at=timezone.now() - timedelta(days=1))
    restricted = PublicationPageFactory(parent=index)
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    shown.append(shown[0].create_alias(parent=index, update_slug="an-alias"))
    french = shown[1].copy_for_translation(locales["fr"], copy_parents=True)
    french.save_revision().publish()
    query = """query($inSite: Boolean) {
      publications(perPage: 100, inSite: $inSite) { items { id } pagination { total } }
    }"""

    response = client.post(
        "/graphql/",
        {"query": query, "variables": {"inSite": in_site}},
        content_type="application/json",
    )

    publications = response.json()["data"]["publications"]
    assert sorted(int(item["id"]) for item in publications["items"]) == sorted(
        page.pk for page in shown
    )
    assert publications["pagination"]["total"] == len(shown)


def test_an_images_renditions_are_all_loaded_when_a_list_asks_for_them(client: Client) -> None:
    index = PublicationIndexPageFactory(parent=make_home_page(), title="Publications")
    cover = ImageFactory()
    for spec in ("fill-300x424", "width-320", "width-1280"):
        cover.get_rendition(spec)
    for _ in range(3):
        PublicationPageFactory(parent=index, cover_image=cover)
    query = """{ publications { items { coverImage {
      renditions { filterSpec } rendition(fill: "300x424") { url }
    } } } }"""

    with CaptureQueriesContext(connection) as captured:
        response = client.post("/graphql/", {"query": query}, content_type="application/json")

    for item in response.json()["data"]["publications"]["items"]:
        specs = {rendition["filterSpec"] for rendition in item["coverImage"]["renditions"]}
        assert specs == {"fill-300x424", "width-320", "width-1280"}
    loads = [q["sql"] for q in captured if 'FROM "wagtailimages_rendition"' in q["sql"]]
    assert len(loads) == 1


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner only")
def test_sqlite_reads_a_page_of_ids_from_the_newest_first_index(catalogue: None) -> None:
    # As the list field builds it, with parameters: given literal values, the planner
    # judges differently.
    catalogue = listing.catalogue_queryset(
        PublicationPage, None, site=None, locale=Locale.get_default()
    )
    ids = catalogue.order_by(*listing.ORDERS["-date"]).values_list("pk", flat=True)[:2]
    sql, params = ids.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " / ".join(row[-1] for row in cursor.fetchall())
    assert "publicationpage_newest" in plan
    assert "TEMP B-TREE" not in plan
