"""Filters for the admin's flat listings of dated catalogue pages (type, year, topic)."""

from __future__ import annotations

import django_filters
from django import forms
from wagtail.admin.views.pages.listing import PageFilterSet

from .models import Topic

UNKNOWN_YEAR = "unknown"


class YearFilter(django_filters.ChoiceFilter):
    """Years that occur in the listing, plus "unknown" for records without a date."""

    def filter(self, qs, value):
        if value in ("", None):
            return qs
        if value == UNKNOWN_YEAR:
            return qs.filter(date__isnull=True)
        return qs.filter(date__year=int(value))


def _year_choices(model) -> list[tuple[str, str]]:
    years = model.objects.filter(date__isnull=False).dates("date", "year", order="DESC")
    return [(str(d.year), str(d.year)) for d in years] + [(UNKNOWN_YEAR, "Unknown")]


def _on_topics(queryset, name, topics):
    """Pages linked to these topics or to their translations (a translated page keeps the
    topics it was copied with: cms/topic_translations.py), as the API filters them."""
    if not topics:
        return queryset
    keys = [topic.translation_key for topic in topics]
    return queryset.filter(topics__translation_key__in=keys).distinct()


def catalogue_filterset(model, type_field: str | None = None, type_choices=None):
    """Build a page filterset for `model` with year and topic filters (and its type field)."""
    attrs = {
        "year": YearFilter(label="Year", choices=lambda: _year_choices(model), empty_label="Any"),
        "topics": django_filters.ModelMultipleChoiceFilter(
            label="Topic",
            queryset=Topic.objects.all(),
            widget=forms.CheckboxSelectMultiple,
            method=_on_topics,
        ),
        "Meta": type("Meta", (PageFilterSet.Meta,), {"model": model, "fields": []}),
    }
    if type_field:
        attrs[type_field] = django_filters.MultipleChoiceFilter(
            label="Type", choices=type_choices, widget=forms.CheckboxSelectMultiple
        )
    return type(f"{model.__name__}FilterSet", (PageFilterSet,), attrs)
