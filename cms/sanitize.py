"""Rich text cleaned of anything a browser would run, whatever the database holds.

The editor only produces a small set of tags, but the database can hold more: an import, a
migration, a hand-edited row or a compromised editor account. The API hands rich text to
front ends that insert it as HTML, so it is cleaned on the way out with nh3 (the Rust
ammonia sanitizer) against an allowlist of what Wagtail's editor writes.

Cleaning works on Wagtail's stored format, before links and embeds are expanded, because
that is the one place every rich text value of the API passes (cms.visibility). What the
expansion then adds is Wagtail's own markup built from escaped attributes: a page or
document URL, an image rendition's <img>.

Media embeds (`<embed embedtype="media">`, iframes from oEmbed providers) are dropped: no
rich text feature of this project enables them, and the StreamField has its own embed block.
"""

import re
from functools import lru_cache

import nh3

ALLOWED_TAGS = frozenset(
    {
        "p",
        "h2",
        "h3",
        "h4",
        "a",
        "strong",
        "b",
        "em",
        "i",
        "ul",
        "ol",
        "li",
        "br",
        "hr",
        "blockquote",
        "figure",
        "figcaption",
        "img",
        "code",
        "sub",
        "sup",
        "s",
        # Wagtail's stored form of an image in rich text; expanded into an <img> afterwards.
        "embed",
    }
)
ALLOWED_ATTRIBUTES = {
    # linktype and id: Wagtail's stored form of a link to a page or document.
    "a": {"href", "linktype", "id"},
    "img": {"src", "alt", "width", "height", "class"},
    "embed": {"embedtype", "id", "format", "alt"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Only image embeds survive (see the module docstring); an <embed> left without embedtype is
# dropped by Wagtail's rewriter.
EMBED_TYPES = frozenset({"image"})

# html5ever writes void elements as `<embed ...>`; Wagtail's rewriter only finds `<embed .../>`.
# nh3 double-quotes and escapes every attribute value, so `>` can only close the tag.
_EMBED_TAG = re.compile(r"<embed(\b[^>]*)>")


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    """Drop the embed types that are not allowed (nh3 calls this for every kept attribute)."""
    if element == "embed" and attribute == "embedtype" and value not in EMBED_TYPES:
        return None
    return value


# Cleaning depends on the source alone: a value is cleaned once per process, not per request
# (an item page's summary and paragraphs come back unchanged until an editor publishes).
@lru_cache(maxsize=512)
def sanitize_rich_text(source: str) -> str:
    """`source`, rich text in Wagtail's stored format, with only the allowed tags and
    attributes left: no script, no event handler, no `javascript:` or `data:` URL."""
    if not source:
        return source
    cleaned = nh3.clean(
        source,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_filter_attribute,
        url_schemes=set(URL_SCHEMES),
        # Links stay as the editor wrote them; Wagtail's stored format has no rel.
        link_rel=None,
        strip_comments=True,
    )
    return _EMBED_TAG.sub(lambda match: f"<embed{match.group(1).rstrip('/').rstrip()}/>", cleaned)
