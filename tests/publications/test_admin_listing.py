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
