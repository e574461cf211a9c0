"""What the public search holds for one page: a `SearchDocument`, the same for both engines.

Only live, public pages of the catalogue's three types become documents; a page that is not
(any more) gets none, and the index drops it. The text of a page's PDF downloads is part of its
document, per download language, except for files in a restricted collection.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from wagtail.models import Page, Site
from wagtail.rich_text import get_text_for_indexing

from cms.models import Topic
from cms.topic_translations import localize_topics, topics_of
from cms.visibility import page_is_public, public_pages, restricted_collection_ids
from positions.models import PositionPaperPage, PressReleasePage
from publications.models import PublicationPage

from .analysis import analysis_language
from .pdf_text import document_text, extracted_texts

# The content types the public searches, by the name the API gives them.
SEARCHABLE_TYPES: dict[str, type[Page]] = {
    "publication": PublicationPage,
    "position_paper": PositionPaperPage,
    "press_release": PressReleasePage,
}
TYPE_OF_MODEL = {model: name for name, model in SEARCHABLE_TYPES.items()}


@dataclass
class SearchDocument:
    """One page as the search engines index it.

    The page's own text is analyzed with its locale's language; each PDF's text with the
    language of its download (a French PDF of an English page is stemmed as French).
    """

    id: int
    type: str
    kind: str
    locale: str
    title: str
    url: str
    sites: list[str]
    date: datetime.date | None
    subtitle: str = ""
    summary: str = ""
    body: str = ""
    people: str = ""
    tags: str = ""
    topics: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    pdf_text: dict[str, str] = field(default_factory=dict)
    # Set by the index worker (search.vectors.attach_vectors): one row per embedded text, and
    # the embedder that made them; None when vectors are off or the model failed.
    vectors: Any = field(default=None, repr=False, compare=False)
    embedded_by: str = ""

    @property
    def year(self) -> int | None:
        return self.date.year if self.date else None

    @property
    def text_language(self) -> str:
        return analysis_language(self.locale)

    def version(self) -> str:
        """A digest of everything indexed: two documents with one version are the same.

        The vectors count by the model that made them: a page indexed without (the model
        failed) or by another model is stale for `reconcile`, which embeds it again.
        """
        fields = asdict(dataclasses.replace(self, vectors=None))
        del fields["vectors"]
        if not self.embedded_by:
            del fields["embedded_by"]
        payload = json.dumps(fields, sort_keys=True, default=str)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]


def pdf_language(code: str, page_language: str) -> str:
    """The analyzer for a download's text: its own language if analyzed, else the page's."""
    return analysis_language(code, page_language)


def _text(rich_text: str) -> str:
    return get_text_for_indexing(rich_text or "")


def _stream_text(stream) -> str:
    if not stream:
        return ""
    return " ".join(
        text for text in stream.stream_block.get_searchable_content(stream) if isinstance(text, str)
    )


def _downloads(page: Page) -> list:
    if isinstance(page, PressReleasePage):
        return list(page.attachments.all())
    return list(page.downloads.all())


def _site_hostnames(page: Page, site_roots: list[tuple[str, list[str]]]) -> list[str]:
    return [
        hostname
        for hostname, paths in site_roots
        if any(page.path.startswith(path) for path in paths)
    ]


class _Memo:
    """Stands in for a request: the visibility helpers keep what they look up on it."""


@dataclass
class Context:
    """What every document of a batch needs, fetched once for the batch."""

    # Each site's hostname with the tree paths of its root page and the root's translations
    # (a French page lives under the French home page, a sibling of the site's root).
    site_roots: list[tuple[str, list[str]]]
    hidden_collections: frozenset[int]
    memo: _Memo = field(default_factory=_Memo)
    texts: dict[int, Any] | None = None  # ExtractedText rows by document id, if prefetched

    @classmethod
    def current(cls) -> Context:
        memo = _Memo()
        site_roots = []
        for site in Site.objects.select_related("root_page"):
            translations = Page.objects.filter(translation_key=site.root_page.translation_key)
            paths = [site.root_page.path, *translations.values_list("path", flat=True)]
            site_roots.append((site.hostname, paths))
        return cls(site_roots, restricted_collection_ids(memo), memo)


def build_document(page: Page, context: Context | None = None) -> SearchDocument | None:
    """The document for `page`, or None when the page must not be in the public index."""
    page = page.specific
    context = context or Context.current()
    kind_of = TYPE_OF_MODEL.get(type(page))
    if kind_of is None or not page_is_public(page, context.memo):
        return None
    hidden = context.hidden_collections
    language = page.locale.language_code if page.locale_id else settings.LANGUAGE_CODE
    text_language = analysis_language(language)

    downloads = [d for d in _downloads(page) if d.document.collection_id not in hidden]
    pdf_text: dict[str, list[str]] = {}
    for download in downloads:
        if context.texts is None:
            text = document_text(download.document)
        else:
            text = document_text(download.document, context.texts.get(download.document_id))
        if text:
            pdf_text.setdefault(pdf_language(download.language, text_language), []).append(text)

    topics = topics_of(page)
    people: list[str] = []
    tags = [topic.name for topic in topics]
    kind = ""
    subtitle = ""
    if isinstance(page, PublicationPage):
        kind = page.publication_type
        subtitle = page.subtitle
        people = [author.name for author in page.authors.all()]
        if page.project_id:
            tags += [page.project.acronym, page.project.name]
    elif isinstance(page, PositionPaperPage):
        kind = page.kind
        subtitle = page.place
        people = [signatory.member.name for signatory in page.signatories.all() if signatory.member]
    else:
        kind = "press_release"

    return SearchDocument(
        id=page.pk,
        type=kind_of,
        kind=kind,
        locale=language,
        title=page.title,
        url=page.get_url() or "",
        sites=_site_hostnames(page, context.site_roots),
        date=page.date,
        subtitle=subtitle,
        summary=_text(page.summary),
        body=_stream_text(page.body),
        people=" ; ".join(people),
        tags=" ; ".join(t for t in tags if t),
        topics=sorted({topic.slug for topic in topics}),
        languages=sorted({d.language for d in downloads if d.language}),
        pdf_text={code: "\n".join(texts) for code, texts in sorted(pdf_text.items())},
    )


def _with_relations(queryset):
    model = queryset.model
    related = ["locale"]
    topics = Topic.objects.only("slug", "name", "translation_key", "locale_id")
    prefetch: list = [Prefetch("topics", queryset=topics)]
    if model is PublicationPage:
        related.append("project")
        prefetch += ["authors", "downloads__document"]
    elif model is PositionPaperPage:
        prefetch += ["signatories__member", "downloads__document"]
    else:
        prefetch.append("attachments__document")
    return queryset.select_related(*related).prefetch_related(*prefetch)


def searchable_chunks(
    types: Iterable[str] = SEARCHABLE_TYPES, chunk: int = 200
) -> Iterator[list[Page]]:
    """Every live, public page that belongs in the index, in chunks loaded with relations."""
    for name in types:
        model = SEARCHABLE_TYPES[name]
        queryset = _with_relations(public_pages(model.objects.all(), None).order_by("pk"))
        ids = list(queryset.values_list("pk", flat=True))
        for start in range(0, len(ids), chunk):
            yield list(queryset.filter(pk__in=ids[start : start + chunk]))


def documents_of(pages: list[Page], context: Context | None = None) -> list[SearchDocument]:
    """The documents of those of `pages` that belong in the index (a handful of queries)."""
    context = context or Context.current()
    document_ids = [d.document_id for page in pages for d in _downloads(page.specific)]
    localize_topics([page.specific for page in pages if hasattr(page.specific, "topics")])
    batch = dataclasses.replace(context, texts=extracted_texts(document_ids))
    return [doc for page in pages if (doc := build_document(page, batch)) is not None]


def iter_documents(types: Iterable[str] = SEARCHABLE_TYPES) -> Iterator[SearchDocument]:
    """The documents of every page that belongs in the index."""
    context = Context.current()
    for pages in searchable_chunks(types):
        yield from documents_of(pages, context)


def searchable_count() -> int:
    return sum(public_pages(m.objects.all(), None).count() for m in SEARCHABLE_TYPES.values())
