"""Factories for the publications catalogue."""

import datetime

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from cms.factories import HomePageFactory, root_collection
from cms.models import DatePrecision

from .models import (
    PublicationAuthor,
    PublicationDownload,
    PublicationIndexPage,
    PublicationIsbn,
    PublicationPage,
    PublicationType,
)


class PublicationIndexPageFactory(wagtail_factories.PageFactory):
    title = "Publications"
    parent = factory.SubFactory(HomePageFactory)

    class Meta:
        model = PublicationIndexPage


class PublicationPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Publication {n}")
    parent = factory.SubFactory(PublicationIndexPageFactory)
    publication_type = PublicationType.REPORT
    date = datetime.date(2024, 12, 5)
    date_precision = DatePrecision.DAY

    class Meta:
        model = PublicationPage


class PublicationDownloadFactory(DjangoModelFactory):
    page = factory.SubFactory(PublicationPageFactory)
    language = "en"
    document = factory.SubFactory(
        wagtail_factories.DocumentFactory, collection=factory.LazyFunction(root_collection)
    )

    class Meta:
        model = PublicationDownload


class PublicationIsbnFactory(DjangoModelFactory):
    page = factory.SubFactory(PublicationPageFactory)
    isbn = "978-2-913181-55-7"

    class Meta:
        model = PublicationIsbn


class PublicationAuthorFactory(DjangoModelFactory):
    page = factory.SubFactory(PublicationPageFactory)
    name = factory.Sequence(lambda n: f"Author {n}")

    class Meta:
        model = PublicationAuthor
