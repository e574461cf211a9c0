"""Autosave is off (cms/settings/editors.py): the page forms save only when the editor does."""

from __future__ import annotations

from publications.factories import PublicationPageFactory


def test_the_add_publication_form_does_not_autosave(editor_client, publication_index):
    body = editor_client.get(
        f"/admin/pages/add/publications/publicationpage/{publication_index.pk}/"
    ).content.decode()

    assert "data-w-autosave-interval-value" not in body
    assert "data-w-unsaved" in body or "w-unsaved" in body  # leaving unsaved changes warns


def test_the_edit_form_does_not_autosave(editor_client, publication_index):
    page = PublicationPageFactory(parent=publication_index)

    body = editor_client.get(f"/admin/pages/{page.pk}/edit/").content.decode()

    assert "data-w-autosave-interval-value" not in body
