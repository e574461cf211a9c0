"""The requests the benchmark sends, in one place (no Django import: the runner reads it)."""

from __future__ import annotations

import json
from urllib.parse import urlencode

PAGE_SIZES = (20, 100)

# The catalogue page of a front end (docs/graphql.md), with the project added.
LISTING_QUERY = """
query Listing($perPage: Int!) {
  publications(perPage: $perPage, page: 1) {
    items {
      id title subtitle type displayDate url
      coverImage {
        rendition(fill: "300x424") { url width height }
        srcSet(sizes: [320, 640])
        description
      }
      topics { name slug }
      project { acronym name slug }
      downloads { language label url fileSize mimeType }
    }
    pagination { total count perPage currentPage totalPages }
  }
}
"""

SEARCH_QUERY = """
query Search($query: String!) {
  search(query: $query, perPage: 20) {
    total
    hits { type title url date score highlights { field fragments } }
    facets { name values { value label count } }
    suggestion
  }
}
"""
SEARCH_TERMS = ("police", "drug prevention", "radicalisation cities", "sécurité urbaine")

# The same fields through Wagtail's REST API v2 (declared in benchmarks/rest.py).
REST_FIELDS = (
    "subtitle",
    "publication_type",
    "date",
    "display_date",
    "cover_image",
    "topics",
    "project",
    "downloads",
)


def rest_listing_path(per_page: int) -> str:
    return (
        "/api/v2/pages/?type=publications.PublicationPage"
        f"&fields={','.join(REST_FIELDS)}&order=-date&limit={per_page}"
    )


def graphql_path(query: str, variables: dict | None = None) -> str:
    """A GraphQL query as a GET URL, as a front end (and a CDN) sends it."""
    params = {"query": query}
    if variables:
        params["variables"] = json.dumps(variables, separators=(",", ":"))
    return "/graphql/?" + urlencode(params)
