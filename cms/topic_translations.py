"""A page's topics in the page's own language.

Wagtail copies a page's topics as they are when it translates the page: a French translation
links the English topics, and keeps them when the topics are translated later. Rather than
rewrite pages' relations (and their revisions) whenever either is translated, readers map a
topic to its translation in the page's locale, where there is one (the topic as linked
otherwise): what the API shows of a page, what the search index holds, and which pages a
topic filters and counts, all go by the topic's translation key.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import OuterRef, QuerySet

from .models import Topic

_LOCALIZED = "_localized_topics"


def localize_topics(pages: Iterable) -> None:
    """Work out the topics of each page in its locale, with one query for all the pages.

    Reads each page's `topics` once (prefetch them first: otherwise a query per page).
    """
    linked = [(page, list(page.topics.all())) for page in pages]
    wanted = {
        (topic.translation_key, page.locale_id)
        for page, topics in linked
        for topic in topics
        if topic.locale_id != page.locale_id
    }
    translations: list[Topic] = []
    if wanted:
        translations = list(
            Topic.objects.filter(
                translation_key__in={key for key, _locale in wanted},
                locale_id__in={locale for _key, locale in wanted},
            ).select_related("locale")
        )
    for page, topics in linked:
        set_localized_topics(page, topics, translations)


def set_localized_topics(page, topics: list[Topic], translations: Iterable[Topic]) -> None:
    """Show `topics` (the page's, as linked and ordered) in the page's locale, where
    `translations` has a topic's translation in it."""
    found = {(topic.translation_key, topic.locale_id): topic for topic in translations}
    shown: dict[int, Topic] = {}
    for topic in topics:  # in the order they were loaded (by name)
        translation = found.get((topic.translation_key, page.locale_id), topic)
        shown.setdefault(translation.pk, translation)  # a topic and its translation linked
    page.__dict__[_LOCALIZED] = list(shown.values())


def translations_in_page_locale(topics_field) -> QuerySet:
    """The topics in a page's locale that translate one of the topics it links (a queryset
    correlated to a page query: `OuterRef` is the page), for `set_localized_topics`."""
    linked = Topic.objects.filter(**{topics_field.related_query_name(): OuterRef(OuterRef("pk"))})
    return Topic.objects.filter(
        locale_id=OuterRef("locale_id"), translation_key__in=linked.values("translation_key")
    )


def topics_of(page) -> list[Topic]:
    """The page's topics in its locale (`localize_topics` run for it, or run now)."""
    if _LOCALIZED not in page.__dict__:
        localize_topics([page])
    return page.__dict__[_LOCALIZED]


def same_topics(slugs: Iterable[str], language_code: str | None = None) -> QuerySet:
    """The topics, in any locale, that are the topics with these slugs or their translations.

    A slug is unique within a locale only: where `language_code`'s locale has a topic with the
    slug, that topic is the one meant; elsewhere any topic with the slug is.
    """
    rows = list(
        Topic.objects.filter(slug__in=list(slugs)).values_list(
            "slug", "locale__language_code", "translation_key"
        )
    )
    own = {slug for slug, code, _key in rows if code == language_code}
    keys = {key for slug, code, key in rows if slug not in own or code == language_code}
    return Topic.objects.filter(translation_key__in=keys)
