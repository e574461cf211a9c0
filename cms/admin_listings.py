"""The admin's flat listings of catalogue pages (Publications, Positions, Press releases).

Wagtail's own page listing (linked title with the page's actions menu, bulk selection, status)
with the catalogue's columns added, readable headings, sorting by the record's date, and
Wagtail's CSV/XLSX export of the filtered list.
"""

from __future__ import annotations

from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.ui.tables.pages import BulkActionsColumn, PageStatusColumn, PageTitleColumn
from wagtail.admin.viewsets.pages import PageListingViewSet

from .admin_parents import CatalogueChooseParentView

# Exported from every listing, after the type's own columns; dotted paths as Wagtail reads them.
COMMON_EXPORT = ["display_date", "locale.language_code", "live", "url_path", "id"]
COMMON_HEADINGS = {
    "title": "Title",
    "display_date": "Date",
    "locale.language_code": "Language",
    "live": "Published",
    "url_path": "Path in the page tree",
    "id": "Page id",
}


def catalogue_columns(*extra: Column) -> list:
    """Wagtail's page columns (bulk checkbox, linked title with actions, status) around the
    type's own `extra` columns and the record's date, sortable."""
    return [
        BulkActionsColumn("bulk_actions"),
        PageTitleColumn("title", label="Title", sort_key="title", classname="title"),
        *extra,
        Column("display_date", label="Date", sort_key="date", width="10%"),
        DateColumn(
            "latest_revision_created_at",
            label="Updated",
            sort_key="latest_revision_created_at",
            width="12%",
        ),
        PageStatusColumn("status", label="Status", sort_key="live", width="12%"),
    ]


class CatalogueListingViewSet(PageListingViewSet):
    """A flat listing of one catalogue page type; subclasses set the model, the menu entry,
    the filterset, `columns` (from `catalogue_columns`) and `type_export` (fields of their own)."""

    # "Add ...": the catalogues offered as a list, not a browse from the tree's root.
    choose_parent_view_class = CatalogueChooseParentView
    type_export: list[str] = []
    type_headings: dict[str, str] = {}

    @property
    def list_export(self) -> list[str]:
        return ["title", *self.type_export, *COMMON_EXPORT]

    @property
    def export_headings(self) -> dict[str, str]:
        return {**COMMON_HEADINGS, **self.type_headings}

    @property
    def export_filename(self) -> str:
        return self.name.removesuffix("_listing")
