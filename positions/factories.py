"""Factories for position papers and press releases."""

import datetime

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from cms.factories import HomePageFactory, root_collection
from cms.models import DatePrecision

from .models import (
    PositionDownload,
    PositionIndexPage,
    PositionKind,
    PositionPaperPage,
    PressReleaseIndexPage,
    PressReleasePage,
)


class PositionIndexPageFactory(wagtail_factories.PageFactory):
    title = "Positions"
    parent = factory.SubFactory(HomePageFactory)

    class Meta:
        model = PositionIndexPage


class PositionPaperPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Position paper {n}")
    parent = factory.SubFactory(PositionIndexPageFactory)
    kind = PositionKind.POSITION_PAPER
    date = datetime.date(2025, 4, 1)
    date_precision = DatePrecision.MONTH

    class Meta:
        model = PositionPaperPage


class PositionDownloadFactory(DjangoModelFactory):
    page = factory.SubFactory(PositionPaperPageFactory)
    language = "en"
    document = factory.SubFactory(
        wagtail_factories.DocumentFactory, collection=factory.LazyFunction(root_collection)
    )

    class Meta:
        model = PositionDownload


class PressReleaseIndexPageFactory(wagtail_factories.PageFactory):
    title = "Press releases"
    parent = factory.SubFactory(HomePageFactory)

    class Meta:
        model = PressReleaseIndexPage


class PressReleasePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Press release {n}")
    parent = factory.SubFactory(PressReleaseIndexPageFactory)
    date = datetime.date(2024, 12, 5)
    date_precision = DatePrecision.DAY

    class Meta:
        model = PressReleasePage
