"""Related content found by meaning, for `similarPublications` on every catalogue page.

cms cannot import the search app above it: search registers its finder with the Wagtail hook
`find_similar_pages` (a function `(page, *, types, limit) -> list[int]`, nearest first). With
no finder registered, there is no similar content. Visibility is checked here, on the pages
the finder names, as for any other page cms shows.
"""

from __future__ import annotations

from wagtail import hooks
from wagtail.models import Page

from .api.errors import BadUserInput
from .visibility import public_pages

MAX_SIMILAR = 20


def similar_pages(page: Page, request, *, types: tuple[str, ...], limit: int) -> list[Page]:
    """The public pages nearest `page` in meaning, of `types`, nearest first, at most `limit`."""
    if limit is None or not 1 <= limit <= MAX_SIMILAR:
        raise BadUserInput(f"limit must be between 1 and {MAX_SIMILAR}.", argument="limit")
    ids: list[int] = []
    for finder in hooks.get_hooks("find_similar_pages"):
        # Room for pages hidden since they were indexed (dropped below).
        ids = finder(page, types=types, limit=limit * 2)
        break
    if not ids:
        return []
    found = {p.pk: p for p in public_pages(Page.objects.filter(pk__in=ids), request).specific()}
    return [found[page_id] for page_id in ids if page_id in found][:limit]
