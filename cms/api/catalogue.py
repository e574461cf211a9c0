"""The catalogue's list root fields, for any dated page type: a paginated list with its
facets, its arguments and resolver, and the loading of what a query selects of its pages
(shared with search). One item is in `items`. Each app declares its own fields with these
(its `schema.py`).

Arguments are checked in `listing`, visibility in `cms.visibility`; what a page type loads
alongside is its QuerySet's `for_api()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import graphene
from django.db.models import prefetch_related_objects
from graphql import GraphQLResolveInfo
from grapple.registry import registry
from grapple.types.structures import PaginationType
from wagtail.models import Page

from cms.models import DatedPage
from cms.prefetch import topics_prefetch
from cms.similar import note_list
from cms.topic_translations import localize_topics, same_topics
from cms.visibility import restricted_collection_ids

from . import listing
from .facets import ChoiceFacet, Facet, ListFacets, SearchFacet
from .interfaces import TRANSLATIONS_ATTR


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
