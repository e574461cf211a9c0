"""Querysets compiled once per shape and run with each request's values (issue 19).

An item's query is the same SQL at every request but for its values (the slug, the locale's
code, the restricted paths, the time, ...): Django building the queryset and compiling its
~60 columns, joins and JSON columns costs more than the database takes to answer it.
`pinned(key, build, values)` builds and compiles `build(key, values)` once per `key`, with
stand-in values (`SENTINELS`) whose place in the compiled parameters tells where each value
goes, then runs that SQL with the values of each request.

What makes it safe:
- `build` is a module-level function of `key` and `values` only: whatever else would change
  the SQL must be in `key` (the page type, the fields selected, the database, the number of
  restricted paths, which filters are given, ...).
- When a key is first seen, the query is also built and compiled with the request's own
  values and must give the same SQL and the same parameters as the pinned one; otherwise
  (a value written into the SQL text, a parameter Django transforms in a way not known
  here) the key is never pinned and its queries are built as usual, every time.
- A value that would change the SQL's shape (None, an empty list) is refused by `build`'s
  callers: they put its presence in the key.

Running the pinned SQL goes through Django's own `ModelIterable` (and the queryset's
iterable class, prefetches and all), given a copy of the compiler that compiled it: rows are
turned into instances exactly as an ordinary queryset's are. The Django internals this relies
on (the compiler taken from the query, `execute_sql` asking `as_sql` for its SQL) are pinned
by tests/api/test_upstream_copies.py.
"""

from __future__ import annotations

import copy
import datetime
import logging
import threading
import uuid
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler

log = logging.getLogger(__name__)

_INT32 = -(2**31)
_MAX_PINNED = 512  # keys (a shape per front-end query and filter); bounded all the same


def _sentinel(kind: type, index: int) -> Any:
    # Values no request sends and no constant of a query equals; no LIKE wildcard or escape.
    if kind is str:
        return f"\x01pinned-{index}\x02"
    if kind is int:
        # Within a 32-bit integer column's range: outside it, Django compiles no SQL at all.
        return -(1_900_000_000 + index)
    if kind is datetime.datetime:
        return datetime.datetime(1901, 2, 3, 4, 5, 6, 100_000 + index, tzinfo=datetime.UTC)
    if kind is uuid.UUID:
        return uuid.UUID(int=0xF1EE7 << 64 | index)
    raise TypeError(f"no stand-in value for {kind.__name__}")


def _transforms(connection) -> list[tuple[str, Callable[[Any], Any]]]:
    """How Django may turn a value into its parameter: as it is, as a `startswith` pattern,
    or as the backend adapts a datetime or a UUID."""
    ops = connection.ops
    native_uuid = connection.features.has_native_uuid_field
    return [
        ("value", lambda v: v),
        ("startswith", lambda v: f"{ops.prep_for_like_query(v)}%"),
        ("datetime", lambda v: ops.adapt_datetimefield_value(v)),
        ("uuid", lambda v: v if native_uuid else v.hex),
    ]


@dataclass(frozen=True)
class Pinned:
    """One key's compiled query: its SQL, its parameters with the places of the values, and
    the compiler that compiled it (its columns and how to build instances from a row)."""

    sql: str
    params: tuple
    places: tuple[tuple[int, int, Callable[[Any], Any]], ...]  # (param index, value, transform)
    compiler: SQLCompiler
    template: QuerySet

    def params_for(self, values: Sequence) -> tuple:
        params = list(self.params)
        for index, value, transform in self.places:
            params[index] = transform(values[value])
        return tuple(params)

    def queryset(self, values: Sequence) -> QuerySet:
        """An unevaluated queryset that runs this SQL with `values`; to iterate, not to
        filter further (a new clause would not be in the pinned SQL)."""
        template = self.template
        sql, params = self.sql, self.params_for(values)
        compiler = copy.copy(self.compiler)
        compiler.connection = connections[template.db]
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        query = copy.copy(template.query)
        query.get_compiler = lambda *args, **kwargs: compiler
        run = template.__class__(
            model=template.model, query=query, using=template._db, hints=template._hints
        )
        run._prefetch_related_lookups = template._prefetch_related_lookups
        run._known_related_objects = template._known_related_objects
        run._iterable_class = template._iterable_class
        run._fields = template._fields
        return run


_pinned: dict[Hashable, Pinned | None] = {}  # None: a key that cannot be pinned
_lock = threading.Lock()


def pinned(
    key: Hashable, build: Callable[[Hashable, Sequence], QuerySet], values: Sequence
) -> QuerySet:
    """`build(key, values)`, compiled once per `key` (see the module's docstring): a queryset
    to iterate. `values` are str, int, aware datetimes or UUIDs, never None."""
    found = _pinned.get(key, False)
    if found is None or any(type(v) is int and not _INT32 <= v < -_INT32 for v in values):
        # An id outside a 32-bit column's range: Django answers it without SQL (or differently
        # per backend); built as usual.
        return build(key, values)
    if found is False:
        found = _pin(key, build, values)
        if found is None:
            return build(key, values)
    return found.queryset(values)


def _pin(key: Hashable, build: Callable, values: Sequence) -> Pinned | None:
    stand_ins = [_sentinel(type(value), index) for index, value in enumerate(values)]
    template = build(key, stand_ins)
    compiler = template.query.get_compiler(using=template.db)
    try:
        sql, params = compiler.as_sql()
        real = build(key, values)
        real_sql, real_params = real.query.get_compiler(using=real.db).as_sql()
    except (EmptyResultSet, FullResultSet):
        return None  # a query Django answers without SQL for these values: not pinned now
    params = tuple(params)
    transforms = _transforms(compiler.connection)
    places = []
    for value_index, stand_in in enumerate(stand_ins):
        for param_index, param in enumerate(params):
            for _name, transform in transforms:
                try:
                    matches = _same(param, transform(stand_in))
                except (AttributeError, TypeError, ValueError):
                    matches = False
                if matches:
                    places.append((param_index, value_index, transform))
                    break
    pin = Pinned(sql, params, tuple(places), compiler, template)
    # The check: the request's own values, built and compiled as usual, give the same query.
    placed = {value for _param, value, _transform in places}
    if (
        real_sql != sql
        or tuple(real_params) != pin.params_for(values)
        or placed != set(range(len(values)))
    ):
        log.warning("query not pinned, built at each request: %r", key)
        pin = None
    with _lock:
        if len(_pinned) >= _MAX_PINNED:
            _pinned.pop(next(iter(_pinned)), None)
        _pinned[key] = pin
    return pin


def _same(param: Any, expected: Any) -> bool:
    # By type too: True == 1, and a constant of the query must not pass for a value.
    return type(param) is type(expected) and param == expected


def clear() -> None:
    """Forget every pinned query (tests that change what keys do not name)."""
    with _lock:
        _pinned.clear()
