"""Highlighted fragments of the embedded engine's hits, marked up as Elasticsearch does."""

from __future__ import annotations

import html

from tantivy import Document, Query, SnippetGenerator

from ...analysis import ANALYZED_LANGUAGES, FRAGMENT_SIZE, FRAGMENTS, field_name
from ...query import Highlight
from .schema import SCHEMA, STORED_TEXT


class Snippets:
    """Highlighted fragments of one search's hits, from its title, summary, body and PDFs."""

    def __init__(self, searcher, query: Query, language: str) -> None:
        self.searcher = searcher
        self.query = query
        self.language = language
        self._generators: dict[str, SnippetGenerator] = {}

    def _generator(self, name: str) -> SnippetGenerator:
        if name not in self._generators:
            generator = SnippetGenerator.create(self.searcher, self.query, SCHEMA, name)
            generator.set_max_num_chars(FRAGMENT_SIZE)
            self._generators[name] = generator
        return self._generators[name]

    def for_document(self, doc: Document) -> list[Highlight]:
        highlights = []
        for base in STORED_TEXT:
            fragment = self._fragment(doc, field_name(base, self.language))
            if fragment:
                highlights.append(Highlight(field=base, fragments=[fragment]))
        pdf = []
        for code in ANALYZED_LANGUAGES:
            if fragment := self._fragment(doc, field_name("pdf", code)):
                pdf.append(fragment)
                if len(pdf) == FRAGMENTS:
                    break
        if pdf:
            highlights.append(Highlight(field="pdf", fragments=pdf))
        return highlights

    def _fragment(self, doc: Document, name: str) -> str | None:
        if not doc.get_first(name):
            return None
        snippet = self._generator(name).snippet_from_doc(doc)
        ranges = snippet.highlighted()
        if not ranges:
            return None
        return mark(snippet.fragment(), [(r.start, r.end) for r in ranges])


def mark(fragment: str, byte_ranges: list[tuple[int, int]]) -> str:
    """HTML of a fragment with its matched words in <mark> (tantivy gives byte offsets)."""
    data = fragment.encode()
    parts, position = [], 0
    for start, end in sorted(byte_ranges):
        parts.append(html.escape(data[position:start].decode(errors="ignore")))
        parts.append("<mark>" + html.escape(data[start:end].decode(errors="ignore")) + "</mark>")
        position = end
    parts.append(html.escape(data[position:].decode(errors="ignore")))
    return "".join(parts)
