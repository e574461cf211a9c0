"""Model rules: partial dates, project and taxonomy checks, blocks, front-end URLs."""

import datetime
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail import blocks
from wagtail.documents import get_document_model
from wagtail.models import Page, PageViewRestriction

from cms.api.preview import page_from_preview_token
from cms.blocks import CallToActionBlock
from cms.factories import HomePageFactory, ProjectFactory, TopicFactory
from cms.models import DatePrecision, Project, Topic, mime_type, parse_partial_date
from positions.factories import PositionPaperPageFactory, PressReleasePageFactory
from publications.factories import PublicationPageFactory
from publications.models import PublicationPage
from tests.api.test_preview import frontend_preview_url, origin

# --- Partial dates ---------------------------------------------------------------------------


def test_parse_partial_date_reads_a_year() -> None:
    assert parse_partial_date("2017") == (datetime.date(2017, 1, 1), DatePrecision.YEAR)


def test_parse_partial_date_reads_an_int_year() -> None:
    assert parse_partial_date(2017) == (datetime.date(2017, 1, 1), DatePrecision.YEAR)


def test_parse_partial_date_reads_a_month() -> None:
    assert parse_partial_date("2025-04") == (datetime.date(2025, 4, 1), DatePrecision.MONTH)


def test_parse_partial_date_reads_a_day() -> None:
    assert parse_partial_date("2024-12-05") == (datetime.date(2024, 12, 5), DatePrecision.DAY)


@pytest.mark.parametrize("value", ["", "   ", None])
def test_parse_partial_date_reads_nothing_as_no_date(value: str | None) -> None:
    assert parse_partial_date(value) == (None, DatePrecision.DAY)


@pytest.mark.parametrize(
    "value", ["twenty", "2025-13", "2024-02-30", "2024-12-05-01", "2024/12/05", "2025-04-"]
)
def test_parse_partial_date_refuses_what_is_not_a_date(value: str) -> None:
    with pytest.raises(ValueError):
        parse_partial_date(value)


# A Wagtail page reads its content type when it is made, even unsaved: these tests need the
# database, not only a content-type cache an earlier test happened to fill.
@pytest.mark.parametrize(
    ("precision", "expected"),
    [
        (DatePrecision.YEAR, "2017"),
        (DatePrecision.MONTH, "2017-01"),
        (DatePrecision.DAY, "2017-01-01"),
    ],
)
def test_display_date_shows_only_the_known_precision(db, precision: str, expected: str) -> None:
    page = PublicationPage(date=datetime.date(2017, 1, 1), date_precision=precision)
    assert page.display_date == expected


def test_display_date_is_empty_without_a_date(db) -> None:
    assert PublicationPage(date=None, date_precision=DatePrecision.YEAR).display_date == ""


def test_year_precision_refuses_a_date_that_is_not_first_january(db) -> None:
    page = PublicationPage(
        title="Guide", date=datetime.date(2017, 3, 5), date_precision=DatePrecision.YEAR
    )

    with pytest.raises(ValidationError) as excinfo:
        page.clean()

    assert "date" in excinfo.value.message_dict


def test_month_precision_refuses_a_date_that_is_not_the_first(db) -> None:
    page = PublicationPage(
        title="Guide", date=datetime.date(2025, 4, 2), date_precision=DatePrecision.MONTH
    )
    with pytest.raises(ValidationError) as excinfo:
        page.clean()
    assert "date" in excinfo.value.message_dict


def test_year_precision_accepts_first_january(publication_index) -> None:
    page = PublicationPageFactory(
        parent=publication_index, date=datetime.date(2017, 1, 1), date_precision=DatePrecision.YEAR
    )
    assert page.display_date == "2017"


def test_saving_a_page_runs_the_date_rule(publication_index) -> None:
    # Page.save() calls full_clean(), so an importer cannot store an invented day either.
    with pytest.raises(ValidationError):
        PublicationPageFactory(
            parent=publication_index,
            date=datetime.date(2017, 3, 5),
            date_precision=DatePrecision.YEAR,
        )


def test_day_precision_accepts_any_day(db) -> None:
    page = PublicationPage(
        title="Guide", date=datetime.date(2017, 3, 5), date_precision=DatePrecision.DAY
    )
    page.clean()
    assert page.display_date == "2017-03-05"


# --- Projects --------------------------------------------------------------------------------


