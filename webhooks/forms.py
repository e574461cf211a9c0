"""The endpoint form: filters as checkboxes, the URL checked against the target rules."""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.conf import settings
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.models import Page, Site

from .models import Endpoint, Event
from .sending import TargetRefused, check_target


def page_type_choices() -> list[tuple[str, str]]:
    """Every concrete page type of the project (not Wagtail's plain Page)."""
    return sorted(
        (f"{model._meta.app_label}.{model._meta.model_name}", str(model._meta.verbose_name))
        for model in apps.get_models()
        if issubclass(model, Page) and model is not Page
    )


class EndpointForm(WagtailAdminModelForm):
    url = forms.URLField(
        label="URL",
        max_length=500,
        assume_scheme="https",
        help_text="Where events are POSTed. Redirects are not followed.",
    )
    events = forms.MultipleChoiceField(
        choices=Event.choices, widget=forms.CheckboxSelectMultiple, initial=Event.values
    )
    content_types = forms.MultipleChoiceField(
        label="Page types",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every page type.",
    )
    locales = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=settings.WAGTAIL_CONTENT_LANGUAGES,
        help_text="None ticked: every language.",
    )
    sites = forms.TypedMultipleChoiceField(
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every site.",
    )

    class Meta:
        model = Endpoint
        fields = ["name", "url", "enabled", "events", "content_types", "locales", "sites"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["content_types"].choices = page_type_choices()
        self.fields["sites"].choices = [
            (site.pk, str(site)) for site in Site.objects.order_by("hostname")
        ]

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        try:
            check_target(url)
        except TargetRefused as error:
            raise forms.ValidationError(str(error)) from error
        return url
