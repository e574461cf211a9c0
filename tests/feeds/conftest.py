"""A small catalogue the feed and sitemap tests read: a publication with authors and two PDFs
(English and French) and its French translation, a position paper, a press release, a topic
and its French translation; and helpers that fetch a feed and parse it back with feedparser."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import feedparser
import pytest
from django.test import Client
from wagtail.models import Collection, Locale, Page
from wagtail_factories import DocumentFactory

from cms.factories import TopicFactory
from cms.models import Topic
from positions.factories import PositionPaperPageFactory, PressReleasePageFactory
from positions.models import PositionDownload, PressReleaseAttachment
from publications.factories import PublicationAuthorFactory, PublicationPageFactory
from publications.models import PublicationDownload

PDF = b"%PDF-1.4 feed test file"


@dataclass
class Catalogue:
    topic: Topic
    french_topic: Topic
    publication: Page
    french_publication: Page
    position: Page
    press_release: Page


def pdf(name: str):
    return DocumentFactory(
        title=name,
        collection=Collection.get_first_root_node(),
        file__filename=f"{name}.pdf",
        file__data=PDF,
    )


def publish(page: Page) -> Page:
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def translate(page: Page, code: str, title: str, slug: str) -> Page:
    """A live translation of `page` (and of its parents, published too)."""
    locale, _ = Locale.objects.get_or_create(language_code=code)
    copy = page.copy_for_translation(locale, copy_parents=True)
    for ancestor in copy.get_ancestors().filter(depth__gte=2, live=False):
        ancestor.specific.save_revision().publish()
    copy.title, copy.slug = title, slug
    return publish(copy)


@pytest.fixture
def catalogue(publication_index, position_index, press_release_index) -> Catalogue:
    topic = TopicFactory(name="Urban safety", slug="urban-safety")
    french_topic = topic.copy_for_translation(Locale.objects.get_or_create(language_code="fr")[0])
    french_topic.name, french_topic.slug = "Sécurité urbaine", "securite-urbaine"
    french_topic.save()

    publication = PublicationPageFactory(
        parent=publication_index,
        title="Night-time economy guide",
        slug="night-time-economy-guide",
        summary="<p>How cities manage the <b>night</b> &amp; its economy.</p><p>Second part.</p>",
        date=datetime.date(2017, 1, 1),
        live=False,
    )
    publication.topics.add(topic)
    PublicationAuthorFactory(page=publication, name="Efus", sort_order=0)
    PublicationAuthorFactory(page=publication, name="City of Lyon", sort_order=1)
    PublicationDownload.objects.create(page=publication, language="en", document=pdf("guide-en"))
    PublicationDownload.objects.create(page=publication, language="fr", document=pdf("guide-fr"))
    publication = publish(publication)
    french_publication = translate(
        publication, "fr", "Guide de l'économie de la nuit", "guide-economie-nuit"
    )

    position = PositionPaperPageFactory(
        parent=position_index, title="Manifesto of Lyon", slug="manifesto-of-lyon", live=False
    )
    position.topics.add(topic)
    PositionDownload.objects.create(page=position, language="en", document=pdf("manifesto"))
    position = publish(position)

    press_release = PressReleasePageFactory(
        parent=press_release_index,
        title="Conference announced",
        slug="conference-announced",
        live=False,
    )
    PressReleaseAttachment.objects.create(
        page=press_release, language="en", document=pdf("press-kit")
    )
    press_release = publish(press_release)
    return Catalogue(topic, french_topic, publication, french_publication, position, press_release)


def fetch(url: str, client: Client | None = None, **headers):
    """GET `url` as an anonymous client."""
    return (client or Client()).get(url, **headers)


def read_feed(url: str, client: Client | None = None) -> feedparser.FeedParserDict:
    """The feed at `url`, parsed back: a 200, and nothing feedparser finds wrong with it."""
    response = fetch(url, client)
    assert response.status_code == 200, (url, response.status_code)
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, (url, parsed.get("bozo_exception"))
    return parsed


def file_names(entry) -> list[str]:
    """The names the item's enclosures were uploaded as ("guide-en"), in the feed's order
    (storage may have added a suffix to keep a name unique: "guide-en_Ab3dE5f.pdf")."""
    names = (link.href.rsplit("/", 1)[-1] for link in entry.enclosures)
    return [re.sub(r"(_[A-Za-z0-9]{7})?\.pdf$", "", name) for name in names]


def titles(parsed: feedparser.FeedParserDict) -> list[str]:
    return [entry.title for entry in parsed.entries]
