"""A public search as both engines receive it, and what they answer. The user's words are
parsed here, once, into words, phrases and excluded words: no engine ever sees a query syntax
typed by the public, and input that cannot make a search is refused before any engine call."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

MAX_QUERY_LENGTH = 256
MAX_PER_PAGE = 50
MAX_TERMS = 20
SORTS = ("relevance", "date")
# LEXICAL: the words, stemmed, in the text. HYBRID: those, and the documents whose meaning is
# near the words' in any language (search.vectors), fused by rank (search.ranking).
MODES = ("lexical", "hybrid")
FACETS = ("type", "kind", "topic", "year", "language")
# Facet value for pages whose year is not known (a third of the real catalogue's).
UNKNOWN_YEAR = "unknown"

_TOKEN = re.compile(r'(-?)"([^"]*)"|(-?)([^\s"]+)')
_WORD = re.compile(r"\w", re.UNICODE)


class SearchInputError(ValueError):
    """The search cannot be run as asked; the message says why, `argument` which input."""

    def __init__(self, message: str, argument: str = "query") -> None:
        super().__init__(message)
        self.argument = argument


class SearchUnavailable(RuntimeError):
    """The search engine could not answer (down, unreachable, timed out, index missing)."""


@dataclass(frozen=True)
class ParsedQuery:
    """The user's words: `words` and `phrases` must match, `excluded` must not."""

    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.phrases)

    def text(self) -> str:
        parts = list(self.words) + ['"' + " ".join(p) + '"' for p in self.phrases]
        return " ".join(parts + ["-" + w for w in self.excluded])


def _words(text: str) -> list[str]:
    # Operators and punctuation are not words: "+", "|", "*", "(" and the like disappear.
    return [w for w in re.split(r"[^\w'\u2019-]+", text) if _WORD.search(w)]


def parse_query(text: str) -> ParsedQuery:
    """Parse the public's words; raise SearchInputError when there is nothing to search."""
    if len(text) > MAX_QUERY_LENGTH:
        raise SearchInputError(f"The search text is longer than {MAX_QUERY_LENGTH} characters.")
    words: list[str] = []
    phrases: list[tuple[str, ...]] = []
    excluded: list[str] = []
    for match in _TOKEN.finditer(text):
        negated_phrase, phrase, negated, word = match.groups()
        if phrase is not None:
            parts = _words(phrase)
            if negated_phrase:
                excluded.extend(parts)
            elif len(parts) > 1:
                phrases.append(tuple(parts))
            else:
                words.extend(parts)
        elif negated and _WORD.search(word or ""):
            excluded.extend(_words(word))
        else:
            words.extend(_words(word or ""))
    parsed = ParsedQuery(tuple(words), tuple(phrases), tuple(excluded))
    if parsed.is_empty:
        raise SearchInputError("The search text has no words to search for, only operators.")
    if len(words) + sum(len(p) for p in phrases) + len(excluded) > MAX_TERMS:
        raise SearchInputError(f"The search text has more than {MAX_TERMS} words.")
    return parsed


@dataclass(frozen=True)
class SearchRequest:
    """A search: parsed words, filters, sort and page. Filters left empty do not filter."""

    query: ParsedQuery
    locale: str
    types: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    site: str | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10
    mode: str = "lexical"
    # The query's vector (search.vectors.query_vector) for a hybrid search.
    vector: Any = field(default=None, compare=False, hash=False, repr=False)
    # The vector of corrected words (`str -> vector | None`), for an engine that finds the
    # correction before it ranks (`respells_vectors`): the same search then ranks by the
    # corrected words' meaning, instead of a second search (search.hybrid).
    respell: Any = field(default=None, compare=False, hash=False, repr=False)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def hybrid(self) -> bool:
        """Whether vectors take part: asked for, a vector at hand, and no quoted phrase or
        excluded word (whoever types syntax wants exactly what they typed)."""
        return (
            self.mode == "hybrid"
            and self.vector is not None
            and not self.query.phrases
            and not self.query.excluded
        )

    def filters(self) -> dict[str, tuple]:
        """The active filters by facet name (the year as a range)."""
        active: dict[str, tuple] = {}
        if self.types:
            active["type"] = self.types
        if self.kinds:
            active["kind"] = self.kinds
        if self.topics:
            active["topic"] = self.topics
        if self.languages:
            active["language"] = self.languages
        if self.year_from is not None or self.year_to is not None:
            active["year"] = (self.year_from, self.year_to)
        return active


@dataclass
class Highlight:
    field: str
    fragments: list[str]


@dataclass
class Hit:
    id: int
    type: str
    title: str
    url: str
    date: datetime.date | None
    score: float
    highlights: list[Highlight] = field(default_factory=list)


@dataclass
class FacetValue:
    value: str
    count: int
    label: str = ""


@dataclass
class Facet:
    name: str
    values: list[FacetValue]


@dataclass
class SearchResponse:
    total: int
    hits: list[Hit]
    facets: list[Facet]
    suggestion: str | None = None


@dataclass
class Suggestion:
    id: int
    type: str
    title: str
    url: str
