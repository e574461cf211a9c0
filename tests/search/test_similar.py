"""`similarPublications` on every catalogue page: the publications nearest in meaning, in the
page's language, visible ones only; nothing when vectors are off."""

from __future__ import annotations

from wagtail.models import PageViewRestriction

from publications.factories import PublicationPageFactory
from search import indexing
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
