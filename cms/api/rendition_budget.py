"""The budget of new image renditions one request may create (RENDITION_LIMIT).

A field whose sizes all exist already is answered from them (cms.api.fast_renditions),
without grapple's second look-up of each.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from graphql import GraphQLError, GraphQLField, GraphQLObjectType, GraphQLResolveInfo, GraphQLSchema
from grapple.types.images import rendition_allowed

from .errors import BadUserInput
from .fast_renditions import answer_from, filter_for, rendition_specs

RENDITION_LIMIT = "RENDITION_LIMIT"


RENDITION_FIELDS = ("rendition", "srcSet")


@functools.lru_cache(maxsize=8)
def rendition_fields(schema: GraphQLSchema) -> tuple[tuple[str, GraphQLField], ...]:
    """The `rendition` and `srcSet` fields of the schema's image types (grapple's), by name."""
    return tuple(
        (name, field)
        for graphql_type in schema.type_map.values()
        if isinstance(graphql_type, GraphQLObjectType)
        for name, field in graphql_type.fields.items()
        if name in RENDITION_FIELDS
    )


class RenditionBudget:
    """Refuses a field that would create more new image renditions than the request may.

    Resizing an image is the costliest thing an anonymous query can make the server do, and
    each new rendition is stored for good: existing renditions are free (the list fields
    prefetch them), new ones are counted against MAX_NEW_RENDITIONS per request.
    """

    def __init__(self, budget: int) -> None:
        self.left = budget

    def resolve(
        self, next_: Callable[..., Any], root: Any, info: GraphQLResolveInfo, **args: Any
    ) -> Any:
        if info.field_name in RENDITION_FIELDS and hasattr(root, "get_rendition"):
            specs = set(rendition_specs(info.field_name, args))
            if info.field_name == "rendition" and not all(map(rendition_allowed, specs)):
                # grapple would raise a bare TypeError (an internal error to the client).
                raise BadUserInput(
                    "This image size is not offered. Allowed: "
                    + ", ".join(settings.ALLOWED_IMAGE_FILTERS)
                    + ".",
                    argument="rendition",
                )
            # srcSet leaves out the sizes not allowed, so they create nothing.
            specs = {spec for spec in specs if rendition_allowed(spec)}
            existing = root.find_existing_renditions(*map(filter_for, specs)) if specs else {}
            by_spec = {rendition_filter.spec: r for rendition_filter, r in existing.items()}
            new = len(specs - set(by_spec))
            if not new and not root.is_svg():
                # Every size exists (prefetched with the list): answer as grapple would,
                # without its second look-up of each rendition.
                return answer_from(info.field_name, args, by_spec)
            if new > self.left:
                raise GraphQLError(
                    "This request asks for more new image sizes than one request may create; "
                    "use the sizes the front ends already use, or ask again.",
                    extensions={"code": RENDITION_LIMIT},
                )
            self.left -= new
        return next_(root, info, **args)
