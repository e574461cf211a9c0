"""`similarPublications` on every catalogue page: the publications nearest in meaning, in the
page's language and on its own site, visible ones only; nothing when vectors are off. Asked
on every item of a list, found for the whole list at once (SQL queries counted)."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from cms.factories import HomePageFactory, wagtail_root
from publications.factories import PublicationIndexPageFactory, PublicationPageFactory
from search import indexing
from search.engines import get_engine
from tests.api.catalogue_data import graphql

QUERY = """
query Similar($id: ID!, $limit: Int) {
  publication(id: $id) { similarPublications(limit: $limit) { title } }
}
"""
PRESS = """
query Similar($id: ID!) { pressRelease(id: $id) { similarPublications { title } } }
"""


def similar(client, page, limit: int = 5) -> list[str]:
    result = graphql(client, QUERY, {"id": str(page.pk), "limit": limit})
    assert "errors" not in result, result["errors"]
    return [item["title"] for item in result["data"]["publication"]["similarPublications"]]


def test_the_nearest_publications_in_meaning_come_first(client, hybrid, indexed, publication_index):
    PublicationPageFactory(
        parent=publication_index,
        title="Supervised drug consumption rooms",
        summary="<p>Harm reduction for people who use drugs.</p>",
    )
    indexing.rebuild()
    found = similar(client, indexed["drugs"])
    assert found[0] == "Supervised drug consumption rooms"
    assert "Preventing drug harm" not in found  # never the page itself
    # Publications only, in the page's locale: not the French translation of one.
    assert "La sécurité urbaine et la police de proximité" not in found


def test_limit_bounds_the_list(client, hybrid, indexed):
    assert len(similar(client, indexed["drugs"], limit=1)) == 1
    result = graphql(client, QUERY, {"id": str(indexed["drugs"].pk), "limit": 21})
    assert result["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_press_releases_have_similar_publications_too(client, hybrid, indexed):
    result = graphql(client, PRESS, {"id": str(indexed["press"].pk)})
    titles = [item["title"] for item in result["data"]["pressRelease"]["similarPublications"]]
    assert titles and titles[0] == "Preventing drug harm"


def test_restricted_and_unpublished_publications_are_never_shown(
    client, hybrid, indexed, publication_index
):
    PublicationPageFactory(parent=publication_index, title="Neighbourhood policing in practice")
    indexing.rebuild()
    PageViewRestriction.objects.create(
        page=indexed["drugs"], restriction_type="password", password="x"
    )
    indexed["undated"].unpublish()
    found = similar(client, indexed["policing"], limit=20)
    assert "Preventing drug harm" not in found
    assert "Undated notes on urban security" not in found
    assert found == ["Neighbourhood policing in practice"]


def test_without_vectors_there_are_none(client, indexed):
    assert similar(client, indexed["drugs"]) == []


def test_a_page_of_another_site_is_never_suggested(client, hybrid, indexed, publication_index):
    conference = HomePageFactory(parent=wagtail_root(), title="Conference", slug="conference")
    Site.objects.create(hostname="conference.example.org", root_page=conference)
    library = PublicationIndexPageFactory(parent=conference, slug="library")
    # Nearer "Preventing drug harm" in meaning than anything on the network's site.
    rooms = PublicationPageFactory(
        parent=library,
        title="Preventing drug harm: supervised consumption rooms",
        summary="<p>Harm reduction for people who use drugs.</p>",
    )
    naloxone = PublicationPageFactory(
        parent=library, title="Naloxone and drug harm", summary="<p>Saving lives.</p>"
    )
    indexing.rebuild()

    on_network = similar(client, indexed["drugs"], limit=20)
    assert on_network and not {rooms.title, naloxone.title} & set(on_network)
    # And the conference's pages are offered the conference's only.
    assert similar(client, rooms, limit=20) == [naloxone.title]


def test_an_expired_publication_is_never_shown(client, hybrid, indexed, publication_index):
    near = PublicationPageFactory(
        parent=publication_index, title="Neighbourhood policing in practice"
    )
    indexing.rebuild()
    assert "Neighbourhood policing in practice" in similar(client, indexed["policing"], 20)
    # Past its expiry date, not yet unpublished by `publish_scheduled`: hidden all the same.
    type(near).objects.filter(pk=near.pk).update(
        expire_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    # (Another limit: not the answer the response cache kept from the first query.)
    assert "Neighbourhood policing in practice" not in similar(client, indexed["policing"], 19)


LIST = """
query List($perPage: Int) {
  publications(perPage: $perPage, order: "title") {
    items { title similarPublications(limit: 2) { title } }
  }
}
"""


def test_a_list_finds_its_items_similar_pages_together(
    client, hybrid, indexed, publication_index, monkeypatch
):
    for title in ("Night-time economy and safety", "Drug checking services", "Street mediation"):
        PublicationPageFactory(parent=publication_index, title=title)
    indexing.rebuild()
    engine = get_engine()
    calls: list[list[int]] = []
    original = engine.similar

    def spy(page_ids, **kwargs):
        calls.append(list(page_ids))
        return original(page_ids, **kwargs)

    monkeypatch.setattr(engine, "similar", spy)

    def listed(per_page: int) -> tuple[dict[str, list[str]], int]:
        calls.clear()
        with CaptureQueriesContext(connection) as queries:
            result = graphql(client, LIST, {"perPage": per_page})
        assert "errors" not in result, result["errors"]
        items = result["data"]["publications"]["items"]
        assert len(items) == per_page
        return {i["title"]: [s["title"] for s in i["similarPublications"]] for i in items}, len(
            queries
        )

    listed(3)  # what a process reads once and keeps (content types, sites) is read here
    two, queries_for_two = listed(2)
    assert len(calls) == 1 and len(calls[0]) == 2  # one engine call (one matrix product)
    # Five of the six publications: a full page, counted like the first (not the last page).
    five, queries_for_five = listed(5)
    assert len(calls) == 1 and len(calls[0]) == 5
    # The SQL does not grow with the items: one query for the neighbours of all of them.
    assert queries_for_five == queries_for_two
    # And each item's neighbours are those it has on its own page.
    by_title = {p.title: p for p in type(indexed["drugs"]).objects.all()}
    assert any(five.values())
    for title, found in five.items():
        assert found == similar(client, by_title[title], limit=2), title
    assert two == {title: five[title] for title in two}
