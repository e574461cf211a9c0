"""The RSS 2.0 and Atom feeds: parsed back with feedparser (no bozo), their items' fields,
the URL contract, the bound on items, caching, and a query count that does not grow."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from publications.factories import PublicationPageFactory
from publications.models import PublicationPage

from .conftest import PDF, fetch, file_names, pdf, publish, read_feed, titles

FRONT_END = "http://localhost:3000"
FEEDS = "/feeds/localhost"


def test_rss_feed_of_publications_parses_and_lists_them(catalogue) -> None:
    parsed = read_feed(f"{FEEDS}/en/publications.rss")

    assert parsed.version == "rss20"
    assert titles(parsed) == ["Night-time economy guide"]
    assert parsed.feed.language == "en"
    assert parsed.feed.link == f"{FRONT_END}/"


def test_atom_feed_of_publications_parses_and_lists_them(catalogue) -> None:
    parsed = read_feed(f"{FEEDS}/en/publications.atom")

    assert parsed.version == "atom10"
    assert titles(parsed) == ["Night-time economy guide"]
    assert parsed.feed.language == "en"


@pytest.mark.parametrize("ending", ["rss", "atom"])
def test_item_links_to_the_front_end(catalogue, ending) -> None:
    (entry,) = read_feed(f"{FEEDS}/en/publications.{ending}").entries

    assert entry.link == f"{FRONT_END}/publications/night-time-economy-guide/"


@pytest.mark.parametrize("ending", ["rss", "atom"])
def test_item_carries_the_summary_as_text(catalogue, ending) -> None:
    (entry,) = read_feed(f"{FEEDS}/en/publications.{ending}").entries

    assert entry.summary == "How cities manage the night & its economy.\nSecond part."


@pytest.mark.parametrize("ending", ["rss", "atom"])
def test_item_categories_are_its_topics(catalogue, ending) -> None:
    (entry,) = read_feed(f"{FEEDS}/en/publications.{ending}").entries

    assert [tag.term for tag in entry.tags] == ["Urban safety"]


@pytest.mark.parametrize("ending", ["rss", "atom"])
def test_item_dates_are_first_and_last_publication(catalogue, ending) -> None:
    publication = catalogue.publication
    (entry,) = read_feed(f"{FEEDS}/en/publications.{ending}").entries

    first = publication.first_published_at.astimezone(datetime.UTC)
    assert entry.published_parsed[:6] == first.timetuple()[:6]
    if ending == "atom":
        last = publication.last_published_at.astimezone(datetime.UTC)
        assert entry.updated_parsed[:6] == last.timetuple()[:6]


@pytest.mark.parametrize("ending", ["rss", "atom"])
def test_publication_item_names_its_authors(catalogue, ending) -> None:
    (entry,) = read_feed(f"{FEEDS}/en/publications.{ending}").entries

    assert entry.author == "Efus, City of Lyon"


def test_position_item_has_no_author(catalogue) -> None:
    (entry,) = read_feed(f"{FEEDS}/en/positions.atom").entries

    assert "author" not in entry


def test_rss_item_has_one_enclosure_the_file_in_the_feeds_language(catalogue) -> None:
    (english,) = read_feed(f"{FEEDS}/en/publications.rss").entries
    (french,) = read_feed(f"{FEEDS}/fr/publications.rss").entries

    assert file_names(english) == ["guide-en"]
    # The French translation has the same two files (copied with it): the French one here.
    assert file_names(french) == ["guide-fr"]


def test_atom_item_has_every_file_as_an_enclosure_with_size_and_type(catalogue) -> None:
    (entry,) = read_feed(f"{FEEDS}/en/publications.atom").entries

    enclosures = entry.enclosures
    assert file_names(entry) == ["guide-en", "guide-fr"]
    assert {(link.type, int(link.length)) for link in enclosures} == {("application/pdf", len(PDF))}
    # Served by Wagtail's document view on the CMS, which checks the collection's privacy.
    assert all(link.href.startswith("http://testserver/documents/") for link in enclosures)


def test_item_id_stays_when_the_slug_changes(catalogue) -> None:
    (before,) = read_feed(f"{FEEDS}/en/publications.atom").entries
    page = PublicationPage.objects.get(pk=catalogue.publication.pk)
    page.slug = "guide-to-the-night"
    publish(page)

    (after,) = read_feed(f"{FEEDS}/en/publications.atom").entries
    assert after.id == before.id
    assert after.link == f"{FRONT_END}/publications/guide-to-the-night/"


@pytest.mark.parametrize(
    ("feed", "expected"),
    [
        ("publications", ["Night-time economy guide"]),
        ("positions", ["Manifesto of Lyon"]),
        ("press-releases", ["Conference announced"]),
    ],
)
def test_each_feed_lists_its_own_kind(catalogue, feed, expected) -> None:
    assert titles(read_feed(f"{FEEDS}/en/{feed}.rss")) == expected


def test_press_release_enclosure_is_its_attachment(catalogue) -> None:
    (entry,) = read_feed(f"{FEEDS}/en/press-releases.rss").entries

    assert file_names(entry) == ["press-kit"]


def test_locale_feed_lists_that_locales_pages_only(catalogue) -> None:
    parsed = read_feed(f"{FEEDS}/fr/publications.atom")

    assert titles(parsed) == ["Guide de l'économie de la nuit"]
    assert parsed.entries[0].link == f"{FRONT_END}/fr/publications/guide-economie-nuit/"
    # The topic in the page's language.
    assert [tag.term for tag in parsed.entries[0].tags] == ["Sécurité urbaine"]


def test_locale_without_pages_gives_an_empty_valid_feed(catalogue, locales) -> None:
    assert titles(read_feed(f"{FEEDS}/de/publications.rss")) == []


@pytest.mark.parametrize("ending", ["rss", "atom"])
def test_topic_feed_lists_everything_on_the_topic(catalogue, ending) -> None:
    parsed = read_feed(f"{FEEDS}/en/topics/urban-safety.{ending}")

    # Newest first: the position paper was published after the publication.
    assert titles(parsed) == ["Manifesto of Lyon", "Night-time economy guide"]


def test_topic_feed_takes_the_topics_slug_in_the_locale(catalogue) -> None:
    parsed = read_feed(f"{FEEDS}/fr/topics/securite-urbaine.rss")

    assert titles(parsed) == ["Guide de l'économie de la nuit"]
    assert "Sécurité urbaine" in parsed.feed.title


def test_feed_of_the_other_site_holds_its_own_pages(catalogue) -> None:
    # The same tree under another hostname: the items' links are that site's.
    Site.objects.create(
        hostname="conference.localhost",
        root_page=catalogue.publication.get_parent().get_parent(),
        site_name="Conference",
    )

    parsed = read_feed("/feeds/conference.localhost/en/publications.rss")

    assert titles(parsed) == ["Night-time economy guide"]


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/unknown.example/en/publications.rss",
        "/feeds/localhost/xx/publications.rss",
        "/feeds/localhost/en/newsletters.rss",
        "/feeds/localhost/en/topics/no-such-topic.atom",
        "/feeds/localhost/en/publications.json",
    ],
)
def test_unknown_site_locale_feed_or_topic_is_a_404(catalogue, url) -> None:
    assert fetch(url).status_code == 404


def test_feed_is_bounded_and_newest_first(publication_index, settings) -> None:
    settings.FEEDS_MAX_ITEMS = 3
    for number in range(5):
        publish(
            PublicationPageFactory(parent=publication_index, title=f"Report {number}", live=False)
        )

    assert titles(read_feed(f"{FEEDS}/en/publications.rss")) == [
        "Report 4",
        "Report 3",
        "Report 2",
    ]


def test_a_repeat_with_the_etag_gets_a_304(catalogue) -> None:
    first = fetch(f"{FEEDS}/en/publications.rss")
    again = fetch(f"{FEEDS}/en/publications.rss", HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200
    assert "public" in first["Cache-Control"]
    assert again.status_code == 304
    assert again.content == b""


def test_a_publish_changes_the_cached_feed(catalogue, publication_index) -> None:
    first = fetch(f"{FEEDS}/en/publications.rss")
    publish(PublicationPageFactory(parent=publication_index, title="Fresh report", live=False))

    parsed = read_feed(f"{FEEDS}/en/publications.rss")
    assert titles(parsed)[0] == "Fresh report"
    again = fetch(f"{FEEDS}/en/publications.rss", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200


def feed_queries(url: str) -> int:
    """The queries of a read of the feed after a first one: that one measures (and stores) the
    size of files uploaded without it, and fills the process's caches (content types, sites)."""
    read_feed(url)
    with CaptureQueriesContext(connection) as queries:
        read_feed(url)
    return len(queries)


