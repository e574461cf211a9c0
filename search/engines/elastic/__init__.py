"""The Elasticsearch engine: its index as an `elasticsearch.dsl` document (`documents`), its
requests built with `Search` (`queries`), and `ElasticsearchEngine` (`engine`). Every request
body comes from a pure function, so tests compare them exactly without a server."""

from .documents import PageIndexDocument, alias_actions, document_body, index_definition
from .engine import UNAVAILABLE, ElasticsearchEngine
from .queries import search_body, search_request, suggest_body, suggest_request, suggestion_text

__all__ = [
    "UNAVAILABLE",
    "ElasticsearchEngine",
    "PageIndexDocument",
    "alias_actions",
    "document_body",
    "index_definition",
    "search_body",
    "search_request",
    "suggest_body",
    "suggest_request",
    "suggestion_text",
]
