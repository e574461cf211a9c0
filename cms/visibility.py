"""What an anonymous client may see: live pages outside any view restriction, files outside any
restricted collection, and rich text and StreamField values with everything else taken out.

The API is public and carries no session, so any restriction (password, login, groups) hides
a page and everything under it. The restricted paths and collections are read once per request
and cached on it, so checking a list of related items costs no query per item.
"""

from __future__ import annotations

import datetime
import functools
import operator
from collections.abc import Callable
from functools import reduce
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connections, router
from django.db.models import Q, Value
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import escape
from wagtail import blocks
from wagtail.blocks.list_block import ListValue
from wagtail.blocks.stream_block import StreamValue
from wagtail.documents import get_document_model
from wagtail.documents.models import AbstractDocument
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.models import Collection, CollectionViewRestriction, Locale, Page, PageViewRestriction
from wagtail.query import PageQuerySet
from wagtail.rich_text import RichText
from wagtail.rich_text.rewriters import FIND_A_TAG, FIND_EMBED_TAG, extract_attrs

from cms.api.context import api_context
from cms.sanitize import sanitize_rich_text


def restricted_page_paths(request: HttpRequest | None) -> tuple[str, ...]:
    """Tree paths of the pages that carry a view restriction (it covers their subtrees)."""
    context = api_context(request)
    if context.restricted_page_paths is None:
        _read_restrictions(context)
    return context.restricted_page_paths


def restricted_collection_ids(request: HttpRequest | None) -> frozenset[int]:
    """Ids of the collections under a view restriction, their own or an ancestor's.

    Ids rather than paths, so a file is checked by its `collection_id` without loading its
    collection: one query per request (two if a collection is restricted), none per file.
    """
    context = api_context(request)
    if context.restricted_collection_ids is None:
        _read_restrictions(context)
    return context.restricted_collection_ids


@functools.lru_cache(maxsize=8)
def _restrictions_sql(using: str) -> tuple[str, tuple]:
    # The same query at every request: compiled once per database (the ORM takes longer to
    # build and compile this union than the database takes to answer it).
    pages = PageViewRestriction.objects.annotate(kind=Value("page")).values_list(
        "kind", "page__path"
    )
    collections = CollectionViewRestriction.objects.annotate(kind=Value("collection")).values_list(
        "kind", "collection__path"
    )
    sql, params = pages.union(collections, all=True).query.get_compiler(using=using).as_sql()
    return sql, tuple(params)


def _read_restrictions(context) -> None:
    """The restricted pages' and collections' paths in one query (nearly every answer needs
    both), then the ids of the restricted collections' subtrees if there are any."""
    using = router.db_for_read(PageViewRestriction)
    with connections[using].cursor() as cursor:
        cursor.execute(*_restrictions_sql(using))
        rows = cursor.fetchall()
    context.restricted_page_paths = tuple(path for kind, path in rows if kind == "page")
    subtrees = [Q(path__startswith=path) for kind, path in rows if kind == "collection"]
    context.restricted_collection_ids = frozenset(
        Collection.objects.filter(reduce(operator.or_, subtrees)).values_list("pk", flat=True)
        if subtrees
        else ()
    )


def _plain_page_type_id() -> int:
    # Cached by Django after the first call.
    return ContentType.objects.get_for_model(Page).pk


def page_is_public(page: Page | None, request: HttpRequest | None) -> bool:
    """Live, not expired, of one of the project's page types and under no view restriction.

    A page past its expiry date is hidden before the `publish_scheduled` cron job unpublishes
    it. Plain Wagtail pages (the tree's root, the placeholder of a new site) are never served:
    grapple's type for them leads to its `Site` type, whose `page(token:)` ignores the preview
    token's age and whose `pages` apply none of these rules.
    """
    if page is None or not page.live or page.expired:
        return False
    if page.expire_at is not None and page.expire_at <= timezone.now():
        return False
    if page.content_type_id == _plain_page_type_id():
        return False
    return not page.path.startswith(restricted_page_paths(request) or ("\0",))


def file_is_public(
    file: AbstractDocument | AbstractImage | None, request: HttpRequest | None
) -> bool:
    """A document or image is shown only outside restricted collections."""
    return file is not None and file.collection_id not in restricted_collection_ids(request)


