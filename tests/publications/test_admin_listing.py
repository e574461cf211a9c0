"""The admin's flat catalogue listing filters by type, year (unknown included) and topic."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from cms.factories import TopicFactory
from cms.models import DatePrecision
from publications.factories import PublicationPageFactory

LISTING = "/admin/publication_listing/"


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("boss", "boss@example.org", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def catalogue(publication_index):
    drugs = TopicFactory(name="drugs")
    PublicationPageFactory(
        parent=publication_index,
        title="Guide of 2017",
        publication_type="guide",
        date=datetime.date(2017, 1, 1),
        date_precision=DatePrecision.YEAR,
        topics=[drugs],
    )
    PublicationPageFactory(
        parent=publication_index,
        title="Report of 2017",
        publication_type="report",
        date=datetime.date(2017, 5, 1),
        date_precision=DatePrecision.MONTH,
    )
    PublicationPageFactory(
        parent=publication_index, title="Undated report", publication_type="report", date=None
    )
    return drugs


def listed_titles(response) -> set[str]:
    body = response.content.decode()
    return {t for t in ("Guide of 2017", "Report of 2017", "Undated report") if t in body}


def test_listing_shows_every_publication(admin_client, catalogue):
    response = admin_client.get(LISTING)
    assert response.status_code == 200
    assert listed_titles(response) == {"Guide of 2017", "Report of 2017", "Undated report"}


def test_listing_filters_by_type(admin_client, catalogue):
    response = admin_client.get(LISTING, {"publication_type": "report"})
    assert listed_titles(response) == {"Report of 2017", "Undated report"}


def test_listing_filters_by_year(admin_client, catalogue):
    response = admin_client.get(LISTING, {"year": "2017"})
    assert listed_titles(response) == {"Guide of 2017", "Report of 2017"}


def test_listing_filters_publications_of_unknown_year(admin_client, catalogue):
    response = admin_client.get(LISTING, {"year": "unknown"})
    assert listed_titles(response) == {"Undated report"}


def test_listing_filters_by_topic(admin_client, catalogue):
    response = admin_client.get(LISTING, {"topics": catalogue.pk})
    assert listed_titles(response) == {"Guide of 2017"}


def test_a_topics_translation_filters_the_pages_that_link_it(admin_client, catalogue, locales):
    french = catalogue.copy_for_translation(locales["fr"])
    french.name, french.slug = "drogues", "drogues"
    french.save()

    # The guide links the English topic: filtering by its French translation still finds it.
    response = admin_client.get(LISTING, {"topics": french.pk})

    assert listed_titles(response) == {"Guide of 2017"}


def test_listing_titles_link_to_the_edit_view_with_actions_and_bulk_selection(
    admin_client, catalogue
):
    from publications.models import PublicationPage

    guide = PublicationPage.objects.get(title="Guide of 2017")
    body = admin_client.get(LISTING).content.decode()

    assert f'href="/admin/pages/{guide.pk}/edit/"' in body
    assert f'data-object-id="{guide.pk}" data-bulk-action-checkbox' in body
    assert "w-dropdown" in body  # the page's "More options" menu


def test_listing_headings_are_readable(admin_client, catalogue):
    body = admin_client.get(LISTING).content.decode()

    for heading in ("Title", "Type", "Date", "Updated", "Status"):
        assert f">{heading}<" in body or f"{heading}\n" in body
    for raw in ("Status string", "Latest revision created at", "Display date"):
        assert raw not in body


def test_listing_sorts_by_the_records_date(admin_client, catalogue):
    oldest_first = admin_client.get(LISTING, {"ordering": "date"}).content.decode()
    newest_first = admin_client.get(LISTING, {"ordering": "-date"}).content.decode()

    assert oldest_first.index("Guide of 2017") < oldest_first.index("Report of 2017")
    assert newest_first.index("Report of 2017") < newest_first.index("Guide of 2017")


def test_listing_exports_the_filtered_list_as_csv(admin_client, catalogue):
    response = admin_client.get(LISTING, {"export": "csv", "publication_type": "report"})

    assert response["Content-Type"].startswith("text/csv")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("Title,Subtitle,Type,ISBN,Page count,Date,Language")
    assert sorted(line.split(",")[0] for line in lines[1:]) == ["Report of 2017", "Undated report"]
    assert "2017-05" in "\n".join(lines)


def test_listing_exports_xlsx(admin_client, catalogue):
    import io

    import openpyxl

    response = admin_client.get(LISTING, {"export": "xlsx"})

    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Title", "Subtitle", "Type")
    assert {row[0] for row in rows[1:]} == {"Guide of 2017", "Report of 2017", "Undated report"}
