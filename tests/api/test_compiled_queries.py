"""An item's SQL compiled once per shape (cms.compiled_queries) answers as if built afresh:
each request's slug, locale, site, restrictions, time and linked pages go in as values, and
a change of any of them shows at once (issue 19)."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from cms import compiled_queries
from cms.api.items import _BY_ID, _ITEM, _LINKED

from .catalogue_data import Catalogue, graphql

pytestmark = pytest.mark.django_db

ITEM = """query ($slug: String!, $locale: String, $site: String) {
    publication(slug: $slug, locale: $locale, site: $site) {
        id title relatedPublications { title } translations { title } } }"""
BY_PATH = """query ($path: String!) { page(urlPath: $path) {
    ... on PublicationPage { id title relatedPublications { title } } } }"""
_nonce = itertools.count()


def item(client: Client, slug: str, **variables) -> dict | None:
    # A variable of its own: the response cache never answers (it would hide the SQL's work).
    answer = graphql(client, ITEM, {"slug": slug, **variables, "n": next(_nonce)})
    assert "errors" not in answer, answer
    return answer["data"]["publication"]


@pytest.fixture(autouse=True)
def nothing_pinned():
    compiled_queries.clear()
    yield
    compiled_queries.clear()


def pinned_keys(kind: str) -> list:
    return [key for key, pin in compiled_queries._pinned.items() if key[0] == kind and pin]


def test_items_are_read_by_the_sql_pinned_for_their_shape(client, catalogue: Catalogue) -> None:
    first = item(client, "preventing-drug-harm")
    second = item(client, "night-time-guide")
    french = item(client, "preventing-drug-harm", locale="fr")

    assert first["title"] == "Preventing drug harm"
    assert [p["title"] for p in first["relatedPublications"]] == ["Night-time guide"]
    assert [t["title"] for t in first["translations"]] == ["Prévenir les dommages des drogues"]
    assert second["title"] == "Night-time guide"
    assert french["title"] == "Prévenir les dommages des drogues"
    # One shape (slug, locale's code, no restriction) for the three: pinned, not given up on.
    assert len(pinned_keys(_ITEM)) == 1
    assert pinned_keys(_LINKED)
    assert None not in compiled_queries._pinned.values()
    assert item(client, "no-such-page") is None


def test_a_restriction_added_moved_or_lifted_shows_at_once(client, catalogue: Catalogue) -> None:
    drug_guide, night_guide = catalogue.drug_guide, catalogue.night_guide
    assert item(client, "night-time-guide")["id"] == str(night_guide.pk)

    restriction = PageViewRestriction.objects.create(
        page=night_guide, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert item(client, "night-time-guide") is None
    assert item(client, "preventing-drug-harm")["relatedPublications"] == []
    # The same number of restricted paths, another path: the same pinned SQL, new values.
    restriction.page = drug_guide
    restriction.save()
    assert item(client, "preventing-drug-harm") is None
    assert item(client, "night-time-guide")["title"] == "Night-time guide"
    restriction.delete()
    assert item(client, "preventing-drug-harm")["title"] == "Preventing drug harm"
    assert len(pinned_keys(_ITEM)) == 2  # no restriction; one


def test_the_time_is_a_value_an_expired_page_is_hidden(client, catalogue: Catalogue) -> None:
    assert item(client, "night-time-guide") is not None
    night_guide = catalogue.night_guide
    night_guide.expire_at = timezone.now() + datetime.timedelta(seconds=1)
    night_guide.save(update_fields=["expire_at"])
    assert item(client, "night-time-guide") is not None
    night_guide.expire_at = timezone.now() - datetime.timedelta(seconds=1)
    night_guide.save(update_fields=["expire_at"])

    assert item(client, "night-time-guide") is None


def test_the_site_and_its_locale_are_values(client, catalogue: Catalogue) -> None:
    assert item(client, "preventing-drug-harm", site="localhost")["id"] == str(
        catalogue.drug_guide.pk
    )
    assert item(client, "preventing-drug-harm", site="localhost", locale="fr")["id"] == str(
        catalogue.french_drug_guide.pk
    )
    # Another site whose tree does not hold the page: the same SQL, another root.
    other_root = catalogue.declaration.get_parent()
    Site.objects.create(hostname="other.localhost", root_page=other_root)
    assert item(client, "preventing-drug-harm", site="other.localhost") is None
    assert item(client, "brussels-declaration", site="localhost") is None


def test_a_page_by_path_is_read_again_by_its_id(client, catalogue: Catalogue) -> None:
    for page in (catalogue.drug_guide, catalogue.night_guide):
        answer = graphql(client, BY_PATH, {"path": page.url, "n": next(_nonce)})
        assert answer["data"]["page"]["id"] == str(page.pk)
    assert len(pinned_keys(_BY_ID)) == 1


def test_a_query_that_cannot_be_pinned_is_built_each_time(catalogue: Catalogue) -> None:
    # A value written into the SQL's text rather than sent as a parameter: the check on first
    # use finds the SQL differs and the key is never pinned.
    from publications.models import PublicationPage

    def build(key, values):
        return PublicationPage.objects.extra(where=[f"title <> '{values[0]}'"])

    found = list(compiled_queries.pinned(("test", 1), build, ["x"]))
    assert compiled_queries._pinned[("test", 1)] is None
    assert len(found) == PublicationPage.objects.count()
    assert list(compiled_queries.pinned(("test", 1), build, ["Undated report"])) == list(
        PublicationPage.objects.exclude(title="Undated report")
    )


BY_URL = """query ($path: String!, $site: String) { publication(urlPath: $path, site: $site) {
    id title } }"""
PAGE_BY_ID = """query ($id: ID!) { page(id: $id) { id title } }"""


def test_paths_and_ids_are_values_and_restrictions_apply(client, catalogue: Catalogue) -> None:
    from cms.api.listing import _PAGE

    def ask(query: str, field: str, **variables) -> dict | None:
        answer = graphql(client, query, {**variables, "n": next(_nonce)})
        assert "errors" not in answer, answer
        return answer["data"][field]

    drug_guide, night_guide = catalogue.drug_guide, catalogue.night_guide
    assert ask(BY_URL, "publication", path=drug_guide.url, site="localhost")["id"] == str(
        drug_guide.pk
    )
    assert ask(BY_URL, "publication", path=night_guide.url)["id"] == str(night_guide.pk)
    assert ask(BY_URL, "publication", path="/nowhere/") is None
    assert ask(PAGE_BY_ID, "page", id=night_guide.pk)["title"] == "Night-time guide"
    # An id past a 32-bit column's range: no page, no error (built as usual, not pinned).
    assert ask(PAGE_BY_ID, "page", id=3_000_000_000) is None
    assert ask(BY_PATH, "page", path=night_guide.url)["id"] == str(night_guide.pk)

    PageViewRestriction.objects.create(
        page=night_guide, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert ask(BY_URL, "publication", path=night_guide.url) is None
    assert ask(PAGE_BY_ID, "page", id=night_guide.pk) is None
    assert ask(BY_PATH, "page", path=night_guide.url) is None
    assert ask(PAGE_BY_ID, "page", id=drug_guide.pk)["title"] == "Preventing drug harm"
    assert len(pinned_keys(_PAGE)) == 4  # by id and by path, with no restriction and one