def private_q(request: HttpRequest | None) -> Q:
    """Wagtail's `PageQuerySet.private_q()`: the pages under a view restriction, from the
    paths read once per request (Wagtail reads the restrictions again for every queryset)."""
    return _private_q(restricted_page_paths(request))


def _private_q(paths: tuple[str, ...]) -> Q:
    private = Q()
    for path in paths:
        # The page and its subtree, as Wagtail's `descendant_of_q(page, inclusive=True)`.
        private |= Q(path__startswith=path)
    return private


def public_pages(queryset: PageQuerySet, request: HttpRequest | None) -> PageQuerySet:
    """`queryset.live().public()`, less expired pages and plain Wagtail pages: what
    `page_is_public` accepts, in SQL. `CatalogueQuerySet.visible()` is this, as a method; any
    other page queryset (`Page.objects`, a page's children) comes here."""
    return public_pages_at(queryset, restricted_page_paths(request), timezone.now())


def public_pages_at(
    queryset: PageQuerySet, restricted_paths: tuple[str, ...], now: datetime.datetime
) -> PageQuerySet:
    """`public_pages` given the restricted pages' paths and the time, rather than a request
    (cms.compiled_queries builds it from stand-in values)."""
    queryset = (
        queryset.live()
        .filter(expired=False)
        .filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))
    )
    if queryset.model is Page:
        # A queryset of one of the project's page types cannot hold a plain page.
        queryset = queryset.not_exact_type(Page)
    private = _private_q(restricted_paths)
    # Wagtail's `public()`, as `exclude(private_q())`; nothing to exclude: no condition at all.
    return queryset.exclude(private) if private else queryset


# --- Rich text -------------------------------------------------------------------------------


def _active_locale_id() -> int | None:
    try:
        return Locale.get_active().pk
    except (LookupError, Locale.DoesNotExist):
        return None


def _ids(attrs_list: list[dict], key: str, value: str) -> set[int]:
    return {_id(attrs) for attrs in attrs_list if attrs.get(key) == value} - {None}


def _pinned_links(
    visible: dict[int, tuple[int, Any]], request: HttpRequest | None
) -> dict[int, str]:
    """Links that Wagtail would send to a hidden translation, and the tag to use instead.

    Wagtail renders a page link with the translation in the active language whenever that one
    is live, restricted or not; these links stay on the chosen page.
    """
    active = _active_locale_id()
    elsewhere = {key: pk for pk, (locale_id, key) in visible.items() if locale_id != active}
    if active is None or not elsewhere:
        return {}
    translations = Page.objects.filter(
        translation_key__in=elsewhere, locale_id=active, live=True
    ).only("live", "expired", "expire_at", "path", "content_type_id", "translation_key")
    hidden = [elsewhere[t.translation_key] for t in translations if not page_is_public(t, request)]
    return {
        page.pk: f'<a href="{escape(page.url or "")}">'
        for page in Page.objects.filter(pk__in=hidden).specific()
    }


def public_rich_text(source: str, request: HttpRequest | None) -> str:
    """`source` (rich text as stored) with nothing hidden linked or embedded.

    A link to a hidden page or document keeps its text and loses its target: a bare `<a>`, as
    Wagtail renders a link to a deleted page. An embedded hidden image is left out. Everything
    else stays in the stored format, for Wagtail (or grapple's RichText scalar) to expand.

    Every rich text value of the API passes here, so this is where it is sanitized: whatever
    the database holds, no script, event handler or `javascript:` URL comes out.
    """
    source = sanitize_rich_text(source)
    links = [(match, extract_attrs(match.group(1))) for match in FIND_A_TAG.finditer(source)]
    embeds = [(match, extract_attrs(match.group(1))) for match in FIND_EMBED_TAG.finditer(source)]
    link_attrs = [attrs for _, attrs in links]
    page_ids = _ids(link_attrs, "linktype", "page")
    document_ids = _ids(link_attrs, "linktype", "document")
    image_ids = _ids([attrs for _, attrs in embeds], "embedtype", "image")
    if not (page_ids or document_ids or image_ids):
        return source

    visible_pages: dict[int, tuple[int, Any]] = {}
    if page_ids:
        rows = public_pages(Page.objects.filter(pk__in=page_ids), request).values_list(
            "pk", "locale_id", "translation_key"
        )
        visible_pages = {pk: (locale_id, key) for pk, locale_id, key in rows}
    pinned = _pinned_links(visible_pages, request)
    restricted = restricted_collection_ids(request)
    visible_files = {
        "document": _public_file_ids(get_document_model(), document_ids, restricted),
        "image": _public_file_ids(get_image_model(), image_ids, restricted),
    }

    def link(attrs: dict) -> str | None:
        pk = _id(attrs)
        if attrs.get("linktype") == "page":
            return pinned.get(pk) if pk in visible_pages else "<a>"
        if attrs.get("linktype") == "document" and pk not in visible_files["document"]:
            return "<a>"
        return None

    def embed(attrs: dict) -> str | None:
        if attrs.get("embedtype") == "image" and _id(attrs) not in visible_files["image"]:
            return ""
        return None

    replacements = [(match, link(attrs)) for match, attrs in links]
    replacements += [(match, embed(attrs)) for match, attrs in embeds]
    # From the end, so the offsets of the tags still to replace stay valid.
    for match, replacement in sorted(replacements, key=lambda item: -item[0].start()):
        if replacement is not None:
            source = source[: match.start()] + replacement + source[match.end() :]
    return source


