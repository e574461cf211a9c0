"""Files uploaded from the admin go to the catalogue's collection unless the editor picks
another."""

from __future__ import annotations

import re

import pytest
from wagtail.models import Collection


@pytest.fixture
def catalogue_collection(db) -> Collection:
    root = Collection.get_first_root_node()
    root.add_child(instance=Collection(name="Archive"))
    return root.add_child(instance=Collection(name="Catalogue"))


def _selected_collection(body: str) -> str:
    select = re.search(r'<select name="[\w-]*collection".*?</select>', body, re.S).group(0)
    return re.search(r'<option value="\d+" selected>\s*([^<]+?)\s*</option>', select).group(1)


@pytest.mark.parametrize("url", ["/admin/images/add/", "/admin/documents/add/"])
def test_a_new_upload_starts_in_the_catalogue_collection(editor_client, catalogue_collection, url):
    body = editor_client.get(url).content.decode()

    assert _selected_collection(body) == "Catalogue"


def test_the_cover_chooser_upload_starts_in_the_catalogue_collection(
    editor_client, catalogue_collection
):
    body = editor_client.get("/admin/images/chooser/").json()["html"]

    assert _selected_collection(body) == "Catalogue"


def _multiple_selected_collection(body: str) -> str:
    select = re.search(
        r'<select id="id_add\w+_collection" name="collection">.*?</select>', body, re.S
    )
    # Child collections are indented with "&nbsp;" and an arrow before their names.
    option = r'<option value="\d+"\s*selected\s*>(?:\s|&nbsp;|&#x21b3)*([^<]+?)\s*</option>'
    return re.search(option, select.group(0)).group(1)


@pytest.mark.parametrize("url", ["/admin/images/multiple/add/", "/admin/documents/multiple/add/"])
def test_the_multiple_upload_page_starts_in_the_catalogue_collection(
    editor_client, catalogue_collection, url
):
    body = editor_client.get(url).content.decode()

    assert _multiple_selected_collection(body) == "Catalogue"


def test_the_multiple_upload_page_keeps_a_collection_asked_for(editor_client, catalogue_collection):
    archive = Collection.objects.get(name="Archive")

    body = editor_client.get(
        f"/admin/images/multiple/add/?collection_id={archive.pk}"
    ).content.decode()

    assert _multiple_selected_collection(body) == "Archive"
