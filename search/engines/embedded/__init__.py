"""The embedded search engine: a tantivy index in a folder, no server (see `engine`)."""

from .engine import EmbeddedEngine
from .highlights import mark
from .schema import SCHEMA, build_schema, to_tantivy

__all__ = ["SCHEMA", "EmbeddedEngine", "build_schema", "mark", "to_tantivy"]
