"""What the "Editors" and "Moderators" groups may do, checked through the admin itself."""

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import models
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from wagtail.models import WorkflowState

from cms.factories import MemberFactory, ProjectFactory, TopicFactory
from cms.models import Member, Project, Topic
from publications.factories import PublicationPageFactory
from publications.models import PublicationPage

from .admin_forms import publication_edit_data

# For each taxonomy: its factory and the data of a valid admin form.
SNIPPETS: dict[type[models.Model], tuple[Any, dict[str, str]]] = {
    Topic: (TopicFactory, {"name": "Night-time economy", "slug": "", "description": ""}),
    Project: (
        ProjectFactory,
        {
            "acronym": "NIGHT",
            "name": "Night-time economy",
            "slug": "",
            "start_year": "2024",
            "end_year": "2026",
            "url": "",
        },
    ),
    Member: (
        MemberFactory,
        {"name": "Lisbon", "slug": "", "kind": "city", "country": "PT"},
    ),
}
snippet_models = pytest.mark.parametrize("model", list(SNIPPETS), ids=lambda m: m.__name__)


def snippet_url(model: type[models.Model], action: str, *args: Any) -> str:
    return reverse(model.snippet_viewset.get_url_name(action), args=args)


def was_refused(response: HttpResponse) -> bool:
    """Wagtail's admin answers a PermissionDenied with a redirect to the dashboard."""
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


@pytest.fixture
def draft_publication(publication_index) -> PublicationPage:
    """A publication that was never published (an editor's new draft)."""
    page = PublicationPageFactory(parent=publication_index, live=False)
    page.save_revision()
    return page


def edit_page(client: Client, page: PublicationPage, action: str, **changes: Any) -> HttpResponse:
    """POST the page's edit form with one of its buttons ("action-publish", ...)."""
    return client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        publication_edit_data(page, **{action: "1", **changes}),
    )


# --- Groups ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["Editors", "Moderators"])
def test_group_exists_after_migrations(name: str) -> None:
    assert Group.objects.filter(name=name).exists()


# --- Admin access ----------------------------------------------------------------------------


def test_editor_can_open_the_admin(editor_client) -> None:
    response = editor_client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200


def test_user_without_a_group_cannot_open_the_admin(django_user_model) -> None:
    client = Client()
    client.force_login(django_user_model.objects.create_user("nobody", password="password"))
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_editor_can_log_in_with_a_password(editor) -> None:
    client = Client()
    response = client.post(
        reverse("wagtailadmin_login"), {"username": "editor", "password": "password"}
    )
    assert response.status_code == 302
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_editor_can_open_the_edit_view_of_a_publication(editor_client, draft_publication) -> None:
    response = editor_client.get(reverse("wagtailadmin_pages:edit", args=[draft_publication.pk]))
    assert response.status_code == 200


# --- Taxonomies ------------------------------------------------------------------------------


@snippet_models
def test_editor_can_create_a_taxonomy(editor_client, model) -> None:
    _factory, data = SNIPPETS[model]
    response = editor_client.post(snippet_url(model, "add"), data)
    assert response.status_code == 302
    assert model.objects.filter(name=data["name"]).exists()


@snippet_models
def test_editor_can_edit_a_taxonomy(editor_client, model) -> None:
    factory, data = SNIPPETS[model]
    instance = factory()
    response = editor_client.post(snippet_url(model, "edit", instance.pk), data)
    assert response.status_code == 302
    instance.refresh_from_db()
    assert instance.name == data["name"]


@snippet_models
def test_editor_cannot_delete_a_taxonomy(editor_client, editor, model) -> None:
    factory, _data = SNIPPETS[model]
    instance = factory()
    response = editor_client.post(snippet_url(model, "delete", instance.pk))
    assert was_refused(response)
    assert model.objects.filter(pk=instance.pk).exists()
    assert not editor.has_perm(f"cms.delete_{model._meta.model_name}")


@snippet_models
def test_moderator_can_delete_a_taxonomy(moderator_client, model) -> None:
    factory, _data = SNIPPETS[model]
    instance = factory()
    response = moderator_client.post(snippet_url(model, "delete", instance.pk))
    assert response.status_code == 302
    assert not model.objects.filter(pk=instance.pk).exists()


# --- Publishing ------------------------------------------------------------------------------


def test_editor_has_no_publish_right(editor, draft_publication) -> None:
    perms = draft_publication.permissions_for_user(editor)
    assert perms.can_edit()
    assert not perms.can_publish()


def test_moderator_has_the_publish_right(moderator, draft_publication) -> None:
    assert draft_publication.permissions_for_user(moderator).can_publish()


def test_editor_publish_button_only_saves_a_draft(editor_client, draft_publication) -> None:
    response = edit_page(editor_client, draft_publication, "action-publish", title="Edited")

    assert response.status_code == 302
    draft_publication.refresh_from_db()
    assert draft_publication.get_latest_revision_as_object().title == "Edited"
    assert not draft_publication.live
    assert draft_publication.live_revision is None


def test_editor_submitting_starts_the_moderation_workflow(
    editor_client, editor, draft_publication
) -> None:
    response = edit_page(editor_client, draft_publication, "action-submit")

    assert response.status_code == 302
    state = WorkflowState.objects.for_instance(draft_publication).get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Moderators approval"
    assert state.requested_by == editor
    draft_publication.refresh_from_db()
    assert not draft_publication.live


def test_moderator_publishing_makes_the_page_live(moderator_client, draft_publication) -> None:
    response = edit_page(moderator_client, draft_publication, "action-publish", title="Edited")

    assert response.status_code == 302
    draft_publication.refresh_from_db()
    assert draft_publication.live
    assert draft_publication.title == "Edited"
    assert draft_publication.live_revision == draft_publication.latest_revision


def test_moderator_approving_a_submission_publishes_it(
    editor_client, moderator_client, moderator, draft_publication
) -> None:
    edit_page(editor_client, draft_publication, "action-submit")
    task_state = draft_publication.current_workflow_task_state

    response = moderator_client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[draft_publication.pk, "approve", task_state.pk],
        ),
        {"comment": ""},
    )

    assert response.status_code == 302
    draft_publication.refresh_from_db()
    assert draft_publication.live
    task_state.refresh_from_db()
    assert task_state.status == task_state.STATUS_APPROVED
    assert task_state.finished_by == moderator
