"""The analysis profile both engines share: languages, fields, boosts, facets, fragments and
the fuzziness rule. An engine translates these into its own terms; it never redefines them.
"""

from __future__ import annotations

# Locales with a language analyzer (stemming, stop words, accent folding) in both engines,
# with their Snowball name: tantivy takes it as written, Elasticsearch capitalized.
SNOWBALL = {
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "it": "italian",
    "de": "german",
    "pt": "portuguese",
}
ANALYZED_LANGUAGES = tuple(SNOWBALL)
DEFAULT_LANGUAGE = "en"

# Elided articles ("l'état", "dell'Europa"), removed by the Elasticsearch analyzers: the lists
# of Elasticsearch's own french and italian analyzers.
ELISIONS = {
    "fr": ["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"],
    "it": [
        "c", "l", "all", "dall", "dell", "nell", "sull", "coll", "pell", "gl", "agl", "dagl",
        "degl", "negl", "sugl", "un", "m", "t", "s", "v", "d",
    ],
}  # fmt: skip

# A page's own text fields, each indexed once per analyzed language: `title_fr`, `body_de`.
TEXT_FIELDS = ("title", "subtitle", "summary", "body", "people", "tags")
# Raw (untokenized) fields: filters and facets.
KEYWORDS = ("type", "kind", "locale", "sites", "topics", "languages")
# Did-you-mean words come from the page's own text, not PDFs (full of OCR noise) or names.
SPELL_FIELDS = ("title", "subtitle", "summary", "body", "tags")

# Field boosts: title over summary over body over PDF text.
BOOSTS = {
    "title": 6.0,
    "subtitle": 3.0,
    "tags": 2.5,
    "summary": 2.0,
    "people": 2.0,
    "body": 1.0,
    "pdf": 0.5,
}
# A word matched by the best field scores whole, by the others this fraction of theirs.
TIE_BREAKER = 0.3
# A fuzzy match, or a match on the words as written (not stemmed), weighs this much.
FUZZY_WEIGHT = 0.1

# The facet of the public API and the indexed field it counts.
FACET_FIELDS = {"type": "type", "kind": "kind", "topic": "topics", "language": "languages"}
# Values counted per facet.
FACET_SIZE = 200
# Stands for "no year" in the year facet's counts.
MISSING_YEAR = -1

# Fields that highlights are taken from, in the order a front end shows them.
HIGHLIGHT_FIELDS = ("title", "summary", "body", "pdf")
FRAGMENT_SIZE = 150
# Fragments per highlighted field (the title is highlighted whole).
FRAGMENTS = 2


def field_name(base: str, language: str) -> str:
    """The per-language field of a text field, in both engines: `title_fr`, `pdf_de`."""
    return f"{base}_{language}"


def analysis_language(code: str, fallback: str = DEFAULT_LANGUAGE) -> str:
    """The analyzer for text in language `code`: its own if analyzed, else `fallback`."""
    return code if code in ANALYZED_LANGUAGES else fallback


def fuzzy_distance(word: str) -> int:
    """Typos allowed in a word, as Elasticsearch's fuzziness AUTO: none up to 2 characters,
    1 up to 5, then 2."""
    return 0 if len(word) <= 2 else 1 if len(word) <= 5 else 2
