"""The finder behind `similarPublications` (cms.similar): the nearest pages by vector, from the
engine in use; registered with the `find_similar_pages` hook in wagtail_hooks.py."""

from __future__ import annotations

import logging

from .embeddings import vectors_enabled
from .engines import get_engine
from .query import SearchUnavailable

logger = logging.getLogger(__name__)


def similar_page_ids(
    page_ids: list[int], *, types: tuple[str, ...], limit: int
) -> dict[int, list[int]]:
    """Per page, nearest first, in its locale and on its own sites; none when vectors are off
    or the engine cannot answer (the pages still show, without related reading)."""
    if not vectors_enabled():
        return {}
    try:
        return get_engine().similar(page_ids, types=types, limit=limit)
    except SearchUnavailable as error:
        logger.warning("Similar pages of pages %s are unavailable: %s", page_ids[:10], error)
        return {}
