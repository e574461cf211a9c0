"""Related content found by meaning, for `similarPublications` on every catalogue page.

cms cannot import the search app above it: search registers its finder with the Wagtail hook
`find_similar_pages` (a function `(page_ids, *, types, limit) -> {page id: [page ids]}`,
nearest first, each page's neighbours in its locale and on its own sites). With no finder
registered, there is no similar content. Visibility is checked here, on the pages the finder
names, as for any other page cms shows.

Asked on every item of a list, the neighbours are found once for the list: the list's loader
notes its pages (`note_list`) on the request's context, and the first item asked finds those
of all of them (one matrix product, one query for their visibility); the others read the memo.
"""

from __future__ import annotations

from collections.abc import Iterable

from wagtail import hooks
from wagtail.models import Page

from .api.context import api_context
from .api.errors import BadUserInput
from .visibility import public_pages

MAX_SIMILAR = 20


def note_list(pages: Iterable[Page], request) -> None:
    """The pages of a list whose items may be asked for their similar pages: found together."""
    api_context(request).similar_pending.extend(page.pk for page in pages)


def similar_pages(page: Page, request, *, types: tuple[str, ...], limit: int) -> list[Page]:
    """The public pages nearest `page` in meaning, of `types`, nearest first, at most `limit`."""
    if limit is None or not 1 <= limit <= MAX_SIMILAR:
        raise BadUserInput(f"limit must be between 1 and {MAX_SIMILAR}.", argument="limit")
    context = api_context(request)
    found = context.similar.setdefault((types, limit), {})
    if page.pk not in found:
        batch = [pk for pk in context.similar_pending if pk not in found]
        found.update(_find(list(dict.fromkeys([page.pk, *batch])), request, types, limit))
    return found[page.pk]


def _find(
    page_ids: list[int], request, types: tuple[str, ...], limit: int
) -> dict[int, list[Page]]:
    neighbours: dict[int, list[int]] = {}
    for finder in hooks.get_hooks("find_similar_pages"):
        # Room for pages hidden since they were indexed (dropped below).
        neighbours = finder(page_ids, types=types, limit=limit * 2)
        break
    wanted = {found for ids in neighbours.values() for found in ids}
    shown: dict[int, Page] = {}
    if wanted:
        visible = public_pages(Page.objects.filter(pk__in=wanted), request).specific()
        shown = {p.pk: p for p in visible}
    return {
        page_id: [shown[i] for i in neighbours.get(page_id, []) if i in shown][:limit]
        for page_id in page_ids
    }
