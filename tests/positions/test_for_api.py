"""The prefetch plans of position papers and press releases: only what a query selects."""

from positions.models import PositionPaperPage, PressReleasePage
from tests.publications.test_for_api import lookups


def test_a_position_papers_plan_loads_every_relation_when_the_selection_is_not_known() -> None:
    assert lookups(PositionPaperPage.objects.for_api()) == [
        "topics",
        "signatories",
        "downloads",
        "related_publications",
    ]


def test_a_press_releases_plan_loads_only_the_relations_a_query_selects() -> None:
    queryset = PressReleasePage.objects.for_api(frozenset({"title", "relatedPositions"}))

    assert lookups(queryset) == ["related_positions"]
    assert set(queryset.query.select_related) == {"locale"}
