"""Copies of grapple's image resolvers for speed: `rendition` and `srcSet` answered from
renditions that exist (prefetched with the lists), without grapple's second look-up of each.

`rendition_specs` builds filter specs as grapple's `ImageObjectType.resolve_rendition` and
`resolve_src_set` do; `media_url` is grapple's `get_media_item_url` for a rendition.
tests/api/test_upstream_copies.py pins the mirrored sources.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from wagtail.images.models import Filter


def rendition_specs(field_name: str, args: Mapping[str, Any]) -> list[str]:
    """The filter specs grapple's `rendition` or `srcSet` will render, as it builds them."""
    if field_name == "rendition":
        options = {k: v for k, v in args.items() if k != "preserve_svg"}
        return ["|".join(f"{key}-{value}" for key, value in options.items())]
    suffix = f"|format-{args['format']}" if args.get("format") else ""
    return [f"width-{width}{suffix}" for width in args.get("sizes") or ()]


@functools.lru_cache(maxsize=256)
def filter_for(spec: str) -> Filter:
    # A Filter parses its spec once (its operations are cached on it): share one per spec.
    return Filter(spec)


def answer_from(field_name: str, args: Mapping[str, Any], by_spec: dict[str, Any]) -> Any:
    """grapple's `rendition` or `srcSet` value, from renditions that exist."""
    specs = rendition_specs(field_name, args)
    if field_name == "rendition":
        return by_spec[specs[0]]
    return ", ".join(
        f"{media_url(by_spec[spec])} {by_spec[spec].width}w" for spec in specs if spec in by_spec
    )


def media_url(rendition: Any) -> str:
    """grapple's `get_media_item_url` of a rendition, which asks the storage for the URL twice
    (once in a hasattr()); here once."""
    url = rendition.url
    return settings.WAGTAILADMIN_BASE_URL + url if url.startswith("/") else url
