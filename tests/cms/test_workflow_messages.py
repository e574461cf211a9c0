"""A moderator acting from the dashboard is told what happened."""

from __future__ import annotations

from django.urls import reverse

from publications.factories import PublicationPageFactory

from .test_permissions import edit_page


def _act(client, page, action: str, task_state):
    return client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk]),
        {"comment": "Looks good" if action == "approve" else "Add the French PDF"},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",  # as the dashboard's modal sends it
        QUERY_STRING="next=/admin/",
    )


def _submitted(editor_client, publication_index):
    page = PublicationPageFactory(parent=publication_index, title="Night safety", live=False)
    page.save_revision()
    edit_page(editor_client, page, "action-submit")
    return page, page.current_workflow_task_state


def test_approving_from_the_dashboard_confirms_the_page_is_live(
    editor_client, moderator_client, publication_index
):
    page, task_state = _submitted(editor_client, publication_index)

    response = _act(moderator_client, page, "approve", task_state)
    dashboard = moderator_client.get("/admin/").content.decode()

    assert response.json()["step"] == "success"
    assert "&#x27;Night safety&#x27; approved: it is now live." in dashboard


def test_requesting_changes_says_it_went_back_to_the_editor(
    editor_client, moderator_client, publication_index
):
    page, task_state = _submitted(editor_client, publication_index)

    _act(moderator_client, page, "reject", task_state)
    dashboard = moderator_client.get("/admin/").content.decode()

    assert "Changes requested on &#x27;Night safety&#x27;: it is back with its editor." in dashboard
