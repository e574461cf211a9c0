"""Translations: pages and taxonomies copied into another locale, and the admin's translate view."""

import pytest
from django.test import override_settings
from django.urls import reverse

from cms.factories import TopicFactory
from cms.models import Topic
from publications.factories import PublicationPageFactory
from publications.models import PublicationPage


@pytest.fixture
def publication(publication_index) -> PublicationPage:
    """A published English publication."""
    page = PublicationPageFactory(
        parent=publication_index, title="Security and democracy", slug="security-and-democracy"
    )
    page.save_revision().publish()
    return page


@pytest.fixture
def french_publication(publication, locales) -> PublicationPage:
    """The French copy of `publication`, its parents created as needed."""
    return publication.copy_for_translation(locales["fr"], copy_parents=True)


def test_translation_is_in_the_target_locale(french_publication, locales) -> None:
    assert french_publication.locale == locales["fr"]


def test_translation_shares_the_translation_key(publication, french_publication) -> None:
    assert french_publication.translation_key == publication.translation_key


def test_get_translations_finds_the_translation(publication, french_publication) -> None:
    assert [page.pk for page in publication.get_translations()] == [french_publication.pk]


def test_parents_are_translated_too(publication, french_publication, locales) -> None:
    french_index = french_publication.get_parent()
    assert french_index.locale == locales["fr"]
    assert french_index.translation_key == publication.get_parent().translation_key
    assert french_index.get_parent().locale == locales["fr"]


def test_translation_starts_as_a_draft(french_publication) -> None:
    assert not french_publication.live


def test_translation_keeps_the_content(publication, french_publication) -> None:
    assert (french_publication.title, french_publication.date) == (
        publication.title,
        publication.date,
    )


def test_french_tree_belongs_to_the_same_site(publication, french_publication) -> None:
    # The French tree hangs beside the English one; Wagtail serves both from one site.
    assert french_publication.get_site() == publication.get_site()


def test_english_and_french_pages_have_different_urls(publication, french_publication) -> None:
    # cms/urls.py serves pages through i18n_patterns: English unprefixed, others under /xx/.
    assert publication.get_url() == "/publications/security-and-democracy/"
    assert french_publication.get_url() == "/fr/publications/security-and-democracy/"


@override_settings(FRONTEND_URLS={"localhost": "https://front.example"})
def test_french_page_full_url_is_on_the_front_end(french_publication) -> None:
    assert french_publication.full_url == (
        "https://front.example/fr/publications/security-and-democracy/"
    )


def test_topic_can_be_translated(locales) -> None:
    topic = TopicFactory(name="Prevention", locale=locales["en"])

    french = topic.copy_for_translation(locales["fr"])
    french.name = "Prévention"
    french.save()

    assert french.translation_key == topic.translation_key
    assert french.slug == topic.slug
    assert list(topic.get_translations()) == [french]
    assert Topic.objects.filter(locale=locales["fr"]).get() == french


def test_editor_has_the_submit_translation_right(editor) -> None:
    assert editor.has_perm("simple_translation.submit_translation")


def test_editor_can_open_the_translate_page_view(editor_client, publication, locales) -> None:
    response = editor_client.get(
        reverse("simple_translation:submit_page_translation", args=[publication.pk])
    )
    assert response.status_code == 200


def test_editor_can_translate_a_page_through_the_admin(editor_client, home_page, locales) -> None:
    response = editor_client.post(
        reverse("simple_translation:submit_page_translation", args=[home_page.pk]),
        {"locales": [locales["fr"].pk]},
    )

    assert response.status_code == 302
    assert home_page.get_translation(locales["fr"]).title == home_page.title


def test_editor_can_open_the_translate_topic_view(editor_client, locales) -> None:
    topic = TopicFactory(locale=locales["en"])
    response = editor_client.get(
        reverse("simple_translation:submit_snippet_translation", args=["cms", "topic", topic.pk])
    )
    assert response.status_code == 200
