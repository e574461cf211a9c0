"""Database indexes the catalogue's queries need beyond what Django declares from fields."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F


class NewestFirstIndex(models.Index):
    """The catalogue's default order as an index: newest date first, undated last, then id.

    With it a page of a list reads its 20 rows in order and stops, instead of sorting the
    whole catalogue (cms/api/listing.py ORDERS["-date"]). PostgreSQL puts NULLs first in a
    descending index, so its index says NULLS LAST; SQLite puts them last when descending
    anyway, and refuses a NULLS clause in an index.
    """

    def __init__(self, *, name: str) -> None:
        super().__init__(F("date").desc(nulls_last=True), F("page_ptr").desc(), name=name)

    def deconstruct(self) -> tuple[str, tuple, dict[str, Any]]:
        path, _args, _kwargs = super().deconstruct()
        return path, (), {"name": self.name}

    def create_sql(self, model, schema_editor, using: str = "", **kwargs: Any):
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        plain = models.Index(fields=["-date", "-page_ptr"], name=self.name)
        return plain.create_sql(model, schema_editor, using=using, **kwargs)
