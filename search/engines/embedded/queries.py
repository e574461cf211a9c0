"""The embedded engine's tantivy queries: the public's words over the analyzed fields,
facet filters, did-you-mean and title prefixes."""

from __future__ import annotations

import dataclasses
import re

from tantivy import FieldType, Occur, Query

from ...analysis import (
    ANALYZED_LANGUAGES,
    BOOSTS,
    FACET_FIELDS,
    FUZZY_WEIGHT,
    TEXT_FIELDS,
    TIE_BREAKER,
    analysis_language,
    field_name,
    fuzzy_distance,
)
from ...query import ParsedQuery, SearchRequest
from ...spelling import best_correction
from .schema import ANALYZERS, SCHEMA, SPELL

MAX_CORRECTED_WORDS = 5
MAX_SPELLING_CANDIDATES = 5000


def text_query(request: SearchRequest, language: str) -> Query:
    """Each word and phrase in some text field of `language` or some PDF text (of any
    language), the excluded words in none."""
    fields = [(field_name(base, language), BOOSTS[base], language) for base in TEXT_FIELDS]
    fields += [(field_name("pdf", code), BOOSTS["pdf"], code) for code in ANALYZED_LANGUAGES]
    parsed = request.query
    clauses: list[tuple[Occur, Query]] = []
    for word in parsed.words:
        alternatives = [
            query
            for name, boost, code in fields
            if (query := _word_query(name, word, code, boost, fuzzy=code == language))
        ]
        # Typos in long words: on the stems ("radicalis") a missing letter can be three
        # edits away, on the words as written ("radicalisation") it is one.
        alternatives += _spelling_queries(word)
        if alternatives:
            clauses.append((Occur.Must, Query.disjunction_max_query(alternatives, TIE_BREAKER)))
    for phrase in parsed.phrases:
        alternatives = [
            query
            for name, boost, code in fields
            if (query := _phrase_query(name, " ".join(phrase), code, boost))
        ]
        if alternatives:
            clauses.append((Occur.Must, Query.disjunction_max_query(alternatives, TIE_BREAKER)))
    if not clauses:
        # Every word is a stop word in this language ("the", "de la"): nothing matches.
        return Query.empty_query()
    for word in parsed.excluded:
        for name, _boost, code in fields:
            query = _word_query(name, word, code, 1.0, fuzzy=False)
            if query is not None:
                clauses.append((Occur.MustNot, query))
    return Query.boolean_query(clauses)


def facet_filter(name: str, value: tuple) -> Query:
    """The filter of one facet's picked values (the year's as a range)."""
    if name == "year":
        lower, upper = value
        return Query.range_query(
            SCHEMA,
            "year",
            FieldType.Integer,
            lower_bound=lower if lower is not None else 0,
            upper_bound=upper if upper is not None else 9999,
        )
    return Query.term_set_query(SCHEMA, FACET_FIELDS[name], list(value))


def did_you_mean(searcher, request: SearchRequest, scope: list[Query]) -> str | None:
    """The query with its unknown words replaced by the nearest indexed ones, when that finds
    something in `scope`; else None."""
    corrected = list(request.query.words)
    changed = False
    unknown = 0
    for position, word in enumerate(request.query.words):
        folded = SPELL.analyze(word)
        if len(folded) != 1 or searcher.doc_freq("spell", folded[0]) > 0:
            continue
        unknown += 1
        if unknown > MAX_CORRECTED_WORDS:
            break
        correction = best_correction(folded[0], _spelling_candidates(searcher, folded[0]))
        if correction:
            corrected[position] = correction
            changed = True
    if not changed:
        return None
    query = ParsedQuery(tuple(corrected), request.query.phrases, request.query.excluded)
    # The term statistics still count deleted documents, and every locale: offer the
    # correction only if it finds something live in the scope searched.
    corrected_request = dataclasses.replace(request, query=query)
    language = analysis_language(request.locale)
    found = searcher.search(all_of([text_query(corrected_request, language), *scope]), limit=1)
    return query.text() if found.count else None


def title_prefix_query(prefix: str, *, locale: str, site: str | None) -> Query | None:
    """Titles holding every word typed, the last one possibly incomplete; None for no word."""
    words = SPELL.analyze(prefix)
    if not words:
        return None
    complete, last = (words, None) if prefix[-1:].isspace() else (words[:-1], words[-1])
    clauses = [(Occur.Must, Query.term_query(SCHEMA, "title_words", w)) for w in complete]
    if last is not None:
        pattern = re.escape(last) + ".*"
        clauses.append((Occur.Must, Query.regex_query(SCHEMA, "title_words", pattern)))
    clauses.append((Occur.Must, Query.term_query(SCHEMA, "locale", locale)))
    if site:
        clauses.append((Occur.Must, Query.term_query(SCHEMA, "sites", site)))
    return Query.boolean_query(clauses)


def id_query(page_id: int) -> Query:
    # Not `delete_documents_by_term("id", ...)`: it takes a Python int for a signed integer
    # and silently deletes nothing from an unsigned field.
    return Query.term_query(SCHEMA, "id", page_id)


def all_of(queries: list[Query]) -> Query:
    return Query.boolean_query([(Occur.Must, query) for query in queries])


def _word_query(name: str, word: str, language: str, boost: float, *, fuzzy: bool):
    tokens = ANALYZERS[language].pre_tokenize(word).tokens
    if not tokens:
        return None
    if len(tokens) > 1:  # "covid-19", "l'insécurité": the word's parts, in order
        words = [(token.position, token.text) for token in tokens]
        return Query.boost_query(Query.phrase_query(SCHEMA, name, words), boost)
    term = tokens[0].text
    exact = Query.boost_query(Query.term_query(SCHEMA, name, term), boost)
    distance = fuzzy_distance(term) if fuzzy else 0
    if not distance:
        return exact
    near = Query.fuzzy_term_query(SCHEMA, name, term, distance=distance)
    # A fuzzy match scores a constant: weighted low so exact words rank first.
    return Query.boolean_query(
        [(Occur.Should, exact), (Occur.Should, Query.boost_query(near, boost * FUZZY_WEIGHT))]
    )


def _spelling_candidates(searcher, word: str) -> list[tuple[str, int]]:
    # Words sharing the first letters (two for longer words) and about the same length: a
    # bounded list whatever the vocabulary, so a misspelt query stays cheap.
    prefix = word[:2] if len(word) > 4 else word[:1]
    terms = searcher.terms_with_prefix("spell", prefix, limit=MAX_SPELLING_CANDIDATES)
    return [(term, count) for term, count in terms if abs(len(term) - len(word)) <= 2]


def _spelling_queries(word: str) -> list[Query]:
    folded = SPELL.analyze(word)
    if len(folded) != 1 or not fuzzy_distance(folded[0]):
        return []
    near = Query.fuzzy_term_query(SCHEMA, "spell", folded[0], distance=fuzzy_distance(folded[0]))
    return [Query.boost_query(near, FUZZY_WEIGHT)]


def _phrase_query(name: str, text: str, language: str, boost: float):
    tokens = ANALYZERS[language].pre_tokenize(text).tokens
    if not tokens:
        return None
    if len(tokens) == 1:
        return Query.boost_query(Query.term_query(SCHEMA, name, tokens[0].text), boost)
    words = [(token.position, token.text) for token in tokens]
    return Query.boost_query(Query.phrase_query(SCHEMA, name, words), boost)
