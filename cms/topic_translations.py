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

from django.db.models import QuerySet

from .models import Topic

_LOCALIZED = "_localized_topics"


def localize_topics(pages: Iterable) -> None:
    """Work out the topics of each page in its locale, with one query for all the pages.

    Reads each page's `topics` (prefetch them first: otherwise a query per page).
    """
    pages = list(pages)
    wanted = {
        (topic.translation_key, page.locale_id)
        for page in pages
        for topic in page.topics.all()
        if topic.locale_id != page.locale_id
    }
    found: dict[tuple, Topic] = {}
    if wanted:
        translations = Topic.objects.filter(
            translation_key__in={key for key, _locale in wanted},
            locale_id__in={locale for _key, locale in wanted},
        ).select_related("locale")
        found = {(topic.translation_key, topic.locale_id): topic for topic in translations}
    for page in pages:
        topics: dict[int, Topic] = {}
        for topic in page.topics.all():
            shown = found.get((topic.translation_key, page.locale_id), topic)
            topics.setdefault(shown.pk, shown)  # a topic and its translation both linked
        page.__dict__[_LOCALIZED] = sorted(topics.values(), key=lambda topic: topic.name)


def topics_of(page) -> list[Topic]:
    """The page's topics in its locale (`localize_topics` run for it, or run now)."""
    if _LOCALIZED not in page.__dict__:
        localize_topics([page])
    return page.__dict__[_LOCALIZED]


def same_topics(slugs: Iterable[str]) -> QuerySet:
    """The topics, in any locale, that are the topics with these slugs or their translations."""
    keys = Topic.objects.filter(slug__in=list(slugs)).values("translation_key")
    return Topic.objects.filter(translation_key__in=keys)
