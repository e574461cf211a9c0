"""Parsing the public's words, and the did-you-mean distance."""

import pytest

from search.query import MAX_QUERY_LENGTH, ParsedQuery, SearchInputError, parse_query
from search.spelling import best_correction, edit_distance


def test_words_phrases_and_exclusions_are_told_apart():
    assert parse_query('drug "harm reduction" -alcohol') == ParsedQuery(
        words=("drug",), phrases=(("harm", "reduction"),), excluded=("alcohol",)
    )


def test_query_syntax_is_read_as_plain_words():
    # Field names, boolean operators and wildcards mean nothing: they are words or nothing.
    assert parse_query("title:police OR drug* (AND)").words == (
        "title",
        "police",
        "OR",
        "drug",
        "AND",
    )


def test_a_one_word_phrase_is_a_word():
    assert parse_query('"police"') == ParsedQuery(words=("police",))


def test_accented_and_apostrophe_words_are_kept_whole():
    assert parse_query("l'insécurité urbaine").words == ("l'insécurité", "urbaine")


@pytest.mark.parametrize("text", ["", "   ", "+ - | *", '""', "-police", "(){}[]"])
def test_nothing_to_search_for_is_an_error(text):
    with pytest.raises(SearchInputError):
        parse_query(text)


def test_too_long_a_query_is_an_error():
    with pytest.raises(SearchInputError, match=str(MAX_QUERY_LENGTH)):
        parse_query("a" * (MAX_QUERY_LENGTH + 1))


def test_a_query_at_the_length_limit_is_accepted():
    assert parse_query("a" * MAX_QUERY_LENGTH).words == ("a" * MAX_QUERY_LENGTH,)


def test_too_many_words_is_an_error():
    with pytest.raises(SearchInputError):
        parse_query(" ".join(f"w{i}" for i in range(21)))


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("police", "police", 0),
        ("polcie", "police", 1),
        ("plice", "police", 1),
        ("pol", "police", 3),
    ],
)
def test_edit_distance_counts_swaps_as_one(a, b, distance):
    assert edit_distance(a, b, limit=3) == min(distance, 4)


def test_correction_prefers_the_nearest_then_the_most_frequent():
    candidates = [("policy", 40), ("police", 10), ("polices", 90)]
    assert best_correction("polise", candidates) == "police"


def test_short_words_are_not_corrected():
    assert best_correction("ab", [("an", 100)]) is None
