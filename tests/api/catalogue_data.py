"""A small catalogue like the demo's, for the API tests: every field a front end reads."""

import datetime
import json
from dataclasses import dataclass

import pytest
import wagtail_factories
from django.test import Client
from wagtail.models import Collection, Page

from cms.factories import MemberFactory, ProjectFactory, TopicFactory
from cms.models import DatePrecision
from positions.factories import (
    PositionDownloadFactory,
    PositionPaperPageFactory,
    PressReleasePageFactory,
)
from positions.models import PositionSignatory, PressReleaseRelatedPosition
from publications.factories import (
    PublicationAuthorFactory,
    PublicationDownloadFactory,
    PublicationIsbnFactory,
    PublicationPageFactory,
)
from publications.models import PublicationPage, RelatedPublication


@dataclass
class Catalogue:
    drug_guide: PublicationPage
    night_guide: PublicationPage
    undated: PublicationPage
    french_drug_guide: PublicationPage
    declaration: Page
    press_release: Page


def graphql(client: Client, query: str, variables: dict | None = None, **extra) -> dict:
    """POST a query to /graphql/ as a front end does, and return the decoded JSON."""
    response = client.post(
        "/graphql/",
        json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
        **extra,
    )
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def catalogue(publication_index, position_index, press_release_index, locales) -> Catalogue:
    root_collection = Collection.get_first_root_node()
    drugs = TopicFactory(name="drugs")
    spaces = TopicFactory(name="public spaces")
    project = ProjectFactory(acronym="PACTESUR", name="Protect Allied Cities")
    brussels = MemberFactory(name="Brussels", country="BE")
    cover = wagtail_factories.ImageFactory(collection=root_collection, title="Cover")

    drug_guide = PublicationPageFactory(
        parent=publication_index,
        title="Preventing drug harm",
        slug="preventing-drug-harm",
        subtitle="A guide for cities",
        publication_type="report",
        date=datetime.date(2021, 1, 1),
        date_precision=DatePrecision.YEAR,
        summary="<p>Demo summary.</p>",
        body=[
            ("heading", {"text": "Why", "level": "h2"}),
            ("quote", {"text": "Prevention first.", "attribution": "Demo"}),
        ],
        topics=[drugs],
        project=project,
        cover_image=cover,
        page_count=64,
    )
    for language in ("en", "fr"):
        PublicationDownloadFactory(
            page=drug_guide,
            language=language,
            label="full report",
            document__file__data=b"%PDF-1.4 demo",
            document__file__filename=f"drug-guide-{language}.pdf",
        )
    PublicationIsbnFactory(page=drug_guide, isbn="978-2-913181-55-7", note="EN")
    PublicationAuthorFactory(page=drug_guide, name="Efus", affiliation="Paris")
    night_guide = PublicationPageFactory(
        parent=publication_index,
        title="Night-time guide",
        slug="night-time-guide",
        publication_type="guide",
        date=datetime.date(2019, 6, 1),
        date_precision=DatePrecision.MONTH,
        topics=[spaces],
    )
    PublicationDownloadFactory(page=night_guide, language="en")
    undated = PublicationPageFactory(
        parent=publication_index, title="Undated report", slug="undated-report", date=None
    )
    RelatedPublication.objects.create(page=drug_guide, publication=night_guide)

    french = drug_guide.copy_for_translation(locales["fr"], copy_parents=True)
    french.title = "Prévenir les dommages des drogues"
    french.save_revision().publish()

    declaration = PositionPaperPageFactory(
        parent=position_index,
        title="Brussels Declaration",
        slug="brussels-declaration",
        kind="declaration",
        place="Brussels",
        date=datetime.date(2022, 11, 23),
        date_precision=DatePrecision.DAY,
        topics=[spaces],
    )
    PositionSignatory.objects.create(page=declaration, member=brussels)
    PositionDownloadFactory(page=declaration, language="fr")
    press_release = PressReleasePageFactory(
        parent=press_release_index,
        title="Cities gather in Brussels",
        date=datetime.date(2024, 3, 1),
        date_precision=DatePrecision.MONTH,
        media_contact_name="Press office",
        media_contact_email="press@example.org",
        topics=[drugs],
    )
    PressReleaseRelatedPosition.objects.create(page=press_release, position=declaration)
    return Catalogue(
        drug_guide,
        night_guide,
        undated,
        PublicationPage.objects.get(pk=french.pk),
        declaration,
        press_release,
    )
