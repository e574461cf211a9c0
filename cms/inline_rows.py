"""Relations read in their page's own query, as JSON arrays (issue 19): an item page with its
authors, files, renditions and topics in one round trip instead of one query per relation.

`inline_prefetches(queryset)` turns a queryset's prefetch lookups (what a page type's
`for_api()` plan asks for) into correlated subqueries aggregated as JSON, one column each
(`json_group_array` on SQLite, `jsonb_agg` on PostgreSQL); its iterable builds the related
instances from that JSON and puts them where Django's prefetch would have (the managers'
`_prefetched_objects_cache`, the rows' cached foreign keys), so models and resolvers read them
as prefetched rows. A relation that points at pages (related publications, positions) is read
as its rows only; `page_targets` lists what they point at, for the caller to load by type.

For one page or a few: every row of the outer query runs each subquery, so lists keep their
one query per relation (`prefetch_related`), which costs the same for 1 page or 100.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import NotSupportedError
from django.db.models import F, JSONField, Model, OuterRef, Prefetch, QuerySet, Subquery, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.db.models.query import ModelIterable
from django.utils import timezone
from wagtail.models import Page

ORDINAL = "n"  # each row's place in its relation's order (JSON aggregation keeps no order)


@dataclass
class Shape:
    """How to build one model's instances from a JSON object: its columns' keys, and the
    objects joined to it (`select_related`) by the name of the foreign key."""

    model: type[Model]
    columns: dict[str, str] = field(default_factory=dict)  # attname -> JSON key
    joined: dict[str, Shape] = field(default_factory=dict)
    targets: dict[str, type[Page]] = field(default_factory=dict)  # foreign key -> page type


class JSONRows(Subquery):
    """The rows of a correlated queryset as one JSON array of objects (`[]` when none), with
    `unpack(instance, rows)` to run on each instance of the outer query once it is read."""

    output_field = JSONField()

    def __init__(
        self, queryset: QuerySet, keys: dict[str, Any], unpack: Callable[[Model, list], None]
    ) -> None:
        ordering = queryset.query.order_by or queryset.model._meta.ordering or ["pk"]
        ordinal = Window(RowNumber(), order_by=list(ordering))
        super().__init__(queryset.values(**keys, **{ORDINAL: ordinal}))
        self.keys = [*keys, ORDINAL]
        self.unpack = unpack

    def as_sql(self, compiler, connection, template=None, **extra_context):
        raise NotSupportedError(f"JSON rows are not written for {connection.vendor}")

    def as_sqlite(self, compiler, connection, **extra_context):
        pairs = ", ".join(f'\'{key}\', "_rows"."{key}"' for key in self.keys)
        template = f'(SELECT json_group_array(json_object({pairs})) FROM (%(subquery)s) "_rows")'
        return super().as_sql(compiler, connection, template=template, **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        # jsonb, not json: Django's psycopg loader hands jsonb over as text for JSONField.
        template = (
            '(SELECT COALESCE(jsonb_agg("_rows"), \'[]\'::jsonb) FROM (%(subquery)s) "_rows")'
        )
        return super().as_sql(compiler, connection, template=template, **extra_context)


class CompiledRows(RawSQL):
    """A `JSONRows` column as the SQL it compiled to once (`compile_inline`): building and
    compiling a relation's subquery costs the ORM more than the database runs it in."""

    def __init__(self, sql: str, params: tuple, unpack: Callable[[Model, list], None]) -> None:
        super().__init__(sql, params, output_field=JSONField())
        self.unpack = unpack


@dataclass(frozen=True)
class InlinePlan:
    """What `inline_prefetches` makes of a page type's `for_api()` plan, compiled: the
    prefetch lookups it read inline (by path) and each JSON column's SQL."""

    inlined: frozenset[str]
    columns: tuple[tuple[str, str, tuple, Callable[[Model, list], None]], ...]

    def apply(self, queryset: QuerySet) -> QuerySet:
        """`queryset` (with the same `for_api()` plan) reading those relations inline."""
        kept = [
            lookup
            for lookup in queryset._prefetch_related_lookups
            if _lookup_path(lookup) not in self.inlined
        ]
        annotations = {
            alias: CompiledRows(sql, params, unpack) for alias, sql, params, unpack in self.columns
        }
        inlined = queryset.prefetch_related(None).prefetch_related(*kept).annotate(**annotations)
        inlined._iterable_class = InlineIterable
        return inlined