# The ceilings: site, locale, the site's roots, the restrictions, the feed's home link, then per
# page type its pages, topics and files (and a publication's authors); a topic's feed reads
# the topic and asks three page types.
@pytest.mark.parametrize(
    ("url", "ceiling"),
    [(f"{FEEDS}/en/publications.atom", 12), (f"{FEEDS}/en/topics/urban-safety.rss", 20)],
)
def test_feed_queries_do_not_grow_with_its_items(
    catalogue, publication_index, settings, url, ceiling
) -> None:
    settings.GRAPHQL_CACHE_TIMEOUT = 0  # every request renders the feed
    few = feed_queries(url)
    for number in range(8):
        page = PublicationPageFactory(
            parent=publication_index, title=f"Report {number}", live=False
        )
        page.topics.add(catalogue.topic)
        page.downloads.create(language="en", document=pdf(f"report-{number}"))
        page.authors.create(name=f"Author {number}")
        publish(page)

    many = feed_queries(url)

    assert len(read_feed(url).entries) >= 9
    assert many == few
    assert few <= ceiling


def test_a_page_made_live_without_a_publish_comes_last(catalogue, publication_index) -> None:
    # Live in the database (a script, an old import), never published through Wagtail: it has
    # no first publication date.
    PublicationPageFactory(parent=publication_index, title="Imported long ago")

    parsed = read_feed(f"{FEEDS}/en/publications.atom")

    assert titles(parsed) == ["Night-time economy guide", "Imported long ago"]
