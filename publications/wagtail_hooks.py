"""Admin: a flat, filterable listing of the catalogue beside the page tree. GraphQL: the
publications' root fields."""

from wagtail import hooks
from wagtail.admin.ui.tables import Column

from cms.admin_filters import catalogue_filterset
from cms.admin_listings import CatalogueListingViewSet, catalogue_columns

from .models import PublicationPage, PublicationType
from .schema import PublicationsQuery


class PublicationListingViewSet(CatalogueListingViewSet):
    model = PublicationPage
    icon = "doc-full-inverse"
    menu_label = "Publications"
    menu_order = 110
    add_to_admin_menu = True
    name = "publication_listing"
    filterset_class = catalogue_filterset(
        PublicationPage, "publication_type", PublicationType.choices
    )
    columns = catalogue_columns(
        Column(
            "publication_type",
            label="Type",
            accessor="get_publication_type_display",
            sort_key="publication_type",
            width="14%",
        )
    )
    type_export = ["subtitle", "get_publication_type_display", "isbn", "page_count"]
    type_headings = {"get_publication_type_display": "Type", "isbn": "ISBN"}


@hooks.register("register_admin_viewset")
def register_publication_listing():
    return PublicationListingViewSet()


@hooks.register("register_schema_query")
def register_publication_fields(query_mixins: list) -> None:
    query_mixins.append(PublicationsQuery)
