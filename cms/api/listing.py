"""Arguments of the catalogue's list and item fields: checked, then turned into a queryset.

Every refused argument is a BadUserInput whose message names the allowed values and nothing
of the models behind them.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connections
from django.db.models import F
from django.utils import timezone
from graphql import FieldNode, GraphQLError
from graphql.execution.values import get_argument_values
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.images.utils import to_svg_safe_spec
from wagtail.models import Locale, Page, Site

from cms.compiled_queries import pinned
from cms.languages import EU_LANGUAGE_CODES
from cms.visibility import public_pages, public_pages_at, restricted_page_paths

from .context import api_context
from .errors import BadUserInput
from .fast_renditions import rendition_specs
from .rendition_budget import rendition_fields

if TYPE_CHECKING:
    from .facets import ListFacets

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
ORDERS = {
    "-date": (F("date").desc(nulls_last=True), "-pk"),
    "date": (F("date").asc(nulls_last=True), "pk"),
    "title": ("title", "pk"),
    "-title": ("-title", "-pk"),
}
LOCALE_CODES = [code for code, _ in settings.WAGTAIL_CONTENT_LANGUAGES]


@dataclass
class Pagination:
    total: int
    count: int
    per_page: int
    current_page: int
    total_pages: int
    next_page: int | None
    prev_page: int | None


@dataclass
class PageOfItems:
    items: list
    pagination: Pagination
    # What the list's `facets` are counted from (cms/api/facets.py), when it has them.
    facets: ListFacets | None = None


def check_order(order: str) -> tuple:
    if order not in ORDERS:
        allowed = ", ".join(ORDERS)
        raise BadUserInput(f"order must be one of: {allowed}.", argument="order")
    return ORDERS[order]


def check_choice(value: str, allowed: list[str], argument: str) -> str:
    if value not in allowed:
        raise BadUserInput(f"{argument} must be one of: {', '.join(allowed)}.", argument=argument)
    return value


def resolve_site(request, site: str | None, in_site: bool | None) -> Site | None:
    """The site asked for by hostname, or the request's site with `inSite`; None: all sites."""
    if site:
        found = Site.objects.select_related("root_page").filter(hostname=site).first()
        if found is None:
            raise BadUserInput(f"There is no site with hostname {site!r}.", argument="site")
        return found
    if in_site:
        return Site.find_for_request(request)
    return None


def resolve_locale(code: str | None, site: Site | None) -> Locale:
    """The locale asked for, or else the site's (its root page's), or else the default one."""
    if code:
        check_choice(code, LOCALE_CODES, "locale")
        return Locale.objects.filter(language_code=code).first() or Locale(language_code=code)
    if site is not None:
        return site.root_page.locale
    return Locale.get_default()


def resolve_language_code(code: str | None, site: Site | None) -> str:
    """`resolve_locale`'s language code, without reading the locale's row where the code is
    all a caller needs (search matches on the code; a locale with no row has nothing indexed)."""
    if code:
        return check_choice(code, LOCALE_CODES, "locale")
    if site is not None:
        return site.root_page.locale.language_code
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def catalogue_queryset(model, request, *, site: Site | None, locale: Locale, pages=None):
    """The live, public pages of `model` in `locale`, within `site` if one is given.

    `pages`: the rows to filter, `model`'s own by default; `Page.objects.exact_type(model)`
    gives the same pages without the join to `model`'s table (see `paginate`'s `count_from`).
    """
    queryset = public_pages(model.objects.all() if pages is None else pages, request)
    if locale.pk is None:
        return queryset.none()  # a configured language nobody has created a locale for yet
    queryset = in_locale(queryset, locale.pk)
    if site is not None:
        root = site_root(site, locale, request)
        if root is None:
            return queryset.none()
        queryset = queryset.descendant_of(root)
    return queryset


def in_locale(queryset, locale_id: int):
    """The pages of `queryset` in the locale with id `locale_id`."""
    if connections[queryset.db].vendor == "sqlite":
        # Compared as an expression, not as the column: given `locale_id = ?`, SQLite's
        # planner reaches for the locale's index and sorts the whole catalogue (9 ms at 6,000
        # pages) instead of reading the newest-first index (cms/indexes.py) and stopping at
        # the page. PostgreSQL's planner, which has statistics, needs no help (and would
        # misjudge the expression's selectivity).
        return queryset.alias(listing_locale=F("locale_id") + 0).filter(listing_locale=locale_id)
    return queryset.filter(locale_id=locale_id)


def site_root(site: Site, locale: Locale, request):
    """The site's root page in `locale`, or None; looked up once per request (a list
    builds its queryset twice: one to read, one to count)."""
    roots = api_context(request).site_roots
    if (site.pk, locale.pk) not in roots:
        roots[site.pk, locale.pk] = site.root_page.get_translation_or_none(locale)
    return roots[site.pk, locale.pk]


def check_filters(*, year: int | None, language: str | None) -> None:
    if year is not None and not 1000 <= year <= 9999:
        raise BadUserInput("year must be a four-digit year.", argument="year")
    if language is not None and language not in EU_LANGUAGE_CODES:
        raise BadUserInput(
            "language must be an ISO 639-1 code of an EU language (e.g. en, fr, de).",
            argument="language",
        )


