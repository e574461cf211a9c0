"""Feeds, sitemaps and robots.txt through the GraphQL API's response cache: one rendering per
content generation (any publish, unpublish, expiry, privacy change... starts a new one, and
nothing is kept past the next expiry date; `cms/api/cache.py`), an ETag on every answer and a
304 to a client that has it already."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control

from cms.api import cache as response_cache

# What each kind of file is served as, by the ending of its URL (the cache keeps the body).
CONTENT_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "xml": "application/xml",
    "txt": "text/plain; charset=utf-8",
}


def _key(request: HttpRequest) -> str:
    # The sitemap view pages by ?p= (past 50,000 URLs): each page is a file of its own.
    page = request.GET.get("p", "")
    material = "\0".join([request.scheme, request.get_host().lower(), request.path, page])
    return "public-file:" + hashlib.sha256(material.encode()).hexdigest()


def shared_response(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """`view`'s answer, kept in the response cache and sent with an ETag and a public
    max-age (GRAPHQL_CACHE_MAX_AGE). Only 200s are kept; a 404 is answered afresh.

    Whoever asks gets the same file: feeds and sitemaps show what an anonymous client may see,
    whoever is logged in.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        content_type = CONTENT_TYPES[request.path.rsplit(".", 1)[-1]]
        key = _key(request)
        cached = response_cache.cached_response(key, request)
        if cached is not None:
            response = HttpResponse(cached["body"], content_type=content_type)
            etag = cached["etag"]
        else:
            response = view(request, *args, **kwargs)
            if response.status_code != 200:
                return response
            if hasattr(response, "render"):
                response.render()  # the sitemap is a TemplateResponse
            body = response.content.decode("utf-8")
            etag = response_cache.etag_for(body, content_type)
            response_cache.store_response([key], body, etag, request)
        # A cached copy has no Last-Modified: no answer has one, so both kinds agree.
        if "Last-Modified" in response:
            del response["Last-Modified"]
        patch_cache_control(response, public=True, max_age=settings.GRAPHQL_CACHE_MAX_AGE)
        response["ETag"] = etag
        return get_conditional_response(request, etag=etag, response=response)

    return wrapper
