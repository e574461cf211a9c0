"""Admin: flat, filterable listings of positions and press releases beside the page tree.
GraphQL: their root fields."""

from wagtail import hooks
from wagtail.admin.viewsets.pages import PageListingViewSet

from cms.admin_filters import catalogue_filterset

from .models import PositionKind, PositionPaperPage, PressReleasePage
from .schema import PositionsQuery


class PositionListingViewSet(PageListingViewSet):
    model = PositionPaperPage
    icon = "doc-full"
    menu_label = "Positions"
    menu_order = 120
    add_to_admin_menu = True
    name = "position_listing"
    filterset_class = catalogue_filterset(PositionPaperPage, "kind", PositionKind.choices)
    list_display = ["title", "kind", "display_date", "place", "locale", "status_string"]


class PressReleaseListingViewSet(PageListingViewSet):
    model = PressReleasePage
    icon = "mail"
    menu_label = "Press releases"
    menu_order = 130
    add_to_admin_menu = True
    name = "press_release_listing"
    filterset_class = catalogue_filterset(PressReleasePage)
    list_display = ["title", "display_date", "locale", "status_string"]


@hooks.register("register_admin_viewset")
def register_position_listing():
    return PositionListingViewSet()


@hooks.register("register_admin_viewset")
def register_press_release_listing():
    return PressReleaseListingViewSet()


@hooks.register("register_schema_query")
def register_position_fields(query_mixins: list) -> None:
    query_mixins.append(PositionsQuery)
