"""The Elasticsearch index as an `elasticsearch.dsl` document: its analyzers (from
`search.analysis`), its strict mapping, and the source of each page, prepared field by field
from the page's `SearchDocument` (`prepare_<field>`, as kitsune's documents do).
"""

from __future__ import annotations

from typing import Any

from elasticsearch.dsl import (
    Date,
    DenseVector,
    Index,
    Integer,
    Keyword,
    Long,
    MetaField,
    Nested,
    SearchAsYouType,
    Text,
    analyzer,
    token_filter,
)
from elasticsearch.dsl import Document as IndexDocument

from ...analysis import (
    ANALYZED_LANGUAGES,
    ELISIONS,
    SNOWBALL,
    SPELL_FIELDS,
    TEXT_FIELDS,
    analysis_language,
    field_name,
)
from ...documents import SearchDocument
from ...embeddings import DIMENSIONS


def _text_analyzer(language: str):
    """Stemmed, accent-folded text of one language; stop words go before folding, since the
    lists hold accented words ("été", "für")."""
    filters: list[Any] = []
    if language in ELISIONS:
        # Before lowercase, hence articles_case.
        filters.append(
            token_filter(
                f"elision_{language}",
                "elision",
                articles=ELISIONS[language],
                articles_case=True,
            )
        )
    filters += [
        "lowercase",
        token_filter(f"stop_{language}", "stop", stopwords=f"_{SNOWBALL[language]}_"),
        "asciifolding",
        token_filter(f"stem_{language}", "snowball", language=SNOWBALL[language].capitalize()),
    ]
    return analyzer(f"text_{language}", tokenizer="standard", filter=filters)


# Words as typed, only folded: what did-you-mean proposes and search-as-you-type matches.
SPELL = analyzer("spell", tokenizer="standard", filter=["lowercase", "asciifolding"])

# Each text field once per analyzed language, each with that language's analyzer.
LANGUAGE_FIELDS = {
    field_name(base, language): Text(analyzer=_text_analyzer(language))
    for language in ANALYZED_LANGUAGES
    for base in (*TEXT_FIELDS, "pdf")
}


class PageIndexDocument(IndexDocument):
    """One catalogue page as Elasticsearch indexes it."""

    id = Long()
    type = Keyword()
    kind = Keyword()
    locale = Keyword()
    sites = Keyword(multi=True)
    topics = Keyword(multi=True)
    languages = Keyword(multi=True)
    version = Keyword()
    year = Integer()
    date = Date()
    # Shown, never searched: the title is searched through title_<language>.
    title = Keyword(index=False)
    url = Keyword(index=False)
    # title_en ... pdf_pt (LANGUAGE_FIELDS) are added to the mapping below this class.
    spell = Text(analyzer=SPELL)
    title_suggest = SearchAsYouType(analyzer=SPELL)
    # The page's vectors (search.vectors): its metadata's, then its PDF chunks'. Nested, so a
    # knn search scores a page by its nearest passage (basic license: HNSW, cosine).
    passages = Nested(
        properties={
            "vector": DenseVector(dims=DIMENSIONS, similarity="cosine", index=True),
        }
    )

    class Meta:
        # A field the mapping does not know is a bug to refuse, not a guess to store.
        dynamic = MetaField("strict")

    @classmethod
    def prepare(cls, page: SearchDocument) -> PageIndexDocument:
        """The document of a page: each field from `prepare_<field>` if there is one, else
        the page's attribute of that name; a language field only when it has text."""
        document = cls(meta={"id": page.id})
        texts = document.prepare_texts(page)
        for name in cls._doc_type.mapping:
            if name in LANGUAGE_FIELDS:
                if name in texts:
                    document[name] = texts[name]
                continue
            prepare = getattr(document, f"prepare_{name}", None)
            document[name] = prepare(page) if prepare else getattr(page, name)
        return document

    def prepare_texts(self, page: SearchDocument) -> dict[str, str]:
        """The page's own text in its language's fields, each PDF's in its own."""
        language = page.text_language
        texts = {
            field_name(base, language): value
            for base in TEXT_FIELDS
            if (value := getattr(page, base))
        }
        for code, text in page.pdf_text.items():
            if not text:
                continue
            # The strict mapping has pdf fields for analyzed languages only.
            name = field_name("pdf", analysis_language(code, language))
            texts[name] = f"{texts[name]}\n{text}" if name in texts else text
        return texts

    def prepare_sites(self, page: SearchDocument) -> list[str]:
        return list(page.sites)

    def prepare_topics(self, page: SearchDocument) -> list[str]:
        return list(page.topics)

    def prepare_languages(self, page: SearchDocument) -> list[str]:
        return list(page.languages)

    def prepare_version(self, page: SearchDocument) -> str:
        return page.version()

    def prepare_date(self, page: SearchDocument) -> str | None:
        return page.date.isoformat() if page.date else None

    def prepare_spell(self, page: SearchDocument) -> list[str]:
        return [value for base in SPELL_FIELDS if (value := getattr(page, base))]

    def prepare_title_suggest(self, page: SearchDocument) -> str:
        return page.title

    def prepare_passages(self, page: SearchDocument) -> list[dict[str, list[float]]]:
        if page.vectors is None:
            return []
        return [{"vector": [float(x) for x in row]} for row in page.vectors]


def _declare(document: type[IndexDocument], fields: dict[str, Text]) -> None:
    # Forty-two fields built from the analysis profile, too many to spell out in the class.
    for name, field in fields.items():
        document._doc_type.mapping.field(name, field)


_declare(PageIndexDocument, LANGUAGE_FIELDS)


def index_definition(name: str) -> Index:
    """The settings, analyzers and strict mapping of one concrete index."""
    index = Index(name)
    # One shard: a catalogue of thousands of pages, and scores and spelling statistics that
    # do not vary with the shard a page lands on.
    index.settings(number_of_shards=1)
    index.mapping(PageIndexDocument._doc_type.mapping)
    return index


def document_body(page: SearchDocument) -> dict[str, Any]:
    """The indexed source of one page: its own text in its language, each PDF in its own."""
    return PageIndexDocument.prepare(page).to_dict(skip_empty=False)


def index_action(index: str, page: SearchDocument) -> dict[str, Any]:
    """The bulk action that writes one page's document into `index`."""
    return {"_op_type": "index", "_index": index, "_id": page.id, "_source": document_body(page)}


def alias_actions(alias: str, old_indexes: list[str], new_index: str) -> list[dict[str, Any]]:
    """One `update_aliases` call's actions: the alias leaves the old indexes for the new one."""
    actions: list[dict[str, Any]] = [
        {"remove": {"index": old, "alias": alias}} for old in sorted(old_indexes)
    ]
    actions.append({"add": {"index": new_index, "alias": alias}})
    return actions
