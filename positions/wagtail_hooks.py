"""Admin: flat, filterable listings of positions and press releases beside the page tree.
GraphQL: their root fields."""

from wagtail import hooks
from wagtail.admin.ui.tables import Column

from cms.admin_filters import catalogue_filterset
from cms.admin_listings import CatalogueListingViewSet, catalogue_columns

from .models import PositionKind, PositionPaperPage, PressReleasePage
from .schema import PositionsQuery


class PositionListingViewSet(CatalogueListingViewSet):
    model = PositionPaperPage
    icon = "doc-full"
    menu_label = "Positions"
    menu_order = 120
    add_to_admin_menu = True
    name = "position_listing"
    filterset_class = catalogue_filterset(PositionPaperPage, "kind", PositionKind.choices)
    columns = catalogue_columns(
        Column("kind", label="Kind", accessor="get_kind_display", sort_key="kind", width="12%"),
        Column("place", label="Place", sort_key="place", width="12%"),
    )
    type_export = ["get_kind_display", "place"]
    type_headings = {"get_kind_display": "Kind", "place": "Place"}


class PressReleaseListingViewSet(CatalogueListingViewSet):
    model = PressReleasePage
    icon = "mail"
    menu_label = "Press releases"
    menu_order = 130
    add_to_admin_menu = True
    name = "press_release_listing"
    filterset_class = catalogue_filterset(PressReleasePage)
    columns = catalogue_columns()


@hooks.register("register_admin_viewset")
def register_position_listing():
    return PositionListingViewSet()


@hooks.register("register_admin_viewset")
def register_press_release_listing():
    return PressReleaseListingViewSet()


@hooks.register("register_schema_query")
def register_position_fields(query_mixins: list) -> None:
    query_mixins.append(PositionsQuery)
