"""The GraphQL root fields of positions and press releases: a list and an item of each."""

from __future__ import annotations

import graphene

from cms.api import catalogue, items, listing
from cms.api.facets import ChoiceFacet

from .models import PositionKind, PositionPaperPage, PressReleasePage

PositionPaperList = catalogue.list_type("PositionPaperList", PositionPaperPage)
PressReleaseList = catalogue.list_type("PressReleaseList", PressReleasePage)
KIND_FACET = ChoiceFacet("kind", "kind", tuple(PositionKind.choices))


class PositionsQuery(graphene.ObjectType):
    position_papers = catalogue.list_field(
        PositionPaperList,
        kind=graphene.String(description="One of: " + ", ".join(PositionKind.values)),
        language=graphene.String(description="ISO 639-1 code among the downloads"),
    )
    press_releases = catalogue.list_field(PressReleaseList)
    position_paper = items.item_field(PositionPaperPage)
    press_release = items.item_field(PressReleasePage)

    def resolve_position_papers(self, info, kind=None, **kwargs):
        filters = {}
        if kind is not None:
            filters["kind"] = listing.check_choice(kind, PositionKind.values, "kind")
        return catalogue.resolve_list(
            PositionPaperPage, info, **kwargs, **filters, choice=KIND_FACET, languages=True
        )

    def resolve_press_releases(self, info, **kwargs):
        return catalogue.resolve_list(PressReleasePage, info, **kwargs)

    def resolve_position_paper(self, info, **kwargs):
        return items.resolve_item(PositionPaperPage, info, **kwargs)

    def resolve_press_release(self, info, **kwargs):
        return items.resolve_item(PressReleasePage, info, **kwargs)