def compile_inline(queryset: QuerySet) -> InlinePlan:
    """The plan of `queryset` (made by `inline_prefetches`, maybe with JSON columns of its
    own): its JSON columns compiled in its own query, for `InlinePlan.apply` to reuse on any
    queryset of the same model and `for_api()` plan. The SQL names the outer query's tables
    by their own names, as Django does for the table a query starts from."""
    compiler = queryset.query.get_compiler(using=queryset.db)
    columns = []
    for alias, annotation in queryset.query.annotations.items():
        if isinstance(annotation, JSONRows):
            sql, params = compiler.compile(annotation)
            columns.append((alias, sql, tuple(params), annotation.unpack))
    return InlinePlan(frozenset(getattr(queryset, "_inlined_paths", ())), tuple(columns))


class InlineIterable(ModelIterable):
    """Model instances, each with its JSON rows unpacked (in the annotations' order)."""

    def __iter__(self) -> Iterator[Model]:
        inlined = [
            (alias, annotation)
            for alias, annotation in self.queryset.query.annotations.items()
            if isinstance(annotation, (JSONRows, CompiledRows))
        ]
        for instance in super().__iter__():
            for alias, annotation in inlined:
                annotation.unpack(instance, instance.__dict__.pop(alias) or [])
            yield instance


def inline_prefetches(queryset: QuerySet) -> QuerySet:
    """`queryset` with each prefetch lookup it can read as JSON moved into its own query: a
    page's one-to-many rows and many-to-many objects, directly or through one foreign key
    (a cover image's renditions). Other lookups stay prefetches."""
    kept: list = []
    paths: list[str] = []
    annotations: dict[str, JSONRows] = {}
    for lookup in queryset._prefetch_related_lookups:
        rows = _json_rows(queryset.model, lookup)
        if rows is None:
            kept.append(lookup)
        else:
            annotations[f"_inline_{len(annotations)}"] = rows
            paths.append(_lookup_path(lookup))
    inlined = queryset.prefetch_related(None).prefetch_related(*kept).annotate(**annotations)
    inlined._iterable_class = InlineIterable
    inlined._inlined_paths = tuple(paths)  # read by compile_inline, on this very queryset
    return inlined


def _lookup_path(lookup: str | Prefetch) -> str:
    return lookup.prefetch_through if isinstance(lookup, Prefetch) else lookup


@dataclass(frozen=True)
class Target:
    """A row of an inlined relation (`relation`, e.g. "related_publications") whose foreign
    key `name` points at the page of type `model` with id `id`, not attached yet."""

    row: Model
    relation: str
    name: str
    model: type[Page]
    id: int

    def attach(self, page: Page | None) -> None:
        self.row._state.fields_cache[self.name] = page


def page_targets(instances: list[Model]) -> Iterator[Target]:
    """The rows of the inlined relations of `instances` that point at pages not attached."""
    for instance in instances:
        for relation, rows in getattr(instance, "_prefetched_objects_cache", {}).items():
            for row in getattr(rows, "_result_cache", None) or ():
                for name, model in getattr(row, "_inline_targets", {}).items():
                    target_id = getattr(row, type(row)._meta.get_field(name).attname)
                    if target_id is not None and name not in row._state.fields_cache:
                        yield Target(row, relation, name, model, target_id)


