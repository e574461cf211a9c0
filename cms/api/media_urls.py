"""Media URLs on the host the API was asked on.

grapple makes image and rendition URLs absolute with WAGTAILADMIN_BASE_URL, one address for
every request: a CMS served as `127.0.0.1:8200`, or on an internal and a public name, handed
out URLs of another host (documents, built from the request, were right). The URL fields of
grapple's image, rendition and document types are wrapped (cms.api.deadline's
ExecutionGuards) to put the request's own scheme and host (checked against ALLOWED_HOSTS by
Django) in place of that prefix. Media on a host of their own (an absolute MEDIA_URL: a
CDN, object storage) are left as the storage gives them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from graphql import GraphQLObjectType, GraphQLResolveInfo, GraphQLSchema

from ..models.downloads import absolute_url

# grapple's types and their fields that give media URLs (srcSet: several, comma-separated).
MEDIA_URL_FIELDS = {
    "ImageObjectType": ("url", "src", "srcSet"),
    "ImageRenditionObjectType": ("url",),
    "DocumentObjectType": ("url",),
}


@functools.lru_cache(maxsize=8)
def media_url_resolvers(schema: GraphQLSchema) -> frozenset[Callable[..., Any]]:
    """The resolvers of the fields in MEDIA_URL_FIELDS."""
    resolvers = set()
    for type_name, field_names in MEDIA_URL_FIELDS.items():
        graphql_type = schema.type_map.get(type_name)
        if isinstance(graphql_type, GraphQLObjectType):
            for name in field_names:
                field = graphql_type.fields.get(name)
                if field is not None and field.resolve is not None:
                    resolvers.add(field.resolve)
    return frozenset(resolvers)


def on_request_host(value: str | None, request) -> str | None:
    """`value` with each URL on WAGTAILADMIN_BASE_URL moved to the request's host."""
    prefix = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/"
    if not value or prefix not in value:
        return value
    return value.replace(prefix, absolute_url(request, "/"))


def resolve_on_request_host(
    next_: Callable[..., Any], root: Any, info: GraphQLResolveInfo, **args: Any
) -> Any:
    return on_request_host(next_(root, info, **args), info.context)
