"""A page's files (one per language) and how the API describes them: URL, type, size."""

from __future__ import annotations

import functools
import mimetypes
import os
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from grapple.models import GraphQLInt, GraphQLString
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

from ..api.context import api_context
from ..languages import EU_LANGUAGES


@functools.lru_cache(maxsize=4096)
def _document_path(urlconf: str | None, document_id: int, filename: str) -> str:
    return reverse("wagtaildocs_serve", urlconf=urlconf, args=[document_id, filename])


def document_path(request: HttpRequest | None, document_id: int, filename: str) -> str:
    """The path of Wagtail's serve view for a document (what `Document.url` reverses each
    time: a list of a hundred downloads asked for it hundreds of times)."""
    # The URLconf reverse() would use: the request's own if a middleware set one.
    urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
    return _document_path(urlconf, document_id, filename)


def mime_type(filename: str) -> str:
    """A document's content type, as Wagtail's `Document.content_type` works it out (the
    settings by extension, then the mimetypes table), once per ending ("report.pdf.gz" is
    read as a PDF, as Wagtail does)."""
    return _mime_type("".join(PurePath(filename).suffixes[-2:]))


@functools.lru_cache(maxsize=256)
def _mime_type(ending: str) -> str:
    configured = getattr(settings, "WAGTAILDOCS_CONTENT_TYPES", {})
    extension = os.path.splitext(ending)[1][1:]
    return (
        configured.get(extension.lower())
        or mimetypes.guess_type(f"file{ending}")[0]
        or "application/octet-stream"
    )


def absolute_url(request: HttpRequest, path: str) -> str:
    """`request.build_absolute_uri(path)`, with the scheme and host worked out once."""
    context = api_context(request)
    if context.absolute_base is None:
        context.absolute_base = request.build_absolute_uri("/")[:-1]
    return context.absolute_base + path


class BaseDownload(Orderable):
    """One file of a page in one language (the full report in French, its summary in German)."""

    language = models.CharField(
        max_length=2, choices=EU_LANGUAGES, help_text="Language of the file"
    )
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.CASCADE, related_name="+")
    label = models.CharField(
        max_length=100, blank=True, help_text='Optional, e.g. "summary" or "full report"'
    )

    panels = [FieldPanel("language"), FieldPanel("document"), FieldPanel("label")]

    graphql_fields = [
        GraphQLString("language", required=True, description="ISO 639-1 code"),
        GraphQLString("label"),
        GraphQLString("title", required=True, source="graphql_title"),
        GraphQLString("url", required=True, source="graphql_url", description="Absolute URL"),
        GraphQLInt("file_size", source="graphql_file_size", description="In bytes"),
        GraphQLString("mime_type", required=True, source="graphql_mime_type"),
        GraphQLString("file_extension", required=True, source="graphql_file_extension"),
    ]

    class Meta(Orderable.Meta):
        abstract = True

    def __str__(self) -> str:
        return f"{self.get_language_display()}: {self.document}"

    def graphql_title(self, info) -> str:
        return self.document.title

    @functools.cached_property
    def _filename(self) -> str:
        # Read once: every read of `document.file` goes through Django's file descriptor. The
        # API builds its rows afresh for each request, so it cannot go stale there.
        return os.path.basename(self.document.file.name)

    def graphql_url(self, info) -> str:
        # Wagtail's serve view, so the document's collection privacy is checked on download.
        path = document_path(info.context, self.document_id, self._filename)
        return absolute_url(info.context, path)

    def graphql_file_size(self, info) -> int | None:
        # Stored on upload and import; Wagtail measures (and stores) it once if missing.
        return self.document.get_file_size()

    def graphql_mime_type(self, info) -> str:
        return mime_type(self._filename)

    def graphql_file_extension(self, info) -> str:
        return os.path.splitext(self._filename)[1][1:]
