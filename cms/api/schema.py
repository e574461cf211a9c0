"""The root of the public GraphQL schema: the catalogue's lists and items, the taxonomies,
and a page by path for front-end routing.

It replaces grapple's root fields (`pages`, `search`, `redirects`, `documents`, `images`, ...),
which returned drafts and restricted pages or passed arguments to the ORM unchecked.
Resolvers stay short: arguments are checked in `listing`, visibility in `visibility`.
"""

from __future__ import annotations

import graphene
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from grapple.registry import registry
from grapple.types.interfaces import get_page_interface
from grapple.types.structures import PaginationType
from wagtail import hooks
from wagtail.models import Page

from cms.models import Member, Project, Topic
from cms.topic_translations import localize_topics
from cms.visibility import page_is_public, public_pages, restricted_collection_ids
from positions.models import (
    PositionKind,
    PositionPaperPage,
    PressReleasePage,
)
from publications.models import (
    PublicationPage,
    PublicationType,
)

from . import listing
from .interfaces import live_translations
from .persisted import PersistedQuery
from .preview import page_from_preview_token


def _load_selected(info):
    """The pages of a queryset with the relations the query selects (`for_api()`), and the
    translations (a query for the whole list) only if it asks for them."""
    fields = listing.selected_fields(info)
    renditions = listing.selected_rendition_specs(info)

    def run(queryset):
        pages = list(queryset.for_api(fields, renditions))
        if "translations" in fields:
            live_translations(pages, info.context)
        if "topics" in fields:
            localize_topics(pages)
        return pages

    return run


def _list_type(name: str, model) -> type[graphene.ObjectType]:
    return type(
        name,
        (graphene.ObjectType,),
        {
            "__doc__": f"A page of {model._meta.verbose_name_plural} and its place in the list.",
            "items": graphene.List(graphene.NonNull(lambda: registry.models[model]), required=True),
            "pagination": graphene.Field(PaginationType, required=True),
        },
    )


PublicationList = _list_type("PublicationList", PublicationPage)
PositionPaperList = _list_type("PositionPaperList", PositionPaperPage)
PressReleaseList = _list_type("PressReleaseList", PressReleasePage)


def _list_arguments(**extra) -> dict:
    return {
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
        **extra,
    }


def _item_arguments() -> dict:
    return {
        "id": graphene.ID(),
        "slug": graphene.String(),
        "url_path": graphene.String(description='The path on its site, e.g. "/publications/x/"'),
        "token": graphene.String(description="A preview token from the admin's Preview button"),
        "locale": graphene.String(),
        "site": graphene.String(),
        "in_site": graphene.Boolean(),
    }


def _list(
    model,
    info,
    *,
    page,
    per_page,
    order,
    topic=None,
    year=None,
    locale=None,
    site=None,
    in_site=None,
    language=None,
    project=None,
    **filters,
):
    request = info.context
    ordering = listing.check_order(order)
    listing.check_filters(year=year, language=language)
    target_site = listing.resolve_site(request, site, in_site)
    target_locale = listing.resolve_locale(locale, target_site)
    queryset = listing.catalogue_queryset(model, request, site=target_site, locale=target_locale)
    if topic is not None:
        queryset = queryset.with_topic(topic, target_locale.language_code)
    if year is not None:
        queryset = queryset.in_year(year)
    if language is not None:
        queryset = queryset.with_language(language, restricted_collection_ids(request))
    if project is not None:
        queryset = queryset.in_project(project)
    queryset = queryset.filter(**filters).order_by(*ordering)
    count_from = None
    if topic is None and year is None and language is None and project is None and not filters:
        # Only the page tree's own columns are filtered: counted on Page by content type,
        # the catalogue is not joined to its (wide) table row by row.
        count_from = listing.catalogue_queryset(
            model,
            request,
            site=target_site,
            locale=target_locale,
            pages=Page.objects.exact_type(model),
        )
    return listing.paginate(
        queryset,
        page=page,
        per_page=per_page,
        prefetch=_load_selected(info),
        count_from=count_from,
    )


def _item(
    model,
    info,
    *,
    id=None,
    slug=None,
    url_path=None,
    token=None,
    locale=None,
    site=None,
    in_site=None,
):
    request = info.context
    if token:
        return page_from_preview_token(model, token, request=request)
    page_id = listing.parse_id(id)
    if page_id is None and not slug and not url_path:
        return None
    target_site = listing.resolve_site(request, site, in_site)
    queryset = public_pages(model.objects.all(), request)
    if slug:
        # A slug is unique only among siblings: look in the locale (and site) asked for.
        target_locale = listing.resolve_locale(locale, target_site)
        queryset = listing.catalogue_queryset(
            model, request, site=target_site, locale=target_locale
        ).filter(slug=slug)
    if page_id is not None:
        queryset = queryset.filter(pk=page_id)
    if url_path:
        return listing.find_by_url_path(queryset.for_api(), request, url_path, target_site)
    return queryset.for_api().first()


