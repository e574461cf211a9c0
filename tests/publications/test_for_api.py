"""The publications' prefetch plan: only what a query selects, everything when it is not known."""

from django.db.models import Prefetch

from publications.models import PublicationPage


def lookups(queryset) -> list[str]:
    return [
        lookup.prefetch_to if isinstance(lookup, Prefetch) else lookup
        for lookup in queryset._prefetch_related_lookups
    ]


def test_for_api_loads_every_relation_when_the_selection_is_not_known() -> None:
    queryset = PublicationPage.objects.for_api()

    assert lookups(queryset) == [
        "topics",
        "authors",
        "isbns",
        "cover_image__renditions",
        "downloads",
        "related_publications",
    ]
    assert set(queryset.query.select_related) == {"locale", "project", "cover_image"}


def test_for_api_loads_only_the_relations_a_query_selects() -> None:
    queryset = PublicationPage.objects.for_api(frozenset({"title", "isbn", "coverImage"}), None)

    assert lookups(queryset) == ["isbns", "cover_image__renditions"]
    assert set(queryset.query.select_related) == {"locale", "cover_image"}


def test_for_api_loads_no_rendition_when_a_query_asks_for_none() -> None:
    queryset = PublicationPage.objects.for_api(frozenset({"coverImage", "url"}), frozenset())

    assert lookups(queryset) == []
