"""Every locale's page tree has the home page and the indexes, live; a publication is
translated in one step, leaving no stray drafts; slugs stay ASCII; the fields still to
translate are named on the translated page's form."""

from __future__ import annotations

import pytest
from django.urls import reverse
from wagtail.models import Locale, Page

from cms.factories import HomePageFactory, wagtail_root
from cms.locale_trees import translate_all_structure
from publications.factories import PublicationIndexPageFactory, PublicationPageFactory
from publications.models import PublicationIndexPage, PublicationPage


@pytest.fixture
def published_structure(locales):
    """A home page and its catalogue published through revisions, as the admin does."""
    home = HomePageFactory(parent=wagtail_root(), title="Network", slug="network", live=False)
    home.save_revision().publish()
    index = PublicationIndexPageFactory(parent=home, title="Publications", live=False)
    index.save_revision().publish()
    return home, index


def test_publishing_a_structural_page_translates_it_into_every_locale(published_structure):
    home, index = published_structure

    for page in (home, index):
        translations = page.get_translations()
        assert sorted(t.locale.language_code for t in translations) == [
            "de",
            "es",
            "fr",
            "it",
            "pt",
        ]
        assert all(t.live for t in translations)


def test_a_new_locale_gets_the_structural_pages(
    published_structure, django_capture_on_commit_callbacks
):
    _home, index = published_structure

    with django_capture_on_commit_callbacks(execute=True):
        Locale.objects.create(language_code="nl")

    assert index.get_translation(Locale.objects.get(language_code="nl")).live


def test_an_index_published_under_a_draft_home_is_published_untranslated(locales):
    home = HomePageFactory(parent=wagtail_root(), title="Network", slug="network", live=False)
    index = PublicationIndexPageFactory(parent=home, title="Publications", live=False)

    index.save_revision().publish()

    index.refresh_from_db()
    assert index.live
    assert index.get_translations().count() == 0


def test_translating_the_structure_again_makes_nothing(published_structure):
    assert translate_all_structure() == []


def test_a_publication_is_translated_in_one_step_without_stray_drafts(
    editor_client, published_structure, locales
):
    _home, index = published_structure
    publication = PublicationPageFactory(parent=index, title="Audits de sécurité")
    pages_before = Page.objects.count()

    response = editor_client.post(
        reverse("simple_translation:submit_page_translation", args=[publication.pk]),
        {"locales": [locales["fr"].pk]},
    )

    assert response.status_code == 302
    french = publication.get_translation(locales["fr"])
    assert french.get_parent().specific == index.get_translation(locales["fr"])
    assert Page.objects.count() == pages_before + 1  # the publication alone, as a draft
    assert not french.live
    assert (
        not Page.objects.filter(live=False)
        .exclude(pk=french.pk)
        .exclude(pk=publication.pk)
        .exists()
    )


def test_an_accented_title_makes_an_ascii_slug(publication_index):
    page = PublicationPage(title="Audits de sécurité: œuvres", date=None)
    publication_index.add_child(instance=page)

    assert page.slug == "audits-de-securite-uvres"


def test_the_translated_form_names_the_fields_still_to_translate(
    superuser_client, published_structure, locales
):
    _home, index = published_structure
    publication = PublicationPageFactory(parent=index, title="Night safety", subtitle="A guide")
    french = publication.copy_for_translation(locales["fr"])

    body = superuser_client.get(f"/admin/pages/{french.pk}/edit/").content.decode()

    assert "data-translation-notice" in body
    assert "Still as in English, to translate: <strong>Title, Subtitle</strong>" in body


def test_the_notice_leaves_translated_fields_out(superuser_client, published_structure, locales):
    _home, index = published_structure
    publication = PublicationPageFactory(parent=index, title="Night safety", subtitle="A guide")
    french = publication.copy_for_translation(locales["fr"])
    french.title = "Sécurité la nuit"
    french.save_revision()

    body = superuser_client.get(f"/admin/pages/{french.pk}/edit/").content.decode()

    assert "to translate: <strong>Subtitle</strong>" in body


def test_the_source_pages_form_has_no_notice(superuser_client, publication_index):
    publication = PublicationPageFactory(parent=publication_index)

    body = superuser_client.get(f"/admin/pages/{publication.pk}/edit/").content.decode()

    assert "data-translation-notice" not in body
    assert PublicationIndexPage.objects.count() == 1
