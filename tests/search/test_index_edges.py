"""Index updates for the less common changes, and what the index answers at its edges."""

from __future__ import annotations

import datetime
from unittest import mock

from django.core.management import call_command
from django.utils import timezone

from cms.factories import MemberFactory, TopicFactory
from positions.factories import PositionPaperPageFactory
from positions.models import PositionSignatory
from publications.factories import PublicationDownloadFactory, PublicationPageFactory
from search import indexing
from search.engines import get_engine
from search.query import SearchRequest, parse_query
from tests.search.conftest import pdf_bytes


def titles(words: str, locale: str = "en", site: str | None = None) -> list[str]:
    request = SearchRequest(query=parse_query(words), locale=locale, site=site)
    return [hit.title for hit in get_engine().search(request).hits]


def suggestion(words: str) -> str | None:
    return get_engine().search(SearchRequest(query=parse_query(words), locale="en")).suggestion


def test_a_deleted_member_is_no_longer_found_on_the_papers_it_signed(position_index, worker):
    member = MemberFactory(name="Villeurbanne")
    paper = PositionPaperPageFactory(parent=position_index, title="Declaration on nightlife")
    PositionSignatory.objects.create(page=paper, member=member)
    indexing.rebuild()
    assert titles("villeurbanne") == ["Declaration on nightlife"]

    member.delete()
    worker()

    assert titles("villeurbanne") == []


def test_a_deleted_topic_is_no_longer_found_on_its_pages(publication_index, worker):
    topic = TopicFactory(name="Graffiti", slug="graffiti")
    PublicationPageFactory(parent=publication_index, title="Walls of the city", topics=[topic])
    indexing.rebuild()
    assert titles("graffiti") == ["Walls of the city"]

    topic.delete()
    worker()

    assert titles("graffiti") == []


def test_a_deleted_document_takes_its_pdf_text_out(publication_index, worker):
    page = PublicationPageFactory(parent=publication_index, title="Annual review")
    download = PublicationDownloadFactory(
        page=page,
        document__file__data=pdf_bytes("Kaleidoscope of prevention"),
        document__file__filename="review.pdf",
    )
    indexing.rebuild()
    assert titles("kaleidoscope") == ["Annual review"]

    download.document.delete()
    worker()

    assert titles("kaleidoscope") == []


def test_a_page_expiring_later_leaves_the_index_when_it_expires(publication_index, worker):
    page = PublicationPageFactory(parent=publication_index, title="Temporary call", live=False)
    page.expire_at = timezone.now() + datetime.timedelta(hours=2)
    page.save_revision().publish()
    worker()
    assert titles("temporary") == ["Temporary call"]

    # Two hours later, before any cron job: the task queued for the expiry time runs.
    later = timezone.now() + datetime.timedelta(hours=3)
    with mock.patch("django.utils.timezone.now", return_value=later):
        worker()

    assert titles("temporary") == []


def test_a_translation_belongs_to_its_sites_search(search_catalogue):
    indexing.rebuild()

    assert titles("sécurité", locale="fr", site="localhost") == [
        "La sécurité urbaine et la police de proximité"
    ]


def test_no_suggestion_that_would_find_nothing_in_the_locale(indexed):
    # "nightlife" is in an English page only: a French search gets no correction to it.
    request = SearchRequest(query=parse_query("nightlfe"), locale="fr")
    assert get_engine().search(request).suggestion is None
    assert suggestion("nightlfe") == "nightlife"


def test_a_word_only_in_a_removed_page_is_not_suggested(publication_index, worker):
    page = PublicationPageFactory(parent=publication_index, title="Zyxcorp partnership")
    PublicationPageFactory(parent=publication_index, title="Other partnership")
    indexing.rebuild()
    page.unpublish()
    worker()

    assert suggestion("zyxcorpp partnership") is None


def test_reindex_if_missing_builds_over_an_index_an_update_started(search_catalogue, worker):
    # The worker's first update (no index yet) starts an index holding only that page.
    indexing.queue_pages([search_catalogue["drugs"].pk])
    worker()
    assert get_engine().exists() and not get_engine().was_built()

    call_command("search_reindex", "--if-missing")

    assert "Community policing in European cities" in titles("policing")