def _id(attrs: dict) -> int | None:
    value = str(attrs.get("id", ""))
    return int(value) if value.isdigit() else None


def _public_file_ids(model, ids: set[int], restricted: frozenset[int]) -> set[int]:
    if not ids:
        return set()
    rows = model.objects.filter(pk__in=ids).values_list("pk", "collection_id")
    return {pk for pk, collection_id in rows if collection_id not in restricted}


# --- StreamField -----------------------------------------------------------------------------


def public_object(value: Any, request: HttpRequest | None) -> Any:
    """A chosen page (as its specific type), document or image if it may be shown, else None;
    any other value as it is."""
    if isinstance(value, Page):
        return value.specific if page_is_public(value, request) else None
    if isinstance(value, (AbstractDocument, AbstractImage)):
        return value if file_is_public(value, request) else None
    return value


def _walk(block: blocks.Block, value: Any, visit: Callable[[Any], Any]) -> Any:
    """`value` rebuilt with `visit` applied to every page, file and rich text in it; an item
    of a list or stream that `visit` turns into None is left out."""
    if isinstance(value, (Page, AbstractDocument, AbstractImage, RichText)):
        return visit(value)
    if isinstance(block, blocks.StructBlock):
        return block.meta.value_class(
            block,
            [
                (name, _walk(block.child_blocks[name], child, visit))
                for name, child in value.items()
            ],
        )
    if isinstance(block, blocks.ListBlock):
        items = [_walk(block.child_block, item, visit) for item in value]
        return ListValue(block, values=[i for i in items if i is not None])
    if isinstance(block, blocks.StreamBlock):
        children = [(child, _walk(child.block, child.value, visit)) for child in value]
        return StreamValue(
            block,
            [(c.block_type, v, c.id) for c, v in children if v is not None],
            is_lazy=False,
        )
    return value


def public_stream(stream: StreamValue, request: HttpRequest | None) -> list:
    """The blocks of a StreamField value, with nothing hidden in them.

    A hidden page, document or image becomes None (a block that is only that is left out),
    rich text goes through `public_rich_text`. Chosen pages come back as their specific type,
    fetched in one go: grapple's type for a plain `Page` leads to its unchecked `Site` type.
    """
    shown_pages: list[int] = []

    def collect(value: Any) -> Any:
        if isinstance(value, Page) and page_is_public(value, request):
            shown_pages.append(value.pk)
        return value

    for child in stream:
        _walk(child.block, child.value, collect)
    specific = (
        {page.pk: page for page in Page.objects.filter(pk__in=shown_pages).specific()}
        if shown_pages
        else {}  # no chosen page: not even a queryset to build (runs for every body)
    )

    def show(value: Any) -> Any:
        if isinstance(value, Page):
            return specific.get(value.pk) if page_is_public(value, request) else None
        if isinstance(value, RichText):
            return RichText(public_rich_text(value.source, request))
        return public_object(value, request)

    shown = [(child, _walk(child.block, child.value, show)) for child in stream]
    return [
        StreamValue.StreamChild(child.block, value, id=child.id)
        for child, value in shown
        if value is not None
    ]
