"""The typed state one API request carries: one `ApiContext`, attached to the request once.

Every module that remembers something for the rest of a request (the response cache, the rate
limit, visibility, URL building) reads and writes its own field here, never a loose attribute.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

_ATTRIBUTE = "cms_api_context"


@dataclass
class ApiContext:
    """What the API has learnt, or decided, about one request."""

    # A resolver gave out what no cache may keep (a preview): `Cache-Control: no-store`.
    no_store: bool = False
    # The query's estimated cost, once the limits have measured it; the rate limit charges it.
    cost: float | None = None
    # The response cache's generation first seen by the request; its answer is stored under it.
    cache_generation: str | None = None
    # Visibility: tree paths of view-restricted pages, ids of view-restricted collections.
    restricted_page_paths: tuple[str, ...] | None = None
    restricted_collection_ids: frozenset[int] | None = None
    # "scheme://host" of absolute URLs, worked out once.
    absolute_base: str | None = None
    # A site's root page per (site id, locale id), or None where the site has no translation.
    site_roots: dict[tuple[int, int], Any] = field(default_factory=dict)
    # similarPublications (cms/similar.py): the ids of listed pages whose similar pages may be
    # asked (found together), and those found, per (types, limit) and page id.
    similar_pending: list[int] = field(default_factory=list)
    similar: dict[tuple[tuple[str, ...], int], dict[int, list[Any]]] = field(default_factory=dict)


def api_context(request: HttpRequest | None) -> ApiContext:
    """The request's context, created on first use; a fresh, unattached one for None.

    Callers that may run without a request (a management command, the search index) get
    a context that lives as long as the call, so they remember nothing between calls.
    """
    if request is None:
        return ApiContext()
    context = getattr(request, _ATTRIBUTE, None)
    if context is None:
        context = ApiContext()
        setattr(request, _ATTRIBUTE, context)
    return context