def test_project_needs_a_name_or_an_acronym() -> None:
    with pytest.raises(ValidationError) as excinfo:
        Project(acronym="", name="").clean()
    assert "name" in excinfo.value.message_dict


def test_project_with_only_an_acronym_is_valid() -> None:
    Project(acronym="CITIES", name="").clean()


def test_project_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValidationError) as excinfo:
        Project(acronym="CITIES", start_year=2022, end_year=2020).clean()
    assert "end_year" in excinfo.value.message_dict


def test_project_may_end_the_year_it_starts() -> None:
    Project(acronym="CITIES", start_year=2022, end_year=2022).clean()


@pytest.mark.django_db
def test_project_years_outside_the_plausible_range_fail_full_clean() -> None:
    with pytest.raises(ValidationError) as excinfo:
        ProjectFactory.build(start_year=1900, end_year=2020).full_clean()
    assert "start_year" in excinfo.value.message_dict


# --- Taxonomy slugs --------------------------------------------------------------------------


@pytest.mark.django_db
def test_taxonomy_slug_is_filled_from_the_name() -> None:
    topic = TopicFactory(name="Drugs & Public Spaces")
    assert topic.slug == "drugs-public-spaces"


@pytest.mark.django_db
def test_project_slug_is_filled_from_the_acronym() -> None:
    assert ProjectFactory(acronym="SafeCities", name="Safe cities").slug == "safecities"


@pytest.mark.django_db
def test_a_given_slug_is_kept() -> None:
    assert TopicFactory(name="Drugs", slug="addictions").slug == "addictions"


def test_same_slug_is_allowed_in_two_locales(locales) -> None:
    english = TopicFactory(name="Prevention", locale=locales["en"])
    french = TopicFactory(name="Prévention", slug="prevention", locale=locales["fr"])
    assert english.slug == french.slug == "prevention"


def test_duplicate_slug_in_one_locale_is_refused(locales) -> None:
    TopicFactory(name="Prevention", locale=locales["en"])
    # The savepoint keeps the test's transaction usable on PostgreSQL after the error.
    with pytest.raises(IntegrityError), transaction.atomic():
        TopicFactory(name="Prevention", locale=locales["en"])
    assert Topic.objects.filter(slug="prevention", locale=locales["en"]).count() == 1


def test_admin_refuses_a_typed_duplicate_slug_with_a_form_error(editor_client, locales) -> None:
    TopicFactory(name="Prevention", locale=locales["en"])

    response = editor_client.post(
        reverse(Topic.snippet_viewset.get_url_name("add")),
        {"name": "Crime prevention", "slug": "prevention", "description": ""},
    )

    assert response.status_code == 200
    assert "slug" in str(response.context["form"].errors).lower()
    assert Topic.objects.filter(locale=locales["en"]).count() == 1


def test_admin_refuses_a_derived_duplicate_slug_with_a_form_error(editor_client, locales) -> None:
    TopicFactory(name="Prevention", locale=locales["en"])

    response = editor_client.post(
        reverse(Topic.snippet_viewset.get_url_name("add")),
        {"name": "Prevention", "slug": "", "description": ""},
    )

    assert response.status_code == 200
    assert "slug" in str(response.context["form"].errors).lower()
    assert Topic.objects.filter(locale=locales["en"]).count() == 1


# --- Visibility ------------------------------------------------------------------------------


def test_visible_keeps_only_the_live_public_pages_not_past_their_expiry(publication_index) -> None:
    PublicationPageFactory(parent=publication_index, live=False)  # a draft
    expired = PublicationPageFactory(parent=publication_index)
    Page.objects.filter(pk=expired.pk).update(expire_at=timezone.now() - timedelta(hours=1))
    restricted = PublicationPageFactory(parent=publication_index)
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    shown = PublicationPageFactory(parent=publication_index)

    assert list(PublicationPage.objects.visible(None)) == [shown]
    # Wagtail's own `.live().public()` agrees, but for the expiry it leaves to the cron job.
    assert set(PublicationPage.objects.live().public()) == {expired, shown}


