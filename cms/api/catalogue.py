"""The catalogue's root fields, for any dated page type: a paginated list and one item, with
their arguments and resolvers. Each app declares its own fields with these (its `schema.py`).

Arguments are checked in `listing`, visibility in `cms.visibility`; what a page type loads
alongside is its QuerySet's `for_api()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import graphene
from django.db import connections
from django.db.models import BooleanField, Q, prefetch_related_objects
from django.db.models.expressions import RawSQL
from django.utils import timezone
from graphene.utils.str_converters import to_camel_case
from graphql import GraphQLResolveInfo
from grapple.registry import registry
from grapple.types.structures import PaginationType
from wagtail.models import Page, Site

from cms.compiled_queries import pinned
from cms.inline_rows import page_targets
from cms.models import DatedPage
from cms.prefetch import topics_prefetch
from cms.similar import note_list
from cms.topic_translations import localize_topics, same_topics
from cms.visibility import (
    page_is_public,
    public_pages_at,
    restricted_collection_ids,
    restricted_page_paths,
)

from . import listing
from .facets import ChoiceFacet, Facet, ListFacets, SearchFacet
from .interfaces import TRANSLATIONS_ATTR
from .preview import page_from_preview_token

# How many times an item's linked pages are followed to the pages they link to in turn.
MAX_LINK_DEPTH = 3


def list_type(name: str, model: type[DatedPage]) -> type[graphene.ObjectType]:
    """The GraphQL type of a page of `model`'s list: its items and their place in the list."""
    return type(
        name,
        (graphene.ObjectType,),
        {
            "__doc__": f"A page of {model._meta.verbose_name_plural} and its place in the list.",
            "items": graphene.List(graphene.NonNull(lambda: registry.models[model]), required=True),
            "pagination": graphene.Field(PaginationType, required=True),
            "facets": graphene.List(
                graphene.NonNull(SearchFacet),
                required=True,
                description="Each filter's values with the number of pages listed with it "
                "and every other filter as given (not its own); read only when asked for",
            ),
            "resolve_facets": _resolve_facets,
        },
    )


def _resolve_facets(root: listing.PageOfItems, info: GraphQLResolveInfo) -> list[Facet]:
    return root.facets.compute() if root.facets is not None else []


def list_arguments(**extra: graphene.Argument) -> dict:
    """The arguments every list takes, after `extra` (a page type's own filters)."""
    return {
        **extra,
        "page": graphene.Int(default_value=1, description="Page number, from 1"),
        "per_page": graphene.Int(
            default_value=listing.DEFAULT_PER_PAGE,
            description=f"Items per page, at most {listing.MAX_PER_PAGE}",
        ),
        "order": graphene.String(
            default_value="-date",
            description="One of " + ", ".join(listing.ORDERS) + " (unknown dates last)",
        ),
        "topic": graphene.String(description="A topic's slug"),
        "year": graphene.Int(),
        "locale": graphene.String(description="Language code; default: the site's locale"),
        "site": graphene.String(description="A site's hostname; default: every site"),
        "in_site": graphene.Boolean(description="Only the site the request was made to"),
    }


def list_field(of: type[graphene.ObjectType], **extra: graphene.Argument) -> graphene.Field:
    """A root list field of type `of` (made by `list_type`), with a page type's own filters."""
    return graphene.Field(of, required=True, **list_arguments(**extra))


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


def _load_selected(info: GraphQLResolveInfo) -> Callable[[Any], list]:
    """The pages of a queryset with what the query selects loaded alongside (`load_pages`)."""
    fields = listing.selected_fields(info)
    renditions = listing.selected_rendition_specs(info)
    return lambda queryset: load_pages(queryset, info, fields, renditions)


def load_pages(
    queryset, info: GraphQLResolveInfo, fields: frozenset[str], renditions: frozenset[str] | None
) -> list:
    """The pages of `queryset` (a page type's, with `for_api()`) and the relations the query
    selects: a query per relation, whatever the number of pages, files, topics or related
    pages (issue 19).

    Topics are read last, in one query per page type for the pages, the pages they link to
    (related publications, positions) and their translations together, then put in each
    page's own language (`localize_topics`); the translations (a query) only if asked for.
    """
    pages = list(queryset.for_api(fields - {"topics"}, renditions))
    load_alongside(pages, info, fields, renditions)
    return pages


