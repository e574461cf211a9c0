"""One catalogue page as a root field, for any dated page type: by id, slug, path or preview
token, read with everything the query selects in a query compiled once per shape
(cms.compiled_queries), then the pages it links to and its translations (issue 19). The
lists are in `catalogue`.
"""

from __future__ import annotations

import graphene
from django.db import connections
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from graphene.utils.str_converters import to_camel_case
from graphql import GraphQLResolveInfo
from grapple.registry import registry
from wagtail.models import Page, Site

from cms.compiled_queries import pinned
from cms.inline_rows import page_targets
from cms.models import DatedPage
from cms.visibility import page_is_public, public_pages_at, restricted_page_paths

from . import listing
from .interfaces import TRANSLATIONS_ATTR
from .preview import page_from_preview_token

# How many times an item's linked pages are followed to the pages they link to in turn.
MAX_LINK_DEPTH = 3


def item_field(model: type[DatedPage]) -> graphene.Field:
    """A root field for one page of `model`, by id, slug, path or preview token."""
    return graphene.Field(
        lambda: registry.models[model],
        id=graphene.ID(),
        slug=graphene.String(),
        url_path=graphene.String(description='The path on its site, e.g. "/publications/x/"'),
        token=graphene.String(description="A preview token from the admin's Preview button"),
        locale=graphene.String(),
        site=graphene.String(),
        in_site=graphene.Boolean(),
    )


def resolve_item(
    model: type[DatedPage],
    info: GraphQLResolveInfo,
    *,
    id: str | None = None,
    slug: str | None = None,
    url_path: str | None = None,
    token: str | None = None,
    locale: str | None = None,
    site: str | None = None,
    in_site: bool | None = None,
) -> DatedPage | None:
    """One visible page of `model`, or the page a preview token stands for."""
    request = info.context
    if token:
        return page_from_preview_token(model, token, request=request)
    page_id = listing.parse_id(id)
    if page_id is None and not slug and not url_path:
        return None
    target_site = listing.resolve_site(request, site, in_site)
    found = _find_item(model, info, slug, page_id, locale, target_site, url_path)
    return load_item(found, info)


def _find_item(
    model: type[DatedPage],
    info: GraphQLResolveInfo,
    slug: str | None,
    page_id: int | None,
    locale: str | None,
    site: Site | None,
    url_path: str | None = None,
) -> DatedPage | None:
    """The visible page of `model` with this slug (in `locale`, on `site`), id and/or path,
    read with what the query selects (`for_item`), by SQL compiled once per shape of the
    query (cms.compiled_queries): the values below go in as parameters. By path: the first
    page found at one of the path's candidates on its site (`listing.url_path_candidates`)."""
    request = info.context
    fields, renditions = _item_plan(info)
    paths = restricted_page_paths(request)
    values: list = [*paths, timezone.now()]
    by = None
    if slug and site is None:
        # A slug is unique only among siblings: look in the locale asked for (by its code, in
        # the page's own query: no query of its own for the locale).
        by = "slug"
        values += [slug, listing.resolve_language_code(locale, None)]
    elif slug:
        by = "slug on site"
        target_locale = listing.resolve_locale(locale, site)
        if target_locale.pk is None:
            return None  # a configured language nobody has created a locale for yet
        root = listing.site_root(site, target_locale, request)
        if root is None:
            return None
        values += [slug, target_locale.pk, root.path, root.depth, root.pk]
    if page_id is not None:
        values.append(page_id)
    db = model.objects.all().db
    key = (_ITEM, model, fields, renditions, db, connections[db].vendor, len(paths), by)
    key = (*key, page_id is not None, url_path is not None)
    if url_path is None:
        return next(iter(pinned(key, _item_queryset, values)), None)
    for candidate in listing.url_path_candidates(url_path, site):
        page = next(iter(pinned(key, _item_queryset, [*values, candidate])), None)
        if page is not None:
            return page
    return None


_ITEM = "catalogue item"


def _item_queryset(key: tuple, values: list):
    """The query of `_find_item` for `key`, from `values` alone (cms.compiled_queries)."""
    _, model, fields, renditions, db, _vendor, restricted, by, by_id, by_path = key
    paths, now, rest = tuple(values[:restricted]), values[restricted], values[restricted + 1 :]
    queryset = public_pages_at(model.objects.db_manager(db).all(), paths, now)
    if by == "slug":
        slug, code, *rest = rest
        queryset = queryset.filter(slug=slug, locale__language_code=code)
    elif by == "slug on site":
        slug, locale_id, path, depth, root_id, *rest = rest
        root = Page(pk=root_id, path=path, depth=depth)
        queryset = listing.in_locale(queryset, locale_id).descendant_of(root).filter(slug=slug)
    if by_id:
        page_id, *rest = rest
        queryset = queryset.filter(pk=page_id)
    if by_path:
        queryset = queryset.filter(url_path=rest[0])
    return _first(queryset.for_item(fields, renditions))


