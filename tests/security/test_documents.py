"""Documents: only allowed extensions are uploaded, and nothing but PDF is shown inline."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from wagtail.documents import get_document_model
from wagtail.models import Collection

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<html><body><script>alert(1)</script></body></html>"


@pytest.fixture
def admin_client_(django_user_model) -> Client:
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("admin", "a@example.org", "x"))
    return client


@pytest.mark.parametrize(
    ("name", "content"),
    [("page.html", HTML), ("tool.exe", b"MZ\x90\x00"), ("image.svg", SVG)],
)
def test_the_admin_refuses_a_disallowed_extension(
    admin_client_: Client, name: str, content: bytes
) -> None:
    Document = get_document_model()

    response = admin_client_.post(
        "/admin/documents/add/",
        {
            "title": name,
            "file": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
        },
    )

    assert response.status_code == 200  # the form again, with its error
    assert "file" in response.context["form"].errors
    assert not Document.objects.exists()


def test_the_admin_accepts_an_allowed_extension(admin_client_: Client) -> None:
    response = admin_client_.post(
        "/admin/documents/add/",
        {
            "title": "Report",
            "file": SimpleUploadedFile("report.pdf", b"%PDF-1.4\n%%EOF\n"),
            "collection": Collection.get_first_root_node().pk,
        },
    )

    assert response.status_code == 302
    assert get_document_model().objects.filter(title="Report").exists()


@pytest.mark.parametrize(
    ("name", "content"), [("drawing.svg", SVG), ("page.html", HTML), ("notes.txt", b"x")]
)
def test_a_stored_active_document_is_served_as_an_attachment(name: str, content: bytes) -> None:
    # Stored past the form (an old upload, a file put in storage by hand).
    document = get_document_model().objects.create(title=name, file=ContentFile(content, name=name))

    response = Client().get(document.url)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    # Wagtail's second fence: even if shown, the document could run nothing.
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_a_pdf_is_shown_inline() -> None:
    document = get_document_model().objects.create(
        title="Report", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="report.pdf")
    )

    response = Client().get(document.url)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")


@override_settings(WAGTAILDOCS_MAX_UPLOAD_SIZE=1024)
def test_the_admin_refuses_a_document_over_the_size_cap(admin_client_: Client) -> None:
    response = admin_client_.post(
        "/admin/documents/add/",
        {
            "title": "Big",
            "file": SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 2048),
            "collection": Collection.get_first_root_node().pk,
        },
    )

    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not get_document_model().objects.exists()


def test_upload_caps_are_set(settings) -> None:
    assert settings.WAGTAILDOCS_MAX_UPLOAD_SIZE > 0
    assert settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE > 0
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS > 0
    assert settings.WAGTAILDOCS_INLINE_CONTENT_TYPES == ["application/pdf"]
