"""The text of PDF downloads, for the search index: extracted once per file, cached by hash,
capped (`SEARCH_PDF_MAX_PAGES`, `SEARCH_PDF_MAX_CHARS`); a file that cannot be read is indexed
without its text, the reason kept beside it and logged."""

from __future__ import annotations

import logging

from django.conf import settings
from pypdf import PdfReader

from .models import ExtractedText

logger = logging.getLogger(__name__)


def extract_pdf_text(file, *, max_pages: int, max_chars: int) -> tuple[str, bool]:
    """Text of an open PDF file, and whether it was cut at one of the caps."""
    reader = PdfReader(file)
    parts: list[str] = []
    size = 0
    truncated = len(reader.pages) > max_pages
    for page in reader.pages[:max_pages]:
        text = " ".join((page.extract_text() or "").split())
        if size + len(text) >= max_chars:
            parts.append(text[: max_chars - size])
            truncated = True
            break
        parts.append(text)
        size += len(text) + 1
    return "\n".join(parts), truncated


_LOOK_IT_UP = object()


def extracted_texts(document_ids) -> dict[int, ExtractedText]:
    """The stored texts of these documents, in one query (for `document_text(cached=...)`)."""
    return {
        row.document_id: row for row in ExtractedText.objects.filter(document_id__in=document_ids)
    }


def document_text(document, cached=_LOOK_IT_UP) -> str:
    """The (cached) text of a Wagtail document if it is a PDF; "" for anything else.

    `cached` is the document's ExtractedText row (or None) when the caller fetched it with
    others (`extracted_texts`); by default it is looked up here.
    """
    if document.file_extension.lower() != "pdf":
        return ""
    # Documents made outside the admin's forms may have no hash yet: Wagtail computes it.
    file_hash = document.get_file_hash()
    if cached is _LOOK_IT_UP:
        cached = ExtractedText.objects.filter(document_id=document.pk).first()
    if cached is not None and cached.file_hash == file_hash:
        return cached.text
    # The same file uploaded as another document (a translation's PDF reused, a re-upload).
    same_file = ExtractedText.objects.filter(file_hash=file_hash).exclude(file_hash="").first()
    if same_file is not None:
        ExtractedText.objects.update_or_create(
            document_id=document.pk,
            defaults={
                "file_hash": file_hash,
                "text": same_file.text,
                "truncated": same_file.truncated,
                "error": same_file.error,
            },
        )
        return same_file.text
    text, truncated, error = "", False, ""
    try:
        with document.open_file() as handle:
            text, truncated = extract_pdf_text(
                handle,
                max_pages=settings.SEARCH_PDF_MAX_PAGES,
                max_chars=settings.SEARCH_PDF_MAX_CHARS,
            )
    except Exception as error_:  # pypdf raises many kinds on a broken file; none may stop indexing
        error = f"{type(error_).__name__}: {error_}"[:500]
        logger.warning(
            "Document %s «%s»: field 'file': its PDF text could not be read (%s); it is "
            "indexed without it. Replace the file with a valid PDF to make its text searchable.",
            document.pk,
            document.title,
            error,
        )
    ExtractedText.objects.update_or_create(
        document_id=document.pk,
        defaults={"file_hash": file_hash, "text": text, "truncated": truncated, "error": error},
    )
    return text