def paginate(queryset, *, page: int, per_page: int, prefetch, count_from=None) -> PageOfItems:
    """The `page`-th slice of `queryset`, its items loaded by `prefetch`, and where it lies.

    `count_from`: the same pages as a cheaper queryset to count (by default `queryset`).
    """
    # An explicit null (`perPage: null`) arrives as None, not as the default.
    if per_page is None or not 1 <= per_page <= MAX_PER_PAGE:
        raise BadUserInput(f"perPage must be between 1 and {MAX_PER_PAGE}.", argument="perPage")
    if page is None or page < 1:
        raise BadUserInput("page starts at 1.", argument="page")
    total = (queryset if count_from is None else count_from).count()
    total_pages = max(1, math.ceil(total / per_page))
    start = (page - 1) * per_page
    items = []
    if start < total:
        # The page's ids first, sorted on a narrow row; then its items in full. Sorting the
        # whole catalogue with every column of the page and its joins costs more than the
        # second query.
        ids = list(queryset.values_list("pk", flat=True)[start : start + per_page])
        found = {item.pk: item for item in prefetch(queryset.filter(pk__in=ids))}
        items = [found[pk] for pk in ids if pk in found]
    return PageOfItems(
        items=items,
        pagination=Pagination(
            total=total,
            count=len(items),
            per_page=per_page,
            current_page=page,
            total_pages=total_pages,
            next_page=page + 1 if page < total_pages else None,
            prev_page=page - 1 if page > 1 else None,
        ),
    )


def find_public_page(request, page_id: int | None, url_path: str | None, site: Site | None):
    """The visible page (a plain `Page`) with this id, or else at this path on `site` or any
    site; by SQL compiled once per shape (cms.compiled_queries), the values as parameters."""
    paths = restricted_page_paths(request)
    values: list = [*paths, timezone.now()]
    db = Page.objects.all().db
    key = (_PAGE, db, connections[db].vendor, len(paths), page_id is not None)
    if page_id is not None:
        return next(iter(pinned(key, _page_queryset, [*values, page_id])), None)
    for candidate in url_path_candidates(url_path or "", site):
        page = next(iter(pinned(key, _page_queryset, [*values, candidate])), None)
        if page is not None:
            return page
    return None


_PAGE = "public page"


def _page_queryset(key: tuple, values: list):
    _, db, _vendor, restricted, by_id = key
    paths, now, wanted = tuple(values[:restricted]), values[restricted], values[restricted + 1]
    pages = public_pages_at(Page.objects.db_manager(db).all(), paths, now)
    pages = pages.filter(pk=wanted) if by_id else pages.filter(url_path=wanted)
    return (pages if pages.ordered else pages.order_by("pk"))[:1]  # as `first()` reads


def url_path_candidates(url_path: str, site: Site | None) -> Iterator[str]:
    """The tree's `url_path` values that `url_path` (as on its site, e.g. "/publications/x/"
    or "/fr/publications/x/") may stand for, on `site` or any site, in the order they are
    tried: each site root's, with its language prefix taken off."""
    path = "/" + url_path.strip("/") + "/" if url_path.strip("/") else "/"
    for root in Site.get_site_root_paths():
        if site is not None and root.site_id != site.pk:
            continue
        prefix = "" if root.language_code == settings.LANGUAGE_CODE else f"/{root.language_code}"
        if prefix and not path.startswith(prefix + "/"):
            continue
        yield root.root_path + path[len(prefix) + 1 :]


def parse_id(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise BadUserInput("id must be a page's numeric id.", argument="id") from None
    if not 0 < number < 2**63:
        raise BadUserInput("id must be a page's numeric id.", argument="id")
    return number


def selected_fields(info) -> frozenset[str]:
    """The names of every field the query selects below the current field, at any depth."""
    return frozenset(node.name.value for node in _selected_nodes(info))


def selected_rendition_specs(info) -> frozenset[str] | None:
    """The filter specs of the renditions the query asks for below the current field
    (`rendition(fill: "300x424")`, `srcSet(sizes: [320, 640])`), or None if they cannot be
    told or it asks for an image's `renditions` (every rendition is then loaded)."""
    definitions = dict(rendition_fields(info.schema))
    specs: set[str] = set()
    for node in _selected_nodes(info):
        name = node.name.value
        if name == "renditions":
            return None
        if name not in definitions:
            continue
        try:
            args = get_argument_values(definitions[name], node, info.variable_values)
        except GraphQLError:
            return None
        for spec in rendition_specs(name, args):
            # An SVG is rendered with the spec's SVG-safe part only (grapple, as Wagtail).
            specs.update((spec, to_svg_safe_spec(spec)))
    return frozenset(specs)


def selected_fields_under(info, name: str) -> frozenset[str]:
    """The names of every field the query selects below the fields called `name` (e.g. what
    it asks of an item's `translations`), at any depth below the current field."""
    below = [node.selection_set for node in _selected_nodes(info) if node.name.value == name]
    below = [selection_set for selection_set in below if selection_set is not None]
    return frozenset(node.name.value for node in _nodes_below(below, info.fragments))


def _selected_nodes(info) -> Iterator[FieldNode]:
    """Every field node the query selects below the current field, at any depth."""
    pending = [node.selection_set for node in info.field_nodes if node.selection_set]
    return _nodes_below(pending, info.fragments)


def _nodes_below(pending: list, fragments: dict) -> Iterator[FieldNode]:
    """Every field node in the selection sets `pending`, at any depth, fragments followed."""
    seen_fragments: set[str] = set()
    while pending:
        for selection in pending.pop().selections:
            if selection.kind == "field":
                yield selection
            elif selection.kind == "fragment_spread":
                fragment_name = selection.name.value
                if fragment_name not in seen_fragments and fragment_name in fragments:
                    seen_fragments.add(fragment_name)
                    pending.append(fragments[fragment_name].selection_set)
                continue
            if selection.selection_set is not None:
                pending.append(selection.selection_set)
