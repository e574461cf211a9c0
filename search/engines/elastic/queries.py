"""The Elasticsearch engine's requests, built with `elasticsearch.dsl`'s `Search` and `Q`, and
the parts of its answers the engine reads back (highlights, did-you-mean). The user's words
only ever reach Elasticsearch as the `query` text of `multi_match` queries, never as syntax.
"""

from __future__ import annotations

from typing import Any

from elasticsearch.dsl import Q, Search
from elasticsearch.dsl.query import Query

from ...analysis import (
    BOOSTS,
    FACET_FIELDS,
    FRAGMENT_SIZE,
    FRAGMENTS,
    FUZZY_WEIGHT,
    HIGHLIGHT_FIELDS,
    TEXT_FIELDS,
    TIE_BREAKER,
    analysis_language,
    field_name,
)
from ...query import FACETS, Highlight, ParsedQuery, SearchRequest
from ..base import counted_with, terms_aggregation

# Highlighting a text longer than the index's limit (1,000,000 characters) fails the whole
# search, unless the request sets a lower cap: then only the text's start is highlighted.
HIGHLIGHT_MAX_OFFSET = 999_999
HIT_SOURCE = ["id", "type", "title", "url", "date"]
SUGGEST_SOURCE = ["id", "type", "title", "url"]
SUGGEST_FIELDS = ["title_suggest", "title_suggest._2gram", "title_suggest._3gram"]
DATE_DESC = {"date": {"order": "desc", "missing": "_last"}}


def _fields(language: str) -> list[str]:
    fields = [f"{field_name(base, language)}^{BOOSTS[base]:g}" for base in TEXT_FIELDS]
    # PDF text of every language: a French report of an English page is found in English.
    fields.append(f"pdf_*^{BOOSTS['pdf']:g}")
    return fields


def _scope(locale: str, site: str | None) -> list[Query]:
    scope = [Q("term", locale=locale)]
    if site:
        scope.append(Q("term", sites=site))
    return scope


def _facet_filters(request: SearchRequest) -> dict[str, Query]:
    filters: dict[str, Query] = {}
    for name, value in request.filters().items():
        if name == "year":
            lower, upper = value
            bounds = {}
            if lower is not None:
                bounds["gte"] = lower
            if upper is not None:
                bounds["lte"] = upper
            filters[name] = Q("range", year=bounds)
        else:
            filters[name] = Q("terms", **{FACET_FIELDS[name]: list(value)})
    return filters


def _all_of(filters: list[Query]) -> Query:
    return Q("bool", filter=filters) if filters else Q("match_all")


def _text_query(request: SearchRequest, language: str) -> Query:
    # An empty must_not is left out of the body by the DSL.
    return Q(
        "bool",
        must=word_queries(request, language),
        filter=_scope(request.locale, request.site),
        must_not=[
            Q("multi_match", query=w, fields=_fields(language)) for w in request.query.excluded
        ],
    )


def word_queries(request: SearchRequest, language: str) -> list[Query]:
    """Each word and phrase in some field (the words' part of the query, without scope)."""
    fields = _fields(language)
    parsed = request.query
    must = [
        Q(
            "multi_match",
            query=word,
            type="best_fields",
            # A typo in a long word is matched on the words as written too, where it is one
            # edit away (on the stems it can be three).
            fields=[*fields, f"spell^{FUZZY_WEIGHT:g}"],
            tie_breaker=TIE_BREAKER,
            # The analysis profile's fuzzy_distance() is this rule.
            fuzziness="AUTO",
            prefix_length=1,
            operator="and",
        )
        for word in parsed.words
    ]
    must += [
        Q("multi_match", query=" ".join(phrase), type="phrase", fields=fields)
        for phrase in parsed.phrases
    ]
    return must


