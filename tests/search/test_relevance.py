# The titles are the catalogue's own, dashes and lengths included.
# ruff: noqa: RUF001
"""Relevance on the demo catalogue: for a dozen searches a reader would make, the item that
must come first does."""

import pytest

from catalogue.demo import load_demo
from search import indexing
from search.engines import get_engine
from search.query import SearchRequest, parse_query

# (what a reader types, the title that must be the first hit)
EXPECTED_FIRST = [
    ("radicalisation local level", "Preventing and Fighting Radicalisation at the Local Level"),
    ("video surveillance charter", "Charter for a Democratic Use of Video Surveillance"),
    ("safety audits", "Guidance on Local Safety Audits"),
    ("drinking nightlife alcohol", "Safer Drinking Scenes – Alcohol, City and Nightlife"),
    (
        "police population relations",
        "Police-population relations: challenges, local practices and recommendations",
    ),
    ("harm reduction", "SOLIDIFY – Reinforcing Harm Reduction Strategies at the Local Level"),
    ("tourism", "Security and Tourism: Concerted Local Policies"),
    ("Brussels declaration", "Brussels Declaration on the security of public spaces"),
    (
        "Prague drug policy",
        "The Prague Declaration on the principles of effective local drug policies",
    ),
    (
        "manifesto Aubervilliers",
        "Security, Democracy and Cities: The Manifesto of Aubervilliers and Saint-Denis",
    ),
    (
        "polarisation disinformation",
        "How to strengthen local safety at a time of increasing polarisation and disinformation",
    ),
    ("Ukraine", "Standing in solidarity with the people of Ukraine"),
    (
        "discriminatory violence amateur sport",
        "MATCH-SPORT – Analysing discriminatory violence in amateur sport",
    ),
    ("radicalisaton", "Preventing and Fighting Radicalisation at the Local Level"),
]


@pytest.fixture
def demo_index(db):
    load_demo(lambda message: None, demo_files=False)
    indexing.rebuild()


def test_the_expected_item_comes_first(demo_index):
    engine = get_engine()
    misses = []
    for text, title in EXPECTED_FIRST:
        hits = engine.search(SearchRequest(query=parse_query(text), locale="en")).hits
        first = hits[0].title if hits else None
        if first != title:
            misses.append(f"{text!r}: expected {title!r}, got {[h.title for h in hits[:3]]}")
    assert not misses, "\n".join(misses)
