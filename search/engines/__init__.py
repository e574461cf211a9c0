"""The search engine the settings choose: Elasticsearch when ELASTICSEARCH_URL is set,
the embedded tantivy index otherwise."""

from __future__ import annotations

from functools import cache

from django.conf import settings

from .base import BaseSearchEngine


@cache
def _engine(kind: str, location: str) -> BaseSearchEngine:
    if kind == "elasticsearch":
        from .elastic import ElasticsearchEngine

        return ElasticsearchEngine(location, index_name=settings.SEARCH_INDEX_NAME)
    from .embedded import EmbeddedEngine

    return EmbeddedEngine(location)


def get_engine() -> BaseSearchEngine:
    """The configured engine (one per process and configuration)."""
    if settings.ELASTICSEARCH_URL:
        return _engine("elasticsearch", settings.ELASTICSEARCH_URL)
    return _engine("embedded", str(settings.SEARCH_INDEX_DIR))


def reset_engines() -> None:
    """Forget the engines made so far (tests that change the settings call this)."""
    _engine.cache_clear()
