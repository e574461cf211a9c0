"""The benchmark's own views: the floor, and stock Wagtail search (the search anchor)."""

from __future__ import annotations

from functools import cache

from django.http import Http404, HttpResponse, JsonResponse
from wagtail.models import Page

from . import config


def floor_file(name: str):
    return config.BENCH_DIR / "floor" / f"{config.database_key()}-{name}.json"


@cache
def _floor_body(name: str) -> bytes:
    try:
        return floor_file(name).read_bytes()
    except FileNotFoundError:
        raise Http404(name) from None


def floor(request, name: str) -> HttpResponse:
    """The bytes of a GraphQL answer, from memory: what no API can beat through this stack."""
    return HttpResponse(_floor_body(name), content_type="application/json; charset=utf-8")


def anchor_search(request) -> JsonResponse:
    """Stock Wagtail search on its database backend, as a Wagtail site's search view does."""
    query = request.GET.get("q", "")
    results = Page.objects.live().public().search(query)[:20]
    return JsonResponse(
        {"results": [{"id": p.pk, "title": p.title, "urlPath": p.url_path} for p in results]},
        json_dumps_params={"separators": (",", ":")},
    )


def write_floor(name: str, body: bytes) -> None:
    path = floor_file(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    _floor_body.cache_clear()
