"""Content negotiation for /graphql/: which media type answers a request, from its Accept.

`application/graphql-response+json` (whose status codes tell request errors, 400, from
results, 200) or `application/json` (200 for every well-formed GraphQL request, as legacy
clients expect); None, a 406, when the client accepts neither. docs/graphql-http.md.
"""

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
APPLICATION_JSON = "application/json"


def _media_ranges(accept: str) -> list[tuple[str, float]]:
    """The media ranges of an Accept header with their q-values; malformed ranges are dropped."""
    ranges = []
    for part in accept.split(","):
        media_range, *params = (piece.strip() for piece in part.split(";"))
        if media_range.count("/") != 1:
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = -1.0
        if 0.0 <= quality <= 1.0:
            ranges.append((media_range.lower(), quality))
    return ranges


def _acceptance(media_type: str, ranges: list[tuple[str, float]]) -> tuple[float, int]:
    """(q-value, specificity) that `ranges` give `media_type`: the most specific range decides.

    Specificity is 2 for the type named, 1 for `type/*`, 0 for `*/*`; (0, -1) when no range
    matches (RFC 9110, section 12.5.1).
    """
    main_type = media_type.split("/")[0]
    best = (0.0, -1)
    for media_range, quality in ranges:
        if media_range == media_type:
            specificity = 2
        elif media_range == f"{main_type}/*":
            specificity = 1
        elif media_range == "*/*":
            specificity = 0
        else:
            continue
        if specificity > best[1]:
            best = (quality, specificity)
    return best


def negotiate_media_type(accept: str | None) -> str | None:
    """The response media type for an Accept header, or None when it accepts neither ours.

    The client's q-values decide. On a tie, a type the client named beats one it only
    reached with a wildcard; when it named both, `application/graphql-response+json` wins
    (the spec's preferred type); when it named neither (`*/*`, `application/*`, no header),
    `application/json` does, because such clients are usually legacy ones (curl, scripts).
    """
    if accept is None or not accept.strip():
        return APPLICATION_JSON
    ranges = _media_ranges(accept)
    graphql_q, graphql_specificity = _acceptance(GRAPHQL_RESPONSE_JSON, ranges)
    json_q, json_specificity = _acceptance(APPLICATION_JSON, ranges)
    if max(graphql_q, json_q) <= 0:
        return None
    graphql_rank = (graphql_q, graphql_specificity, graphql_specificity == 2)
    json_rank = (json_q, json_specificity, json_specificity < 2)
    return GRAPHQL_RESPONSE_JSON if graphql_rank > json_rank else APPLICATION_JSON