class CatalogueQuery(graphene.ObjectType):
    publications = graphene.Field(
        PublicationList,
        required=True,
        type=graphene.String(description="One of: " + ", ".join(PublicationType.values)),
        language=graphene.String(description="ISO 639-1 code among the downloads"),
        project=graphene.String(description="A project's slug"),
        **_list_arguments(),
    )
    position_papers = graphene.Field(
        PositionPaperList,
        required=True,
        kind=graphene.String(),
        language=graphene.String(description="ISO 639-1 code among the downloads"),
        **_list_arguments(),
    )
    press_releases = graphene.Field(PressReleaseList, required=True, **_list_arguments())
    publication = graphene.Field(lambda: registry.models[PublicationPage], **_item_arguments())
    position_paper = graphene.Field(lambda: registry.models[PositionPaperPage], **_item_arguments())
    press_release = graphene.Field(lambda: registry.models[PressReleasePage], **_item_arguments())
    page = graphene.Field(
        get_page_interface,
        url_path=graphene.String(),
        id=graphene.ID(),
        site=graphene.String(),
        in_site=graphene.Boolean(),
        description="Any live, public page, by its path on a site (for front-end routing)",
    )
    topics = graphene.List(
        graphene.NonNull(lambda: registry.models[Topic]),
        required=True,
        locale=graphene.String(),
    )
    projects = graphene.List(
        graphene.NonNull(lambda: registry.models[Project]),
        required=True,
        locale=graphene.String(),
    )
    members = graphene.List(
        graphene.NonNull(lambda: registry.models[Member]),
        required=True,
        locale=graphene.String(),
        country=graphene.String(),
    )

    def resolve_publications(self, info, type=None, **kwargs):
        filters = {}
        if type is not None:
            filters["publication_type"] = listing.check_choice(type, PublicationType.values, "type")
        return _list(PublicationPage, info, **kwargs, **filters)

    def resolve_position_papers(self, info, kind=None, **kwargs):
        filters = {}
        if kind is not None:
            filters["kind"] = listing.check_choice(kind, PositionKind.values, "kind")
        return _list(PositionPaperPage, info, **kwargs, **filters)

    def resolve_press_releases(self, info, **kwargs):
        return _list(PressReleasePage, info, **kwargs)

    def resolve_publication(self, info, **kwargs):
        return _item(PublicationPage, info, **kwargs)

    def resolve_position_paper(self, info, **kwargs):
        return _item(PositionPaperPage, info, **kwargs)

    def resolve_press_release(self, info, **kwargs):
        return _item(PressReleasePage, info, **kwargs)

    def resolve_page(self, info, url_path=None, id=None, site=None, in_site=None):
        from wagtail.models import Page

        request = info.context
        target_site = listing.resolve_site(request, site, in_site)
        queryset = public_pages(Page.objects.all(), request)
        page_id = listing.parse_id(id)
        if page_id is not None:
            page = queryset.filter(pk=page_id).first()
        elif url_path:
            page = listing.find_by_url_path(queryset, request, url_path, target_site)
        else:
            return None
        return page.specific if page_is_public(page, request) else None

    def resolve_topics(self, info, locale=None):
        request = info.context
        target_locale = listing.resolve_locale(locale, None)
        counts = [
            _count_subquery(model, request)
            for model in (PublicationPage, PositionPaperPage, PressReleasePage)
        ]
        return list(
            Topic.objects.filter(locale=target_locale)
            .select_related("locale")
            .annotate(live_item_count=counts[0] + counts[1] + counts[2])
            .order_by("name")
        )

    def resolve_projects(self, info, locale=None):
        target_locale = listing.resolve_locale(locale, None)
        return list(Project.objects.filter(locale=target_locale).select_related("locale"))

    def resolve_members(self, info, locale=None, country=None):
        target_locale = listing.resolve_locale(locale, None)
        members = Member.objects.filter(locale=target_locale).select_related("locale")
        if country is not None:
            members = members.filter(country=country.upper())
        return list(members)


def _count_subquery(model, request):
    pages = (
        # Pages in the topic's own locale: a menu in English counts the English catalogue. A
        # translated page may still link the topic's source (cms.topic_translations).
        public_pages(
            model.objects.filter(
                topics__translation_key=OuterRef("translation_key"), locale=OuterRef("locale")
            ),
            request,
        )
        .order_by()
        .values("locale")
        .annotate(n=Count("pk", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(pages, output_field=IntegerField()), Value(0))


# Page fields grapple exposes because Wagtail's Page has them: editorial state (the draft's
# title, pending changes, schedules, locks, aliases) that no anonymous client should read.
PAGE_INTERNALS = (
    "draft_title",
    "has_unpublished_changes",
    "latest_revision_created_at",
    "go_live_at",
    "expire_at",
    "expired",
    "locked_at",
    "alias_of",
    "path",
    "numchild",
    "translation_key",
)


def hide_page_internals() -> None:
    """Drop PAGE_INTERNALS from every page type grapple built (before the schema is made)."""
    for page_type in registry.pages.values():
        for name in PAGE_INTERNALS:
            page_type._meta.fields.pop(name, None)


@hooks.register("register_schema_query", order=100)
def replace_grapples_root_fields(query_mixins: list) -> None:
    """Run after grapple's own hook: keep none of its root fields, only this project's.

    Grapple calls this hook while it builds the schema, after every page type exists: the
    moment to take the editorial fields out of them too.
    """
    query_mixins[:] = [CatalogueQuery]
    hide_page_internals()
    # Grapple makes a type of every model of the apps it reads; the persisted queries are the
    # server's own bookkeeping, not content, and stay out of the schema.
    registry.django_models.pop(PersistedQuery, None)