def load_alongside(
    pages: list, info: GraphQLResolveInfo, fields: frozenset[str], renditions: frozenset[str] | None
) -> None:
    """The translations and topics `load_pages` loads, for pages already read with
    `for_api(fields - {"topics"}, renditions)`."""
    shown = list(pages)
    if pages and "translations" in fields:
        shown += _load_translations(pages, info, renditions)
    if pages and "similarPublications" in fields:
        # Asked of each item: found for the list (and its translations) in one go.
        note_list(shown, info.context)
    if pages and "topics" in fields:
        shown += list(_linked_pages(shown))  # the item's and its translations' related pages
        load_topics(shown, fields)


def _load_translations(pages: list, info, renditions: frozenset[str] | None) -> list:
    """The live, public translations of `pages` (Wagtail's translations are of the page's own
    type), with what the query asks of them, attached to each page; the translations."""
    model = type(pages[0])
    asked = listing.selected_fields_under(info, "translations")
    keys = {page.translation_key for page in pages}
    found = list(
        model.objects.filter(translation_key__in=keys)
        .exclude(pk__in=[page.pk for page in pages])
        .visible(info.context)
        .for_api(asked - {"topics"}, renditions)
    )
    for page in pages:
        others = [other for other in found if other.translation_key == page.translation_key]
        setattr(page, TRANSLATIONS_ATTR, others)
    return found


def _linked_pages(pages: list) -> Iterator[DatedPage]:
    """The catalogue pages that the prefetched rows of `pages` point at (related
    publications, positions), as loaded: the instances the GraphQL resolvers will show."""
    for page in pages:
        for rows in getattr(page, "_prefetched_objects_cache", {}).values():
            for row in rows:
                state = getattr(row, "_state", None)
                for value in state.fields_cache.values() if state else ():
                    if isinstance(value, DatedPage):
                        yield value


def load_topics(pages: list, fields: frozenset[str] | None) -> None:
    """Every page's topics in its own language: a query per page type, one to translate."""
    by_type: dict[type, list] = {}
    for page in pages:
        by_type.setdefault(type(page), []).append(page)
    for same_type in by_type.values():
        prefetch_related_objects(same_type, topics_prefetch(fields))
    localize_topics(pages)


def resolve_list(
    model: type[DatedPage],
    info: GraphQLResolveInfo,
    *,
    page: int,
    per_page: int,
    order: str,
    topic: str | None = None,
    year: int | None = None,
    locale: str | None = None,
    site: str | None = None,
    in_site: bool | None = None,
    language: str | None = None,
    project: str | None = None,
    choice: ChoiceFacet | None = None,
    languages: bool = False,
    **filters: Any,
) -> listing.PageOfItems:
    """A page of `model`'s visible pages, filtered as asked (`filters`: checked field values),
    and what its facets are counted from: `choice`, the page type's filter among fixed values
    (its value among `filters`), and whether it has a `language` filter (`languages`)."""
    request = info.context
    ordering = listing.check_order(order)
    listing.check_filters(year=year, language=language)
    target_site = listing.resolve_site(request, site, in_site)
    target_locale = listing.resolve_locale(locale, target_site)
    base = listing.catalogue_queryset(model, request, site=target_site, locale=target_locale)
    if project is not None:
        base = base.in_project(project)
    active_choice = filters.pop(choice.field, None) if choice is not None else None
    base = base.filter(**filters)  # none from the apps' fields today: not a facet's filter
    facets = ListFacets(
        base=base,
        locale=target_locale,
        request=request,
        choice=choice,
        languages=languages,
    )
    if topic is not None:
        # The topic's translations read once, for the list and every facet it applies to.
        topics = same_topics([topic], target_locale.language_code)
        facets.active["topic"] = (topic, lambda queryset: queryset.with_topics(topics))
    if year is not None:
        facets.active["year"] = (str(year), lambda queryset: queryset.in_year(year))
    if language is not None:
        hidden = restricted_collection_ids(request)
        facets.active["language"] = (
            language,
            lambda queryset: queryset.with_language(language, hidden),
        )
    if choice is not None and active_choice is not None:
        facets.active[choice.name] = (
            active_choice,
            lambda queryset: queryset.filter(**{choice.field: active_choice}),
        )
    queryset = facets.counted(None).order_by(*ordering)
    count_from = None
    if not facets.active and project is None and not filters:
        # Only the page tree's own columns are filtered: counted on Page by content type,
        # the catalogue is not joined to its (wide) table row by row.
        count_from = listing.catalogue_queryset(
            model,
            request,
            site=target_site,
            locale=target_locale,
            pages=Page.objects.exact_type(model),
        )
    result = listing.paginate(
        queryset,
        page=page,
        per_page=per_page,
        prefetch=_load_selected(info),
        count_from=count_from,
    )
    result.facets = facets
    return result


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
