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


# --- Item pages (issue 19) --------------------------------------------------------------------
# What a front end's page of one item asks for: the cover (a rendition and a srcset), the
# summary and body, downloads, topics, the project, related publications (with their topics)
# and the translations (with theirs, for the language switcher).

COVER = """coverImage {
      rendition(fill: "300x424") { url width height }
      srcSet(sizes: [320, 640])
      description
    }"""
BODY = """body {
      blockType
      ... on HeadingBlock { text level }
      ... on RichTextBlock { value }
      ... on QuoteBlock { text attribution }
    }"""
TOPICS = "topics { name slug }"
FILES = "language label url fileSize mimeType"
RELATED = f"relatedPublications {{ title url displayDate {TOPICS} }}"
PUBLICATION_FIELDS = f"""
    id title subtitle type displayDate url seoTitle searchDescription
    {COVER}
    summary
    {BODY}
    authors {{ name affiliation }}
    {TOPICS}
    project {{ ... on Project {{ acronym name slug }} }}
    downloads {{ {FILES} }}
    {RELATED}
    translations {{ locale url title ... on PublicationPage {{ {TOPICS} }} }}
"""
POSITION_FIELDS = f"""
    id title kind place displayDate url seoTitle searchDescription
    summary
    {BODY}
    signatories {{ name slug country }}
    {TOPICS}
    downloads {{ {FILES} }}
    {RELATED}
    translations {{ locale url title ... on PositionPaperPage {{ {TOPICS} }} }}
"""
PRESS_RELEASE_FIELDS = f"""
    id title displayDate url seoTitle searchDescription
    summary
    {BODY}
    mediaContactName mediaContactEmail mediaContactPhone
    {TOPICS}
    attachments {{ {FILES} }}
    relatedPositions {{ title url displayDate }}
    {RELATED}
    translations {{ locale url title ... on PressReleasePage {{ {TOPICS} }} }}
"""
BY_SLUG = "query Item($slug: String!) {{ item: {field}(slug: $slug) {{ {fields} }} }}"
ITEM_QUERIES = {
    "publication(slug)": BY_SLUG.format(field="publication", fields=PUBLICATION_FIELDS),
    "publication(urlPath, site)": (
        "query Item($urlPath: String!, $site: String!) "
        f"{{ item: publication(urlPath: $urlPath, site: $site) {{ {PUBLICATION_FIELDS} }} }}"
    ),
    "positionPaper(slug)": BY_SLUG.format(field="positionPaper", fields=POSITION_FIELDS),
    "pressRelease(slug)": BY_SLUG.format(field="pressRelease", fields=PRESS_RELEASE_FIELDS),
    "page(urlPath)": (
        "query Item($urlPath: String!) { item: page(urlPath: $urlPath) { "
        f"... on PublicationPage {{ {PUBLICATION_FIELDS} }} }} }}"
    ),
}
# The fixed cost of a GraphQL request: the whole stack, nothing resolved.
TYPENAME_QUERY = "query Fixed { __typename }"

# The same fields through REST API v2's detail endpoint (benchmarks/rest.py declares them).
REST_ITEM_FIELDS = {
    "publication": (
        "subtitle", "publication_type", "display_date", "cover_image", "summary", "body",
        "authors", "topics", "project", "downloads", "related_publications", "translations",
    ),
    "positionPaper": (
        "kind", "place", "display_date", "summary", "body", "signatories", "topics",
        "downloads", "related_publications", "translations",
    ),
    "pressRelease": (
        "display_date", "summary", "body", "media_contact_name", "media_contact_email",
        "media_contact_phone", "topics", "attachments", "related_positions",
        "related_publications", "translations",
    ),
}  # fmt: skip


def rest_detail_path(page_id: int, kind: str) -> str:
    return f"/api/v2/pages/{page_id}/?fields={','.join(REST_ITEM_FIELDS[kind])}"


def rest_find_path(html_path: str, kind: str) -> str:
    """REST v2's routing: `find` answers a redirect to the detail of the page at the path."""
    return (
        f"/api/v2/pages/find/?{urlencode({'html_path': html_path})}"
        f"&fields={','.join(REST_ITEM_FIELDS[kind])}"
    )