def test_visible_reads_the_view_restrictions_once_per_request(
    publication_index, rf, django_assert_num_queries
) -> None:
    restricted = PublicationPageFactory(parent=publication_index)
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    shown = PublicationPageFactory(parent=publication_index)
    request = rf.get("/graphql/")
    assert list(PublicationPage.objects.visible(request)) == [shown]

    with django_assert_num_queries(1):  # the pages, not the restrictions again
        assert list(PublicationPage.objects.visible(request)) == [shown]


# --- Blocks ----------------------------------------------------------------------------------


def test_call_to_action_needs_a_page_or_a_url() -> None:
    block = CallToActionBlock()
    with pytest.raises(blocks.StructBlockValidationError) as excinfo:
        block.clean(block.to_python({"text": "Read it", "page": None, "url": ""}))
    assert "page" in excinfo.value.block_errors


def test_call_to_action_with_a_url_is_valid() -> None:
    block = CallToActionBlock()
    value = block.clean(block.to_python({"text": "Read it", "url": "https://efus.eu/"}))
    assert value["url"] == "https://efus.eu/"


def test_call_to_action_with_a_page_is_valid(home_page) -> None:
    block = CallToActionBlock()
    value = block.clean(block.to_python({"text": "Read it", "page": home_page.pk, "url": ""}))
    assert value["page"].pk == home_page.pk


# --- Front-end URLs --------------------------------------------------------------------------


@override_settings(FRONTEND_URLS={"localhost": "https://front.example"})
def test_page_url_points_at_the_sites_front_end(publication_index) -> None:
    page = PublicationPageFactory(parent=publication_index, slug="urban-security-guide")
    assert page.full_url == "https://front.example/publications/urban-security-guide/"


@override_settings(FRONTEND_URLS={"localhost": "https://front.example"})
def test_get_url_parts_swaps_only_the_root_url(publication_index) -> None:
    page = PublicationPageFactory(parent=publication_index, slug="guide")
    _site_id, root_url, page_path = page.get_url_parts()
    assert (root_url, page_path) == ("https://front.example", "/publications/guide/")


@override_settings(FRONTEND_URLS={"conference.example.org": "https://conference.example"})
def test_page_url_falls_back_to_the_wagtail_site_without_a_front_end(publication_index) -> None:
    page = PublicationPageFactory(parent=publication_index, slug="guide")
    assert page.full_url == "http://localhost/publications/guide/"


@override_settings(FRONTEND_URLS={"localhost": "https://front.example"})
def test_page_outside_any_site_has_no_url(db) -> None:
    # A home page created beside the site's root belongs to no site.
    assert HomePageFactory().full_url is None


# --- Preview ---------------------------------------------------------------------------------


# Each page type, and the fixture of the page it is built under (None: the fixture itself).
PAGE_TYPES = {
    "HomePage": ("home_page", None),
    "PublicationIndexPage": ("publication_index", None),
    "PublicationPage": ("publication_index", PublicationPageFactory),
    "PositionIndexPage": ("position_index", None),
    "PositionPaperPage": ("position_index", PositionPaperPageFactory),
    "PressReleaseIndexPage": ("press_release_index", None),
    "PressReleasePage": ("press_release_index", PressReleasePageFactory),
}


@pytest.mark.parametrize("page_type", list(PAGE_TYPES))
def test_editors_can_preview_every_page_type(
    request, editor_client, frontends_up, page_type: str
) -> None:
    """Headless: the admin frames the page's front end, which fetches the draft by the token."""
    fixture, factory = PAGE_TYPES[page_type]
    page = request.getfixturevalue(fixture)
    if factory is not None:
        page = factory(parent=page)

    response = editor_client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))

    assert response.status_code == 200
    url = frontend_preview_url(response)
    assert origin(url) == origin(page.full_url)
    query = parse_qs(urlsplit(url).query)
    assert query["content_type"] == [page._meta.label_lower]
    draft = page_from_preview_token(type(page), query["token"][0])
    assert draft is not None
    assert draft.pk == page.pk


@pytest.mark.parametrize(
    "filename",
    [
        *(f"report.{extension}" for extension in settings.WAGTAILDOCS_EXTENSIONS),
        "REPORT.PDF",
        "report.v1.2.docx",
        "report.pdf.gz",
        "report.unknown",
        "report",
    ],
)
def test_a_downloads_mime_type_is_the_one_wagtail_serves_the_file_with(filename: str) -> None:
    document = get_document_model()(title="x", file=f"documents/{filename}", collection_id=1)

    assert mime_type(filename) == document.content_type
