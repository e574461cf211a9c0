# The titles are the catalogue's own, dashes included.
# ruff: noqa: RUF001
"""Cross-language search on the demo catalogue: a French, a German and a Spanish query each
find a publication that exists in English only, in the first five hits; lexically they find
nothing like it. (The relevance benchmark, benchmarks/relevance_cases.py, measures more.)"""

from __future__ import annotations

import pytest
from wagtail.models import Page

from catalogue.demo import load_demo
from search import indexing
from search.engines import get_engine
from search.hybrid import run_search
from search.query import SearchRequest, parse_query
from tests.search.test_relevance import EXPECTED_FIRST

# (language, what a reader types, the English-only publication it must find)
CASES = [
    ("fr", "vidéosurveillance", "Citizens, Cities and Video Surveillance"),
    ("de", "Drogenpolitik", "SOLIDIFY – Reinforcing Harm Reduction Strategies at the Local Level"),
    (
        "es",
        "política de drogas",
        "SOLIDIFY – Reinforcing Harm Reduction Strategies at the Local Level",
    ),
]


@pytest.fixture
def demo_index(db, hybrid):
    load_demo(lambda message: None, demo_files=False)
    indexing.rebuild()


def first_five(text: str, mode: str) -> list[str]:
    request = SearchRequest(query=parse_query(text), locale="en", mode=mode)
    return [hit.title for hit in run_search(get_engine(), request).hits[:5]]


def test_queries_in_three_languages_find_english_only_publications(demo_index):
    misses = []
    for language, text, title in CASES:
        page = Page.objects.get(title=title)
        assert not page.get_translations().exists(), f"{title} has a translation"
        assert title not in first_five(text, "lexical")
        found = first_five(text, "hybrid")
        if title not in found:
            misses.append(f"{language} {text!r}: expected {title!r}, got {found}")
    assert not misses, "\n".join(misses)


def test_hybrid_keeps_the_lexical_first_hits_in_its_top_three(demo_index):
    # The relevance tests' cases (test_relevance.py), each first lexically: HYBRID may reorder
    # them but keeps each in its first three (the typo "radicalisaton" too: search.hybrid).
    misses = []
    for text, title in EXPECTED_FIRST:
        found = first_five(text, "hybrid")[:3]
        if title not in found:
            misses.append(f"{text!r}: expected {title!r} in {found}")
    assert not misses, "\n".join(misses)
