"""The demo set-up that `make run` performs: complete the first time, a no-op the second."""

import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings
from wagtail.models import Locale, Page, Revision, Site

from catalogue.demo import FIXTURES
from catalogue.records import read_catalogue
from cms.models import HomePage, Member, Project, Topic
from positions.models import PositionPaperPage, PressReleasePage
from publications.models import PublicationPage


def demo_load() -> str:
    out = StringIO()
    call_command("demo_load", stdout=out)
    return out.getvalue()


def test_demo_catalogue_files_pass_the_importers_checks():
    network = read_catalogue(FIXTURES / "network.json")
    conference = read_catalogue(FIXTURES / "conference.json")

    assert (len(network.publications), len(conference.publications)) == (45, 17)
    assert (len(network.positions), len(network.press_releases)) == (29, 16)
    assert (len(network.topics), len(network.projects), len(network.members)) == (28, 46, 26)


def test_demo_catalogue_leaves_unknown_years_and_languages_empty():
    """Facts missing from the shared data stay missing: never an invented year or language."""
    source = json.loads((FIXTURES / "network.json").read_text(encoding="utf-8"))
    years = [record["year"] for record in source["publications"]]
    catalogue = read_catalogue(FIXTURES / "conference.json")

    assert None in years
    assert all(record.date is None for record in catalogue.publications)
    assert all(record.files == [] for record in catalogue.publications)


@pytest.mark.django_db
@override_settings(DEBUG=True)  # pytest-django runs with DEBUG off; the demo is for development
def test_demo_load_builds_two_sites_and_the_catalogue_then_changes_nothing():
    first = demo_load()

    assert "Admin user created for development: admin / " in first
    network = Site.objects.get(is_default_site=True)
    conference = Site.objects.get(hostname="conference.localhost")
    assert isinstance(network.root_page.specific, HomePage)
    assert conference.root_page.title == "Security, Democracy & Cities"
    assert sorted(Locale.objects.values_list("language_code", flat=True)) == sorted(
        ["de", "en", "es", "fr", "it", "pt"]
    )
    assert PublicationPage.objects.live().descendant_of(network.root_page).count() == 45
    assert PublicationPage.objects.live().descendant_of(conference.root_page).count() == 17
    assert PositionPaperPage.objects.live().count() == 29
    assert PressReleasePage.objects.live().count() == 16
    assert (Topic.objects.count(), Project.objects.count(), Member.objects.count()) == (28, 46, 26)
    with_files = PublicationPage.objects.filter(downloads__isnull=False).distinct()
    assert with_files.count() == 34  # the publications whose languages the catalogue gives
    counts = (Page.objects.count(), Revision.objects.count(), get_user_model().objects.count())

    second = demo_load()

    assert "Admin user exists" in second and "Admin user created" not in second
    assert "Demo ready: 0 records created" in second
    assert (
        Page.objects.count(),
        Revision.objects.count(),
        get_user_model().objects.count(),
    ) == counts


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_demo_load_refuses_to_run_outside_development():
    with pytest.raises(CommandError, match="for development"):
        call_command("demo_load", stdout=StringIO())
    assert not get_user_model().objects.exists()
