"""The page trees of every locale kept in step: each site's home page and the indexes under
it exist, live, in every locale.

Wagtail can translate a page only under a translated parent. Left to editors, translating one
publication meant translating the home page, then the index, then the publication, leaving
drafts of the first two (simple_translation's "Some locales are disabled ..."). Structural
pages are few and have no content of their own to write, so they are translated for the
editors: when one is published in the default locale, and when a locale is added. A
publication is then translated in one step, under live parents.

simple_translation's WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE would do this for every page, as
live aliases: each English publication would appear, in English, in every other locale's list.
"""

from __future__ import annotations

import logging

from django.db import transaction
from wagtail.models import Locale, Page

logger = logging.getLogger(__name__)

# Depth 2: a site's home page (under the tree's root); depth 3: the indexes under it.
STRUCTURAL_DEPTHS = (2, 3)


def is_structural(page: Page) -> bool:
    """A home page or an index of the project (not Wagtail's plain welcome page)."""
    from .models import BasePage

    return page.depth in STRUCTURAL_DEPTHS and isinstance(page.specific, BasePage)


def translate_structure(page: Page) -> list[Page]:
    """Copy a live structural page of the default locale into every locale that lacks it,
    published (its parents first). Returns the copies made."""
    if not (is_structural(page) and page.live and page.locale_id == Locale.get_default().pk):
        return []
    made = []
    with transaction.atomic():
        for locale in Locale.objects.exclude(pk=page.locale_id):
            if page.get_translation_or_none(locale) is not None:
                continue
            parent = page.get_parent()
            if parent.depth > 1 and parent.get_translation_or_none(locale) is None:
                made += translate_structure(parent.specific)
                if parent.get_translation_or_none(locale) is None:
                    # A draft parent is not translated: its pages follow once it is published.
                    logger.info("%s not translated into %s: its parent is a draft", page, locale)
                    continue
            copy = page.specific.copy_for_translation(locale)
            copy.save_revision().publish()
            made.append(copy)
    if made:
        logger.info("Translated %s into %d locale(s)", page, len(made))
    return made


def translate_all_structure() -> list[Page]:
    """Every live structural page of the default locale, into every locale (a new locale)."""
    pages = Page.objects.filter(
        depth__in=STRUCTURAL_DEPTHS, live=True, locale=Locale.get_default()
    ).order_by("path")
    return [copy for page in pages for copy in translate_structure(page.specific)]


def on_page_published(sender, instance: Page, **kwargs) -> None:
    """page_published: a structural page of the default locale is translated where missing."""
    if is_structural(instance):
        translate_structure(instance)


def on_locale_saved(sender, instance: Locale, created: bool, **kwargs) -> None:
    """post_save of Locale: a new locale gets the structural pages."""
    if created:
        transaction.on_commit(translate_all_structure)
