"""The embedded index's tantivy schema, its analyzers (from `search.analysis`), and the
tantivy document of a `SearchDocument`."""

from __future__ import annotations

import tantivy
from tantivy import Document, Filter, Index, SchemaBuilder, TextAnalyzerBuilder, Tokenizer

from ...analysis import (
    ANALYZED_LANGUAGES,
    HIGHLIGHT_FIELDS,
    KEYWORDS,
    MISSING_YEAR,
    SNOWBALL,
    SPELL_FIELDS,
    TEXT_FIELDS,
    field_name,
)
from ...documents import SearchDocument

# Text stored for snippets: the highlighted fields (PDF text is stored in every language).
STORED_TEXT = tuple(base for base in HIGHLIGHT_FIELDS if base != "pdf")
# Longer tokens are dropped: hashes, URLs, runs of OCR noise.
MAX_TOKEN_CHARS = 40


def _text_analyzer(language: str) -> tantivy.TextAnalyzer:
    # Stop words before folding: the lists hold accented words ("été", "für").
    return (
        TextAnalyzerBuilder(Tokenizer.simple())
        .filter(Filter.remove_long(MAX_TOKEN_CHARS))
        .filter(Filter.lowercase())
        .filter(Filter.stopword(SNOWBALL[language]))
        .filter(Filter.ascii_fold())
        .filter(Filter.stemmer(SNOWBALL[language]))
        .build()
    )


def _spell_analyzer() -> tantivy.TextAnalyzer:
    return (
        TextAnalyzerBuilder(Tokenizer.simple())
        .filter(Filter.remove_long(MAX_TOKEN_CHARS))
        .filter(Filter.lowercase())
        .filter(Filter.ascii_fold())
        .build()
    )


ANALYZERS = {language: _text_analyzer(language) for language in ANALYZED_LANGUAGES}
SPELL = _spell_analyzer()


def build_schema() -> tantivy.Schema:
    builder = SchemaBuilder()
    builder.add_unsigned_field("id", stored=True, indexed=True, fast=True)
    for name in KEYWORDS:
        builder.add_text_field(name, stored=True, tokenizer_name="raw", fast=True)
    builder.add_text_field("version", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("url", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("date", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("year", stored=True, indexed=True, fast=True)
    builder.add_integer_field("date_sort", fast=True)
    for language in ANALYZED_LANGUAGES:
        for base in TEXT_FIELDS:
            builder.add_text_field(
                field_name(base, language),
                stored=base in STORED_TEXT,
                tokenizer_name=f"text_{language}",
            )
        builder.add_text_field(
            field_name("pdf", language), stored=True, tokenizer_name=f"text_{language}"
        )
    builder.add_text_field("spell", tokenizer_name="spell")
    builder.add_text_field("title_words", tokenizer_name="spell")
    return builder.build()


SCHEMA = build_schema()


def register(index: Index) -> Index:
    # Analyzers are not stored in the index: every opening registers them again.
    for language, analyzer in ANALYZERS.items():
        index.register_tokenizer(f"text_{language}", analyzer)
    index.register_tokenizer("spell", SPELL)
    return index


def to_tantivy(document: SearchDocument) -> Document:
    """The tantivy document of a SearchDocument (its own text in its locale's fields)."""
    doc = Document()
    doc.add_unsigned("id", document.id)
    for name, values in (
        ("type", [document.type]),
        ("kind", [document.kind]),
        ("locale", [document.locale]),
        ("sites", document.sites),
        ("topics", document.topics),
        ("languages", document.languages),
    ):
        for value in values:
            if value:
                doc.add_text(name, value)
    doc.add_text("version", document.version())
    doc.add_text("title", document.title)
    doc.add_text("url", document.url)
    doc.add_integer("year", document.year if document.year else MISSING_YEAR)
    if document.date:
        doc.add_text("date", document.date.isoformat())
        doc.add_integer("date_sort", document.date.toordinal())
    else:
        doc.add_integer("date_sort", 0)  # unknown dates sort last, newest first
    language = document.text_language
    for base in TEXT_FIELDS:
        value = getattr(document, base)
        if value:
            doc.add_text(field_name(base, language), value)
    for pdf_language, text in document.pdf_text.items():
        doc.add_text(field_name("pdf", pdf_language), text)
    spell = [getattr(document, base) for base in SPELL_FIELDS]
    doc.add_text("spell", "\n".join(part for part in spell if part))
    doc.add_text("title_words", document.title)
    return doc
