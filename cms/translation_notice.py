"""The notice at the top of a translated page's form: which fields still read as in the
source locale, i.e. were copied by "Translate" and not translated yet."""

from __future__ import annotations

from wagtail.admin.panels import HelpPanel
from wagtail.models import Locale

# The page's own words. Dates, slugs, files and choices are copied on purpose and stay.
TRANSLATABLE_FIELDS = (
    "title",
    "subtitle",
    "summary",
    "intro",
    "body",
    "place",
    "seo_title",
    "search_description",
)


def untranslated_fields(page) -> list[str]:
    """The labels of the fields of `page` (not in the default locale) that are not empty and
    equal to the same field of its default-locale translation."""
    default = Locale.get_default()
    if page.pk is None or page.locale_id in (None, default.pk):
        return []
    source = page.get_translation_or_none(default)
    if source is None:
        return []
    source = source.specific
    labels = []
    for name in TRANSLATABLE_FIELDS:
        try:
            field = page._meta.get_field(name)
        except Exception:
            continue
        value = field.value_to_string(page)
        if value and value not in ("[]", "<p></p>") and value == field.value_to_string(source):
            labels.append(str(field.verbose_name).capitalize())
    return labels


class TranslationNotice(HelpPanel):
    """A warning panel naming the fields still as in the default locale's page; shown only on
    translated pages that have some."""

    def __init__(self, **kwargs):
        kwargs.setdefault("template", "cms/panels/translation_notice.html")
        super().__init__(**kwargs)

    @property
    def clean_name(self) -> str:
        return "translation_notice"

    class BoundPanel(HelpPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.fields = untranslated_fields(self.instance)
            self.source_language = Locale.get_default().get_display_name()

        def is_shown(self) -> bool:
            return bool(self.fields)
