"""The `facets` of the catalogue's lists: each filter's values with exact counts of the
list's visible pages (the list's site, locale and visibility rules), for a front end's
filters in the same request as the list.

Counts are disjunctive: a facet's values are counted with every other active filter but its
own, so a list filtered on `type: "report"` still counts the other types. They are read only
when a query selects `facets`, in one GROUP BY query per facet (two or three queries for a
list without a language filter), however many pages, topics or years there are.

The GraphQL types are search's `SearchFacet` and `SearchFacetValue` (defined here, since cms
never imports search, and kept under their published names): a client reads both answers
the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import graphene
from django.db.models import Count, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, ExtractYear
from django.http import HttpRequest
from wagtail.models import Collection, Locale

from cms.languages import EU_LANGUAGES
from cms.models import Topic
from cms.visibility import restricted_collection_ids

LANGUAGE_LABELS = dict(EU_LANGUAGES)

# A filter of a list: a function of its queryset.
Filter = Callable[[QuerySet], QuerySet]


class SearchFacetValue(graphene.ObjectType):
    value = graphene.String(required=True, description="The filter argument's value")
    label = graphene.String(required=True)
    count = graphene.Int(required=True)


class SearchFacet(graphene.ObjectType):
    name = graphene.String(required=True, description="type, kind, topic, year or language")
    values = graphene.List(graphene.NonNull(SearchFacetValue), required=True)


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Facet:
    name: str
    values: list[FacetValue]


@dataclass(frozen=True)
class ChoiceFacet:
    """A list's filter among fixed choices (publications' `type`, positions' `kind`)."""

    name: str  # the list's argument
    field: str  # the page type's field
    choices: tuple[tuple[str, str], ...]  # (value, label), in the order the schema documents


@dataclass
class ListFacets:
    """What a list's facets are counted from: its pages before any facet's filter (visible,
    in its site and locale, and filtered on what no facet stands for, e.g. `project`), and
    each active facet filter by name with its value."""

    base: QuerySet
    locale: Locale
    request: HttpRequest | None
    choice: ChoiceFacet | None = None
    languages: bool = False
    active: dict[str, tuple[str, Filter]] = field(default_factory=dict)

    def names(self) -> list[str]:
        """The facets of the list, in the order they are shown."""
        names = [self.choice.name] if self.choice else []
        return names + ["topic", "year"] + (["language"] if self.languages else [])

    def counted(self, name: str | None) -> QuerySet:
        """The pages facet `name` counts: every active filter applied but its own (None: the
        list's own pages, every active filter applied)."""
        queryset = self.base
        for other, (_value, apply) in self.active.items():
            if other != name:
                queryset = apply(queryset)
        return queryset

    def compute(self) -> list[Facet]:
        """Every facet, each value's count exact: a query per facet (one more to name an
        active topic that no page has)."""
        counters = {"topic": self._topics, "year": self._years, "language": self._languages}
        facets = []
        for name in self.names():
            values = counters.get(name, self._choices)(self.counted(name))
            facets.append(Facet(name=name, values=self._with_active(name, values)))
        return facets

    def _with_active(self, name: str, values: list[FacetValue]) -> list[FacetValue]:
        """`values`, with the active filter's value at count 0 if no page has it (the other
        filters leave none): a client still shows it as chosen. In the facet's order."""
        value = self.active.get(name, (None, None))[0]
        if value is None or any(found.value == value for found in values):
            return values
        return _ordered(name, [*values, FacetValue(value, self._label(name, value), 0)])

    def _label(self, name: str, value: str) -> str:
        if name == "language":
            return LANGUAGE_LABELS.get(value, value)
        if name == "topic":
            names = Topic.objects.filter(slug=value).values_list("name", "locale_id")
            own = sorted(names, key=lambda row: row[1] != self.locale.pk)
            return own[0][0] if own else value
        return value

    def _choices(self, pages: QuerySet) -> list[FacetValue]:
        assert self.choice is not None
        counts = dict(
            pages.order_by()
            .values_list(self.choice.field)
            .annotate(n=Count("pk", distinct=True))
            .values_list(self.choice.field, "n")
        )
        return [
            FacetValue(value=value, label=str(label), count=counts.get(value, 0))
            for value, label in self.choice.choices
        ]

    def _years(self, pages: QuerySet) -> list[FacetValue]:
        rows = (
            pages.filter(date__isnull=False)
            .order_by()
            .annotate(facet_year=ExtractYear("date"))
            .values_list("facet_year")
            .annotate(n=Count("pk", distinct=True))
            .values_list("facet_year", "n")
        )
        return _ordered("year", [FacetValue(str(year), str(year), n) for year, n in rows])

    def _languages(self, pages: QuerySet) -> list[FacetValue]:
        """Languages of the pages' downloads whose file may be shown (`with_language`)."""
        downloads = pages.model._meta.get_field("downloads").related_model
        rows = (
            downloads.objects.filter(
                page__in=pages.order_by().values("pk"),
                document__collection__in=Collection.objects.exclude(
                    pk__in=restricted_collection_ids(self.request)
                ),
            )
            .order_by()
            .values_list("language")
            .annotate(n=Count("page", distinct=True))
            .values_list("language", "n")
        )
        return _ordered(
            "language", [FacetValue(code, LANGUAGE_LABELS.get(code, code), n) for code, n in rows]
        )

    def _topics(self, pages: QuerySet) -> list[FacetValue]:
        """Topics by translation key (a page may link a topic of another locale: it counts
        as that topic's translation in the list's locale, cms.topic_translations), shown by
        the locale's slug and name, or the linked topic's where none is translated."""
        relation = pages.model._meta.get_field("topics").related_query_name()
        own = Topic.objects.filter(translation_key=OuterRef("translation_key"), locale=self.locale)
        rows = (
            Topic.objects.filter(**{f"{relation}__in": pages.order_by().values("pk")})
            .order_by()
            .values_list("translation_key")
            .annotate(
                n=Count(relation, distinct=True),
                facet_slug=Coalesce(Subquery(own.values("slug")[:1]), Max("slug")),
                facet_name=Coalesce(Subquery(own.values("name")[:1]), Max("name")),
            )
            .values_list("facet_slug", "facet_name", "n")
        )
        return _ordered("topic", [FacetValue(slug, name, n) for slug, name, n in rows])


def _ordered(name: str, values: list[FacetValue]) -> list[FacetValue]:
    """A facet's values in its order: years newest first, languages by count (then name),
    topics by name; a choice's as the schema documents them (as given)."""
    if name == "year":
        return sorted(values, key=lambda value: int(value.value), reverse=True)
    if name == "language":
        return sorted(values, key=lambda value: (-value.count, value.label))
    if name == "topic":
        return sorted(values, key=lambda value: (value.label.casefold(), value.value))
    return values
