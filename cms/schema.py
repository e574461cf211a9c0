"""The shared root fields of the public GraphQL schema: the taxonomies and any page by path
(front-end routing); and the hook that keeps grapple's own root fields out of it.

Grapple's root fields (`pages`, `search`, `redirects`, `documents`, `images`, ...) returned
drafts and restricted pages or passed arguments to the ORM unchecked. Each app registers its
own root fields instead (`publications/schema.py`, `positions/schema.py`, `search/schema.py`).
"""

from __future__ import annotations

import functools
import operator

import graphene
from django.apps import apps
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from grapple.registry import registry
from grapple.types.interfaces import get_page_interface

from .api import items, listing
from .api.persisted import PersistedQuery
from .models import DatedPage, Member, Project, Topic, WorkerHeartbeat
from .redirects import RedirectTarget, find_redirect
from .visibility import page_is_public


def catalogue_page_types() -> list[type[DatedPage]]:
    """Every concrete dated page type, in the app registry's order (the apps' own order)."""
    return [model for model in apps.get_models() if issubclass(model, DatedPage)]


class CmsQuery(graphene.ObjectType):
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
    redirect = graphene.Field(
        RedirectTarget,
        path=graphene.String(required=True),
        site=graphene.String(),
        description="Where a moved path leads now: a live, public page's front-end URL or an "
        "external URL; null if there is no redirect, or it leads to a page that is not public",
    )

    def resolve_page(self, info, url_path=None, id=None, site=None, in_site=None):
        request = info.context
        target_site = listing.resolve_site(request, site, in_site)
        page_id = listing.parse_id(id)
        if page_id is None and not url_path:
            return None
        page = listing.find_public_page(request, page_id, url_path, target_site)
        if not page_is_public(page, request):
            return None
        model = page.specific_class
        if model is not None and issubclass(model, DatedPage):
            # A catalogue page, as its own root field gives it: its relations in a query each.
            return items.load_item(page, info)
        return page.specific

    def resolve_redirect(self, info, path, site=None):
        return find_redirect(info.context, path, site)

    def resolve_topics(self, info, locale=None):
        request = info.context
        target_locale = listing.resolve_locale(locale, None)
        counts = [_count_subquery(model, request) for model in catalogue_page_types()]
        total = functools.reduce(operator.add, counts) if counts else Value(0)
        return list(
            Topic.objects.filter(locale=target_locale)
            .select_related("locale")
            .annotate(live_item_count=total)
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


def _count_subquery(model: type[DatedPage], request) -> Coalesce:
    pages = (
        # Pages in the topic's own locale: a menu in English counts the English catalogue. A
        # translated page may still link the topic's source (cms.topic_translations).
        model.objects.filter(
            topics__translation_key=OuterRef("translation_key"), locale=OuterRef("locale")
        )
        .visible(request)
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


def _from_grapple(mixin: type) -> bool:
    # What grapple's own hook adds: graphene's bare ObjectType, its query classes and those of
    # its decorators (`registry.schema`). This project registers root fields through the hook.
    return mixin is graphene.ObjectType or mixin.__module__.partition(".")[0] == "grapple"


def replace_grapples_root_fields(query_mixins: list) -> None:
    """Keep none of grapple's root fields, the apps' and these only (run after grapple's own
    hook, whatever order the apps' hooks run in).

    Grapple runs the hook while it builds the schema, after every page type exists: the
    moment to take the editorial fields out of them too.
    """
    query_mixins[:] = [mixin for mixin in query_mixins if not _from_grapple(mixin)] + [CmsQuery]
    hide_page_internals()
    # Grapple makes a type of every model of the apps it reads; the persisted queries and the
    # task workers' heartbeats are the server's own bookkeeping, not content.
    for model in (PersistedQuery, WorkerHeartbeat):
        registry.django_models.pop(model, None)