def _first(queryset):
    # What `first()` reads: the first row by the queryset's order, else by primary key.
    return (queryset if queryset.ordered else queryset.order_by("pk"))[:1]


def _item_plan(info: GraphQLResolveInfo) -> tuple[frozenset[str], frozenset[str] | None]:
    """`for_item()`'s arguments for an item: what the query selects, topics included."""
    return listing.selected_fields(info), listing.selected_rendition_specs(info)


def load_item(found, info: GraphQLResolveInfo) -> DatedPage | None:
    """One catalogue page with everything the query selects of it, its relations read in its
    own query (`inlined()`): the first of `found`, a queryset of its type; or `found` itself,
    read so; or, for a plain `Page` (found by path), its specific page read again so. Then
    the pages it links to and its translations (`load_linked`)."""
    if found is None:
        return None
    if isinstance(found, Page) and not isinstance(found, DatedPage):
        model, fields, renditions = found.specific_class, *_item_plan(info)
        db = model.objects.all().db
        key = (_BY_ID, model, fields, renditions, db, connections[db].vendor)
        found = next(iter(pinned(key, _by_id_queryset, [found.pk])), None)
    if found is not None and not isinstance(found, DatedPage):
        found = found.for_item(*_item_plan(info)).first()
    if found is not None:
        load_linked(found, info)
    return found


_BY_ID = "catalogue page by id"


def _by_id_queryset(key: tuple, values: list):
    _, model, fields, renditions, db, _vendor = key
    return _first(model.objects.db_manager(db).filter(pk=values[0]).for_item(fields, renditions))


_LINKED = "linked catalogue pages"


def _linked_queryset(key: tuple, values: list):
    """`load_linked`'s query for one page type: the pages of these ids, and the item's
    translations (by their indexed key, checked as `visible()` would by the caller: a
    subquery here made PostgreSQL scan the page type's table, N = 6,000: 1.1x REST v2)."""
    _, model, asked, renditions, db, _vendor, count, with_translations = key
    wanted = Q(pk__in=values[:count])
    if with_translations:
        key_value, item_id = values[count:]
        # Both sides of the OR on Wagtail's page table: the ids as its `id` (Django would
        # compare the page type's `page_ptr_id`), so PostgreSQL combines the primary key's
        # index and the translation key's. Split over two tables, it joined both whole
        # (N = 6,000: 16 ms, growing with N).
        on_pages = RawSQL(
            f'"wagtailcore_page"."id" IN ({", ".join(["%s"] * count)})',
            tuple(values[:count]),
            output_field=BooleanField(),
        )
        translations = Q(translation_key=key_value) & ~Q(pk=item_id)
        wanted = (Q(on_pages) | translations) if count else translations
    return model.objects.db_manager(db).filter(wanted).for_item(asked, renditions)


def load_linked(page: DatedPage, info: GraphQLResolveInfo) -> None:
    """The pages an item's rows point at (related publications, positions) and, if asked for,
    its live, public translations: one query per page type, the item's translations in the
    same query as the pages of its type it links to, each page read with its own relations
    inlined (what the query asks below the fields that show them); then the pages their rows
    point at, as deep as MAX_LINK_DEPTH (past that, a row reads its page when asked)."""
    request = info.context
    renditions = listing.selected_rendition_specs(info)
    known: dict[tuple[type, int], DatedPage] = {}
    translated = page if "translations" in listing.selected_fields(info) else None
    level: list[DatedPage] = [page]
    for _depth in range(MAX_LINK_DEPTH):
        targets = list(page_targets(level))
        relations: dict[type, set[str]] = {}
        for target in targets:
            if (target.model, target.id) not in known:
                relations.setdefault(target.model, set()).add(to_camel_case(target.relation))
        if translated is not None:
            relations.setdefault(type(translated), set()).add("translations")
        level = []
        for model, names in relations.items():
            ids = sorted({t.id for t in targets if t.model is model and (model, t.id) not in known})
            values: list = list(ids)
            with_translations = translated is not None and model is type(translated)
            if with_translations:
                values += [translated.translation_key, translated.pk]
            asked = frozenset().union(*(listing.selected_fields_under(info, n) for n in names))
            db = model.objects.all().db
            key = (_LINKED, model, asked, renditions, db, connections[db].vendor, len(ids))
            found = list(pinned((*key, with_translations), _linked_queryset, values))
            known.update(((model, other.pk), other) for other in found)
            level += found
        if translated is not None:
            others = [
                other
                for other in level
                if type(other) is type(translated)
                and other.translation_key == translated.translation_key
                and other.pk != translated.pk
                and page_is_public(other, request)
            ]
            setattr(translated, TRANSLATIONS_ATTR, others)
            translated = None
        for target in targets:
            target.attach(known.get((target.model, target.id)))
        if not level:
            return
