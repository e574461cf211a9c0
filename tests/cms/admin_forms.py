"""POST data for the admin's page edit forms, as the browser would send it."""

from typing import Any

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.models import SUMMARY_FEATURES
from publications.models import PublicationPage


def publication_edit_data(page: PublicationPage, **changes: Any) -> dict[str, str]:
    """Every field of the PublicationPage edit form, with empty inline panels.

    The admin refuses a form with a missing management form, so each InlinePanel and
    MultipleChooserPanel gets its (empty) formset here.
    """
    data: dict[str, Any] = {
        "title": page.title,
        "slug": page.slug,
        "subtitle": page.subtitle,
        "publication_type": page.publication_type,
        "page_count": "",
        "date": page.date.isoformat() if page.date else "",
        "date_precision": page.date_precision,
        "summary": rich_text("<p>A summary.</p>", features=SUMMARY_FEATURES),
        "cover_image": "",
        "body": streamfield([]),
        "authors": inline_formset([]),
        "downloads": inline_formset([]),
        "isbns": inline_formset([]),
        "related_publications": inline_formset([]),
        "project": "",
        "source_url": "",
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
    }
    data.update(changes)
    return nested_form_data(data)
