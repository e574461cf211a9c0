"""Rich text leaves the API without script, whatever the database holds."""

import json

import pytest
from django.test import Client

from cms.sanitize import sanitize_rich_text
from publications.factories import PublicationPageFactory
from publications.models import PublicationIndexPage, PublicationPage

PAYLOAD = (
    "<p>x<script>alert(1)</script><img src=x onerror=alert(1)>"
    '<a href="javascript:alert(1)">y</a></p>'
)
FORBIDDEN = ("<script", "alert(1)", "onerror", "javascript:")


def ask(query: str, variables: dict) -> dict:
    response = Client().post(
        "/graphql/",
        json.dumps({"query": query, "variables": variables}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    answer = response.json()
    assert "errors" not in answer, answer
    return answer["data"]


def assert_clean(html: str) -> None:
    for forbidden in FORBIDDEN:
        assert forbidden not in html, html


@pytest.fixture
def tampered(publication_index: PublicationIndexPage) -> PublicationPage:
    """A live publication whose summary and paragraph were written straight to the database,
    past the editor and its form validation (an import, a hand-edited row)."""
    page = PublicationPageFactory(parent=publication_index)
    PublicationPage.objects.filter(pk=page.pk).update(summary=PAYLOAD)
    page = PublicationPage.objects.get(pk=page.pk)
    page.body = [{"type": "paragraph", "value": PAYLOAD}]
    # Bypass the block's own cleaning: save the raw stream as stored JSON.
    PublicationPage.objects.filter(pk=page.pk).update(body=page.body)
    return page


def test_summary_is_sanitized(tampered: PublicationPage) -> None:
    data = ask("query ($id: ID!) { publication(id: $id) { summary } }", {"id": tampered.pk})

    summary = data["publication"]["summary"]
    assert_clean(summary)
    assert "<p>x" in summary
    assert "<a>y</a>" in summary


def test_streamfield_paragraph_is_sanitized(tampered: PublicationPage) -> None:
    data = ask(
        "query ($id: ID!) { publication(id: $id) { body { ... on RichTextBlock { value } } } }",
        {"id": tampered.pk},
    )

    values = [block["value"] for block in data["publication"]["body"] if block]
    assert values
    for value in values:
        assert_clean(value)
        assert "<p>x" in value


def test_wagtail_stored_links_and_image_embeds_survive() -> None:
    source = (
        '<p><a linktype="page" id="3">page</a> <a href="https://example.org/?a=1&amp;b=2">'
        'web</a> <a href="mailto:x@example.org">mail</a></p>'
        '<embed embedtype="image" id="7" format="left" alt="A photo"/>'
    )

    assert sanitize_rich_text(source) == source


def test_media_embeds_and_unknown_tags_are_dropped() -> None:
    cleaned = sanitize_rich_text(
        '<embed embedtype="media" url="https://evil.example/"/>'
        '<iframe src="https://evil.example/"></iframe><style>p{}</style>'
        '<h3 onclick="alert(1)" style="x">t</h3><img src="data:text/html,x">'
    )

    assert "evil" not in cleaned
    assert 'embedtype="media"' not in cleaned
    assert "<iframe" not in cleaned and "<style" not in cleaned
    assert cleaned.startswith("<embed/><h3>t</h3>")
    assert "data:" not in cleaned