def search_request(request: SearchRequest, query: Query | None = None) -> Search:
    """The whole search request (`query`: what matches, by default the words in scope)."""
    language = analysis_language(request.locale)
    search = Search().query(query or _text_query(request, language))

    # Facet filters narrow the hits (post_filter) but not the counts: each facet is counted
    # with every other facet's filter, so a user can still see and pick a sibling value.
    filters = _facet_filters(request)
    for facet in FACETS:
        counted = _all_of([filters[name] for name in counted_with(facet, filters)])
        search.aggs.bucket(facet, "filter", filter=counted).bucket(
            "values", terms_aggregation(facet)
        )
    if filters:
        search = search.post_filter(_all_of(list(filters.values())))

    fragments = {"fragment_size": FRAGMENT_SIZE, "number_of_fragments": FRAGMENTS}
    search = (
        search.highlight_options(
            pre_tags=["<mark>"],
            post_tags=["</mark>"],
            encoder="html",
            max_analyzed_offset=HIGHLIGHT_MAX_OFFSET,
        )
        .highlight(field_name("title", language), number_of_fragments=0)
        .highlight(field_name("summary", language), field_name("body", language), **fragments)
        .highlight("pdf_*", **fragments)
    )
    if request.sort == "relevance":
        search = search.sort("_score", DATE_DESC)
    else:
        search = search.sort(DATE_DESC, "_score")
    search = search.extra(from_=request.offset, size=request.per_page, track_total_hits=True)
    search = search.source(HIT_SOURCE)
    if request.query.words:
        # Plain words only, as did-you-mean takes them: a phrase is quoted to be taken as
        # typed. Literal: the DSL's suggest() puts the text inside each suggester, and the
        # body keeps the request-wide `text` of the expected requests.
        search = search.extra(
            suggest={
                "text": " ".join(request.query.words),
                "spell": {"term": {"field": "spell", "suggest_mode": "missing"}},
            }
        )
    return search


def search_body(request: SearchRequest) -> dict[str, Any]:
    return search_request(request).to_dict()


def suggest_request(prefix: str, *, locale: str, site: str | None, limit: int) -> Search:
    """Titles that start with the words typed so far (the last one may be incomplete)."""
    # Every word typed must be in the title (operator "and").
    words = Q(
        "multi_match", query=prefix, type="bool_prefix", fields=SUGGEST_FIELDS, operator="and"
    )
    search = Search().query(Q("bool", must=[words], filter=_scope(locale, site)))
    return search.extra(size=limit).source(SUGGEST_SOURCE)


def suggest_body(prefix: str, *, locale: str, site: str | None, limit: int) -> dict[str, Any]:
    return suggest_request(prefix, locale=locale, site=site, limit=limit).to_dict()


# --- Answers ----------------------------------------------------------------------------------


def highlights(found: dict[str, list[str]]) -> list[Highlight]:
    """A hit's highlights by field, from Elasticsearch's by indexed field."""
    by_base: dict[str, list[str]] = {}
    # pdf_* may highlight several languages: the fields' order makes the result stable.
    for name in sorted(found):
        base = name.rsplit("_", 1)[0]
        by_base.setdefault(base, []).extend(found[name])
    result = []
    for base in HIGHLIGHT_FIELDS:
        if by_base.get(base):
            fragments = by_base[base] if base == "title" else by_base[base][:FRAGMENTS]
            result.append(Highlight(field=base, fragments=fragments))
    return result


def suggestion_text(parsed: ParsedQuery, entries: list[dict[str, Any]]) -> str | None:
    """The query with misspelt words replaced by the term suggester's best option, or None.

    `entries` are the suggester's answer for the text `" ".join(parsed.words)`: a word is
    replaced only when it is one token, as did-you-mean does in both engines.
    """
    corrections: dict[int, str] = {}
    for entry in entries:
        if entry.get("options"):
            corrections[entry["offset"]] = entry["options"][0]["text"]
    words = list(parsed.words)
    changed = False
    offset = 0
    for position, word in enumerate(words):
        correction = corrections.get(offset)
        tokens_at = [e for e in entries if offset <= e["offset"] < offset + len(word)]
        if correction and len(tokens_at) == 1 and tokens_at[0]["length"] == len(word):
            words[position] = correction
            changed = True
        offset += len(word) + 1
    if not changed:
        return None
    return ParsedQuery(tuple(words), parsed.phrases, parsed.excluded).text()
