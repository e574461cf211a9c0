"""The page interface every page type implements: grapple's, with nothing hidden reachable.

Grapple's own `parent` returns any parent (drafts and restricted pages included); here every
page it can reach goes through `page_is_public`. `url` and `urlPath` are the page's address on
its site's front end, and `translations` lists its live translations.
"""

from __future__ import annotations

import graphene
from grapple.types.interfaces import PageInterface as GrapplePageInterface
from grapple.types.interfaces import get_page_interface
from wagtail.models import Page
from wagtail.query import PageQuerySet

from cms.visibility import page_is_public, public_pages

from .errors import BadUserInput

TRANSLATIONS_ATTR = "_graphql_translations"
MAX_TREE_LIST = 100


def _tree_list(description: str) -> graphene.List:
    # Redeclared without grapple's `order`/`searchQuery` arguments, which reached the ORM as is.
    return graphene.List(
        graphene.NonNull(get_page_interface),
        required=True,
        description=description,
        limit=graphene.Int(default_value=20, description=f"At most {MAX_TREE_LIST}"),
        offset=graphene.Int(default_value=0),
    )


def _specific(queryset: PageQuerySet) -> PageQuerySet:
    """The specific pages, each with its locale (every page shows it: one query, not one each).

    A plain select_related would be lost: `specific()` fetches the pages again, by type.
    """
    return queryset.specific().select_related("locale", for_specific_subqueries=True)


def _window(queryset, limit: int, offset: int) -> list:
    # An explicit null (`limit: null`) arrives as None, not as the default.
    if limit is None or not 0 < limit <= MAX_TREE_LIST:
        raise BadUserInput(f"limit must be between 1 and {MAX_TREE_LIST}.", argument="limit")
    if offset is None or offset < 0:
        raise BadUserInput("offset cannot be negative.", argument="offset")
    return list(_specific(queryset)[offset : offset + limit])


def live_translations(pages: list[Page], request) -> None:
    """Fetch the public translations of `pages` in one query and attach them to each page."""
    keys = {page.translation_key for page in pages}
    found: dict = {}
    candidates = _specific(public_pages(Page.objects.filter(translation_key__in=keys), request))
    for other in candidates:
        found.setdefault(other.translation_key, []).append(other)
    for page in pages:
        others = found.get(page.translation_key, [])
        setattr(page, TRANSLATIONS_ATTR, [p for p in others if p.pk != page.pk])


class PageInterface(GrapplePageInterface):
    locale = graphene.String(required=True, description="Language code of the page's locale")
    translations = graphene.List(
        graphene.NonNull(get_page_interface),
        required=True,
        description="The page's live translations, in other locales",
    )

    children = _tree_list("Live, public child pages, in tree order")
    descendants = _tree_list("Live, public pages below this one, in tree order")
    siblings = _tree_list("Live, public pages beside this one")
    next_siblings = _tree_list("Live, public pages after this one among its siblings")
    previous_siblings = _tree_list("Live, public pages before this one among its siblings")
    ancestors = graphene.List(
        graphene.NonNull(get_page_interface),
        required=True,
        description="The live, public pages above this one, from its site's root down",
    )

    def resolve_locale(self, info, **kwargs):
        return self.locale.language_code

    def resolve_translations(self, info, **kwargs):
        if not hasattr(self, TRANSLATIONS_ATTR):
            live_translations([self], info.context)
        return getattr(self, TRANSLATIONS_ATTR)

    def resolve_url(self, info, **kwargs):
        """The page's full URL on its site's front end."""
        return self.get_full_url(info.context)

    def resolve_url_path(self, info, **kwargs):
        """The page's path on its site (with the locale prefix for translations)."""
        parts = self.get_url_parts(info.context)
        return (parts[2] if parts else None) or ""

    def resolve_parent(self, info, **kwargs):
        parent = self.get_parent()
        if parent is None or parent.depth < 2 or not page_is_public(parent, info.context):
            return None  # the tree's technical root, or a page nobody may see
        return parent.specific

    def resolve_ancestors(self, info, **kwargs):
        ancestors = public_pages(self.get_ancestors().filter(depth__gte=2), info.context)
        return list(_specific(ancestors))

    def resolve_children(self, info, limit: int = 20, offset: int = 0, **kwargs):
        return _window(public_pages(self.get_children(), info.context), limit, offset)

    def resolve_descendants(self, info, limit: int = 20, offset: int = 0, **kwargs):
        return _window(public_pages(self.get_descendants(), info.context), limit, offset)

    def resolve_siblings(self, info, limit: int = 20, offset: int = 0, **kwargs):
        siblings = public_pages(self.get_siblings(inclusive=False), info.context)
        return _window(siblings, limit, offset)

    def resolve_next_siblings(self, info, limit: int = 20, offset: int = 0, **kwargs):
        return _window(public_pages(self.get_next_siblings(), info.context), limit, offset)

    def resolve_previous_siblings(self, info, limit: int = 20, offset: int = 0, **kwargs):
        return _window(public_pages(self.get_prev_siblings(), info.context), limit, offset)
