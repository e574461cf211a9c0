"""The finder behind `similarPublications` (cms.similar): the nearest pages by vector, from the
engine in use; registered with the `find_similar_pages` hook in wagtail_hooks.py."""

from __future__ import annotations

import logging

from wagtail.models import Page

from .embeddings import vectors_enabled
from .engines import get_engine
from .query import SearchUnavailable

logger = logging.getLogger(__name__)


def similar_page_ids(page: Page, *, types: tuple[str, ...], limit: int) -> list[int]:
    """Nearest first; none when vectors are off or the engine cannot answer (the page still
    shows, without related reading)."""
    if not vectors_enabled():
        return []
    try:
        return get_engine().similar(page.pk, types=types, limit=limit)
    except SearchUnavailable as error:
        logger.warning("Similar pages of page %s are unavailable: %s", page.pk, error)
        return []
