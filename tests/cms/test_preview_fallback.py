"""Previews: the front end's frame when it answers, else the draft rendered by the CMS."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import rich_text

from cms.factories import MemberFactory, TopicFactory
from cms.models import SUMMARY_FEATURES
from positions.factories import (
    PositionDownloadFactory,
    PositionPaperPageFactory,
    PressReleasePageFactory,
)
from positions.models import PositionSignatory
from publications.factories import (
    PublicationAuthorFactory,
    PublicationDownloadFactory,
    PublicationIsbnFactory,
    PublicationPageFactory,
)

from ..frontends import running_frontends
from .admin_forms import publication_edit_data
from .test_permissions import edit_page


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def running_frontend() -> Iterator[str]:
    with running_frontends(1) as urls:
        yield urls[0] + "/preview"


def _point_previews_at(settings, url: str) -> None:
    settings.WAGTAIL_HEADLESS_PREVIEW = {
        "CLIENT_URLS": {"default": url},
        "ENFORCE_TRAILING_SLASH": True,
    }


@pytest.fixture
def frontend_down(settings) -> str:
    url = f"http://127.0.0.1:{_free_port()}/"  # nothing listens there
    _point_previews_at(settings, url)
    return url


def _preview(client, page, data) -> str:
    url = f"/admin/pages/{page.pk}/edit/preview/"
    assert client.post(url, data).json()["is_valid"]
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_preview_frames_the_front_end_when_it_answers(
    superuser_client, publication_index, settings, running_frontend
):
    _point_previews_at(settings, running_frontend)
    page = PublicationPageFactory(parent=publication_index)

    body = _preview(superuser_client, page, publication_edit_data(page))

    assert f'<iframe src="{running_frontend}/?content_type=publications.publicationpage' in body


def test_the_preview_renders_the_draft_when_the_front_end_does_not_answer(
    superuser_client, publication_index, frontend_down
):
    page = PublicationPageFactory(parent=publication_index, title="Saved title")
    draft = publication_edit_data(
        page,
        title="Unsaved title",
        summary=rich_text("<p>A draft summary.</p>", features=SUMMARY_FEATURES),
    )

    body = _preview(superuser_client, page, draft)

    assert "<iframe" not in body
    assert f"the front end at {frontend_down} does not answer" in body
    assert "<h1>Unsaved title</h1>" in body and "A draft summary." in body


def test_the_front_ends_answer_is_kept_briefly(
    superuser_client, publication_index, settings, running_frontend
):
    from cms.frontend_preview import frontend_answers

    assert frontend_answers(running_frontend)
    settings.PREVIEW_FRONTEND_TIMEOUT_SECONDS = 0  # any new probe would now fail
    assert frontend_answers(running_frontend)


def test_a_publication_preview_shows_every_part_of_it(publication_index, frontend_down):
    topic = TopicFactory(name="Night life")
    page = PublicationPageFactory(
        parent=publication_index, subtitle="A guide", page_count=48, topics=[topic]
    )
    PublicationAuthorFactory(page=page, name="Efus", affiliation="Paris")
    PublicationIsbnFactory(page=page)
    download = PublicationDownloadFactory(page=page, language="fr", label="full report")

    body = page.specific.make_preview_request().content.decode()

    for text in (
        "A guide",
        "Report",
        "2024-12-05",
        "48 pages",
        "By Efus (Paris)",
        "Night life",
        "978-2-913181-55-7",
        download.document.title,
        "French, full report",
    ):
        assert text in body


def test_position_paper_press_release_and_index_previews_render(
    home_page, position_index, press_release_index, frontend_down
):
    paper = PositionPaperPageFactory(parent=position_index, place="Nice", kind="manifesto")
    PositionSignatory.objects.create(page=paper, member=MemberFactory(name="City of Nice"))
    PositionDownloadFactory(page=paper, language="de")
    release = PressReleasePageFactory(
        parent=press_release_index, media_contact_name="Ana", media_contact_email="a@efus.eu"
    )

    assert "City of Nice" in paper.make_preview_request().content.decode()
    assert "Manifesto" in paper.make_preview_request().content.decode()
    assert "a@efus.eu" in release.make_preview_request().content.decode()
    index_body = position_index.make_preview_request().content.decode()
    assert paper.title in index_body
    assert position_index.title in home_page.make_preview_request().content.decode()


def test_the_moderators_preview_of_a_task_renders_the_submitted_draft(
    editor_client, moderator_client, publication_index, frontend_down
):
    page = PublicationPageFactory(parent=publication_index, title="Draft title", live=False)
    page.save_revision()
    edit_page(editor_client, page, "action-submit", title="Submitted title")
    task_state = page.current_workflow_task_state

    response = moderator_client.get(
        reverse("wagtailadmin_pages:workflow_preview", args=[page.pk, task_state.task_id])
    )

    body = response.content.decode()
    assert "<h1>Submitted title</h1>" in body and "does not answer" in body
