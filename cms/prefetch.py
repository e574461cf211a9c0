"""The pieces a page type's `for_api()` prefetch plan is built of: topics, files, related pages
and image renditions, each loaded only if a query selects the fields that show it."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import Model, Prefetch
from wagtail.images import get_image_model

from .models.taxonomies import Topic

# (names of the fields that show a relation, a function making its lookup or None)
Wanted = Iterable[tuple[tuple[str, ...], Callable[[], Prefetch | str | None]]]


def wants(fields: frozenset[str] | None, name: str) -> bool:
    """Whether a field named `name` is selected anywhere (None: the selection is not known)."""
    return fields is None or name in fields


def wanted_lookups(fields: frozenset[str] | None, wanted: Wanted) -> list[Prefetch | str]:
    """The lookup of each relation of `wanted` whose fields the query selects; of every one
    when `fields` is None (an item, or a search hit, whose selection is not read). A relation
    made as None has nothing to load."""
    lookups = (make() for names, make in wanted if fields is None or not fields.isdisjoint(names))
    return [lookup for lookup in lookups if lookup is not None]


def related_prefetch(model: type[Model], attr: str, target: str | None) -> Prefetch:
    """The rows of `attr`, with `target` (a relation of theirs) joined if not None."""
    queryset = model.objects.all() if target is None else model.objects.select_related(target)
    return Prefetch(attr, queryset=queryset)


def topics_prefetch(fields: frozenset[str] | None) -> Prefetch:
    """A page's topics, with their locale if the query shows it."""
    return related_prefetch(Topic, "topics", "locale" if wants(fields, "locale") else None)


def files_prefetch(
    model: type[Model], fields: frozenset[str] | None, attr: str = "downloads"
) -> Prefetch:
    """The rows of `attr` with their documents (and the documents' collections if the query
    shows them: checking that a file may be shown needs only its collection's id)."""
    related = "document__collection" if wants(fields, "collection") else "document"
    return Prefetch(attr, queryset=model.objects.select_related(related))


def related_publications_prefetch(model: type[Model]) -> Prefetch:
    """The rows of a page's `related_publications` (a `model`), with each page's locale."""
    return related_prefetch(model, "related_publications", "publication__locale")


def renditions_prefetch(attr: str, specs: frozenset[str] | None) -> Prefetch | None:
    """The renditions of the images at `attr` whose filter specs are in `specs` (every one
    if None); None when the query asks for no rendition at all."""
    if specs is not None and not specs:
        return None
    renditions = get_image_model().get_rendition_model().objects.all()
    if specs is not None:
        renditions = renditions.filter(filter_spec__in=specs)
    return Prefetch(f"{attr}__renditions", queryset=renditions)