def _json_rows(model: type[Model], lookup: str | Prefetch) -> JSONRows | None:
    path = _lookup_path(lookup)
    related = lookup.queryset if isinstance(lookup, Prefetch) else None
    if isinstance(lookup, Prefetch) and lookup.to_attr:
        return None
    *through, name = path.split("__")
    if len(through) > 1:
        return None
    owner_model, outer = model, "pk"
    if through:  # a relation of the object a foreign key points at: correlate on its id
        fk = model._meta.get_field(through[0])
        if not (fk.many_to_one and fk.concrete):
            return None
        owner_model, outer = fk.related_model, fk.attname
    relation = owner_model._meta.get_field(name)
    if relation.one_to_many and not relation.concrete:  # a reverse foreign key
        target = relation.related_model
        correlation = {relation.field.name: OuterRef(outer)}
        cache_name, back = relation.get_accessor_name(), relation.field.name
    elif relation.many_to_many and relation.concrete:  # the page's own many-to-many field
        target = relation.related_model
        correlation = {relation.related_query_name(): OuterRef(outer)}
        cache_name, back = relation.name, None
    else:
        return None
    rows = (related if related is not None else target._default_manager.all()).filter(**correlation)

    def receive(instance: Model, built: list[Model]) -> None:
        owner = getattr(instance, through[0]) if through else instance
        if owner is None:
            return
        if back is not None:
            for row in built:
                row._state.fields_cache[back] = owner
        cached = target._default_manager.all()
        cached._result_cache, cached._prefetch_done = built, True
        if not hasattr(owner, "_prefetched_objects_cache"):
            owner._prefetched_objects_cache = {}
        owner._prefetched_objects_cache[cache_name] = cached

    return json_rows(rows, receive)


def json_rows(rows: QuerySet, receive: Callable[[Model, list[Model]], None]) -> JSONRows:
    """The rows of `rows` (correlated to the outer query by `OuterRef`), with the objects it
    joins (`select_related`), as a JSON column; `receive(instance, rows)` gets them built, in
    `rows`' order, for each instance of the outer query."""
    shape = _shape(rows.model, rows.query.select_related)
    keys = _keys(shape, "")
    db = rows.db

    def unpack(instance: Model, values: list) -> None:
        receive(instance, [_build(shape, row, db) for row in _ordered(values)])

    return JSONRows(rows, {key: F(path) for path, key in keys.items()}, unpack)


def _shape(model: type[Model], select_related: Any) -> Shape:
    """Which columns of `model` (and of the objects joined to it) the JSON carries."""
    shape = Shape(model)
    for column in model._meta.concrete_fields:
        if column.get_internal_type() not in ("JSONField", "BinaryField"):
            shape.columns[column.attname] = ""
    joins = select_related if isinstance(select_related, dict) else {}
    for name, below in joins.items():
        fk = model._meta.get_field(name)
        if issubclass(fk.related_model, Page):
            shape.targets[name] = fk.related_model  # loaded by type, by the caller
        else:
            shape.joined[name] = _shape(fk.related_model, below)
    return shape


def _keys(shape: Shape, prefix: str, keys: dict[str, str] | None = None) -> dict[str, str]:
    """Every column's lookup from the relation's model, and its key in the JSON objects."""
    keys = {} if keys is None else keys
    for attname in shape.columns:
        key = f"c{len(keys)}"
        keys[f"{prefix}{attname}"] = key
        shape.columns[attname] = key
    for name, joined in shape.joined.items():
        _keys(joined, f"{prefix}{name}__", keys)
    return keys


def _ordered(values: list[dict]) -> list[dict]:
    return sorted(values, key=lambda row: row[ORDINAL])


def _build(shape: Shape, row: dict, db: str) -> Model:
    """An instance of `shape.model` from its JSON object, as if read from the database."""
    meta = shape.model._meta
    names = [name for name in shape.columns]
    values = [_from_json(meta.get_field(name), row[shape.columns[name]]) for name in names]
    instance = shape.model.from_db(db, names, values)
    for name, joined in shape.joined.items():
        if row[joined.columns[joined.model._meta.pk.attname]] is None:
            instance._state.fields_cache[name] = None
        else:
            instance._state.fields_cache[name] = _build(joined, row, db)
    if shape.targets:
        instance._inline_targets = shape.targets
    return instance


def _from_json(column, value: Any) -> Any:
    """A column's value as its field holds it (JSON has strings for dates, UUIDs, ...)."""
    if value is None:
        return None
    value = column.to_python(value)
    if isinstance(value, datetime.datetime) and settings.USE_TZ and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)  # SQLite stores UTC without offset
    return value
