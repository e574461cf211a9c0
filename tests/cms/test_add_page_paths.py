"""Where editors add pages: never a home page at the tree's root; a publication into one of
the catalogues, chosen from a list."""

from __future__ import annotations

from wagtail.models import Page, Site

from cms.factories import HomePageFactory, wagtail_root
from publications.factories import PublicationIndexPageFactory

CHOOSE = "/admin/publication_listing/choose_parent/"


def test_the_root_offers_editors_no_new_home_page(editor_client, home_page):
    root = wagtail_root()

    listing = editor_client.get(f"/admin/pages/{root.pk}/").content.decode()
    choices = editor_client.get(f"/admin/pages/{root.pk}/add_subpage/").content.decode()
    form = editor_client.get(f"/admin/pages/add/cms/homepage/{root.pk}/")

    assert f"/admin/pages/{root.pk}/add_subpage/" not in listing
    assert "/admin/pages/add/cms/homepage/" not in listing + choices
    assert form.status_code in (302, 403)
    assert Page.objects.filter(depth=2).count() == 1


def test_add_publication_offers_the_catalogues_of_every_site(editor_client, publication_index):
    conference = HomePageFactory(parent=wagtail_root(), title="Conference", slug="conference")
    Site.objects.create(hostname="conference.localhost", root_page=conference, site_name="SDC")
    reports = PublicationIndexPageFactory(parent=conference, title="Conference reports")

    body = editor_client.get(CHOOSE).content.decode()

    assert 'type="radio"' in body
    assert f'value="{publication_index.pk}"' in body and f'value="{reports.pk}"' in body
    assert "Conference reports (SDC)" in body
    chosen = editor_client.post(CHOOSE, {"parent_page": reports.pk})
    assert chosen.url == f"/admin/pages/add/publications/publicationpage/{reports.pk}/"


def test_with_one_catalogue_add_publication_opens_the_form(editor_client, publication_index):
    response = editor_client.get(CHOOSE)

    assert response.url == f"/admin/pages/add/publications/publicationpage/{publication_index.pk}/"
