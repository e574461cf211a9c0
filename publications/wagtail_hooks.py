"""Admin: a flat, filterable listing of the catalogue beside the page tree. GraphQL: the
publications' root fields."""

from wagtail import hooks
from wagtail.admin.viewsets.pages import PageListingViewSet

from cms.admin_filters import catalogue_filterset

from .models import PublicationPage, PublicationType
from .schema import PublicationsQuery


class PublicationListingViewSet(PageListingViewSet):
    model = PublicationPage
    icon = "doc-full-inverse"
    menu_label = "Publications"
    menu_order = 110
    add_to_admin_menu = True
    name = "publication_listing"
    filterset_class = catalogue_filterset(
        PublicationPage, "publication_type", PublicationType.choices
    )
    list_display = [
        "title",
        "publication_type",
        "display_date",
        "locale",
        "latest_revision_created_at",
        "status_string",
    ]


@hooks.register("register_admin_viewset")
def register_publication_listing():
    return PublicationListingViewSet()


@hooks.register("register_schema_query")
def register_publication_fields(query_mixins: list) -> None:
    query_mixins.append(PublicationsQuery)
