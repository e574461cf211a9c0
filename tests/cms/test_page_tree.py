"""Where each page type may live in the tree, by the model rules and through the admin."""

from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import Page

from cms.factories import HomePageFactory
from cms.models import HomePage
from positions.models import (
    PositionIndexPage,
    PositionPaperPage,
    PressReleaseIndexPage,
    PressReleasePage,
)
from publications.factories import PublicationPageFactory
from publications.models import PublicationIndexPage, PublicationPage


def add_url(model: type[Page], parent: Page) -> str:
    return reverse(
        "wagtailadmin_pages:add",
        args=(model._meta.app_label, model._meta.model_name, parent.pk),
    )


def test_publication_can_be_created_in_the_catalogue(publication_index) -> None:
    assert PublicationPage.can_create_at(publication_index)


def test_publication_cannot_be_created_on_the_home_page(home_page) -> None:
    assert not PublicationPage.can_create_at(home_page)


def test_publication_cannot_be_created_in_the_positions_index(position_index) -> None:
    assert not PublicationPage.can_create_at(position_index)


def test_catalogue_can_be_created_on_a_home_page(home_page) -> None:
    assert PublicationIndexPage.can_create_at(home_page)


def test_catalogue_cannot_be_created_at_the_root(home_page) -> None:
    assert not PublicationIndexPage.can_create_at(Page.get_first_root_node())


def test_only_one_catalogue_per_home_page(publication_index, home_page) -> None:
    assert not PublicationIndexPage.can_create_at(home_page)


def test_a_second_home_page_may_have_its_own_catalogue(publication_index) -> None:
    conference = HomePageFactory(title="Conference")
    assert PublicationIndexPage.can_create_at(conference)


def test_position_paper_only_in_the_positions_index(position_index, press_release_index) -> None:
    assert PositionPaperPage.can_create_at(position_index)
    assert not PositionPaperPage.can_create_at(press_release_index)
    assert not PositionPaperPage.can_create_at(position_index.get_parent().specific)


def test_only_one_positions_index_per_home_page(position_index, home_page) -> None:
    assert not PositionIndexPage.can_create_at(home_page)


def test_press_release_only_in_the_press_releases_index(
    press_release_index, position_index, publication_index
) -> None:
    assert PressReleasePage.can_create_at(press_release_index)
    assert not PressReleasePage.can_create_at(position_index)
    assert not PressReleasePage.can_create_at(publication_index)


def test_only_one_press_releases_index_per_home_page(press_release_index, home_page) -> None:
    assert not PressReleaseIndexPage.can_create_at(home_page)


def test_home_page_only_at_the_root(home_page, publication_index) -> None:
    assert HomePage.allowed_parent_page_models() == [Page]
    # Set up with its site by the set-up commands, never offered in the admin.
    assert not HomePage.can_create_at(Page.get_first_root_node())
    assert not HomePage.can_create_at(home_page)
    assert not HomePage.can_create_at(publication_index)


def test_publication_has_no_children(publication_index) -> None:
    publication = PublicationPageFactory(parent=publication_index)
    assert not PublicationIndexPage.can_create_at(publication)
    assert publication.specific_class.allowed_subpage_models() == []


def test_admin_opens_the_add_view_for_a_publication_in_the_catalogue(
    superuser_client, publication_index
) -> None:
    response = superuser_client.get(add_url(PublicationPage, publication_index))
    assert response.status_code == 200


def test_admin_refuses_the_add_view_for_a_publication_on_the_home_page(
    superuser_client, home_page
) -> None:
    response = superuser_client.get(add_url(PublicationPage, home_page))

    # Wagtail's admin turns PermissionDenied into a redirect to the dashboard with a message.
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("do not have permission" in message for message in messages)


def test_admin_refuses_a_second_catalogue_on_the_home_page(
    superuser_client, publication_index, home_page
) -> None:
    response = superuser_client.get(add_url(PublicationIndexPage, home_page))
    assert response.status_code == 302
    assert PublicationIndexPage.objects.child_of(home_page).count() == 1
