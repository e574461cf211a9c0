"""Content changes reach the search index through the task queue, and only once the worker ran.

Each test changes content the way Wagtail does (publish, unpublish, move, restrict, replace a
file, rename a topic, scheduled publishing), runs the queued index updates with `worker()`,
and asks the engine itself, or the public GraphQL search, what it now holds.
"""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
    Site,
)

from cms.factories import HomePageFactory, TopicFactory, wagtail_root
from cms.signals import search_index_changed
from positions.factories import PositionPaperPageFactory
from publications.factories import (
    PublicationDownloadFactory,
    PublicationIndexPageFactory,
    PublicationPageFactory,
)
from publications.models import PublicationPage
from search import indexing
from search.documents import build_document
from search.engines import get_engine
from search.engines.embedded import EmbeddedEngine
from search.query import SearchRequest, parse_query
from tests.api.catalogue_data import graphql
from tests.search.conftest import pdf_bytes

ONE_HOUR = datetime.timedelta(hours=1)

SEARCH = """query ($q: String!) { search(query: $q) { total hits { id title url } } }"""


def engine_hits(words: str, locale: str = "en") -> list:
    """What the engine itself answers, without the API's visibility re-check."""
    request = SearchRequest(query=parse_query(words), locale=locale)
    return get_engine().search(request).hits


def engine_titles(words: str, locale: str = "en") -> list[str]:
    return [hit.title for hit in engine_hits(words, locale)]


def in_index(page: Page) -> bool:
    engine = get_engine()
    return engine.exists() and page.pk in engine.versions()


def pending_for(page: Page) -> list[DBTaskResult]:
    return [task for task in indexing.pending_tasks() if task.args_kwargs["args"][:1] == [page.pk]]


@pytest.fixture
def search_api(client):
    """The public search over HTTP; cached answers of earlier tests cleared first (the
    response cache is process-wide and the tests' rolled-back pages send no signal)."""
    cache.clear()

    def titles(q: str) -> list[str]:
        result = graphql(client, SEARCH, {"q": q})
        assert "errors" not in result, result
        return [hit["title"] for hit in result["data"]["search"]["hits"]]

    yield titles
    cache.clear()


@pytest.fixture
def draft(publication_index) -> PublicationPage:
    """A publication that has never been live."""
    return PublicationPageFactory(
        parent=publication_index, title="Nocturnal mediation in Lyon", live=False
    )


@pytest.fixture
def published(draft, worker) -> PublicationPage:
    """The draft, published and indexed."""
    draft.save_revision().publish()
    worker()
    assert in_index(draft)
    # A fresh instance: publishing works on a copy made from the revision.
    return PublicationPage.objects.get(pk=draft.pk)


# --- Publishing --------------------------------------------------------------------------------


def test_a_published_page_is_found_once_the_worker_ran(draft, worker, search_api):
    draft.save_revision().publish()
    worker()

    assert engine_titles("mediation") == ["Nocturnal mediation in Lyon"]
    assert search_api("mediation") == ["Nocturnal mediation in Lyon"]


def test_an_edit_republished_replaces_the_old_title(published, worker, search_api):
    published.title = "Street lighting and safety"
    published.save_revision().publish()
    worker()

    assert engine_titles("lighting") == ["Street lighting and safety"]
    assert engine_titles("mediation") == []
    assert search_api("lighting") == ["Street lighting and safety"]
    assert search_api("mediation") == []


def test_an_unpublished_page_leaves_the_index(published, worker, search_api):
    published.unpublish()
    worker()

    assert not in_index(published)
    assert engine_titles("mediation") == []
    assert search_api("mediation") == []


def test_a_deleted_page_leaves_the_index(published, worker):
    published.delete()
    worker()

    assert not in_index(published)


def test_deleting_the_index_page_removes_its_publications(published, publication_index, worker):
    publication_index.delete()
    worker()

    assert not in_index(published)


def test_a_page_moved_to_another_site_is_indexed_with_its_new_url(published, worker):
    conference = HomePageFactory(parent=wagtail_root(), title="Conference", slug="conference")
    Site.objects.create(hostname="conference.example.org", root_page=conference)
    other_index = PublicationIndexPageFactory(parent=conference, slug="library")
    worker()
    before = get_engine().search(
        SearchRequest(query=parse_query("mediation"), locale="en", site="localhost")
    )
    assert [hit.id for hit in before.hits] == [published.pk]

    published.move(other_index, pos="last-child")
    worker()

    moved = Page.objects.get(pk=published.pk)
    [hit] = engine_hits("mediation")
    assert hit.url == moved.get_url() and "conference.example.org/library/" in hit.url
    on_conference = get_engine().search(
        SearchRequest(query=parse_query("mediation"), locale="en", site="conference.example.org")
    )
    assert [h.id for h in on_conference.hits] == [published.pk]


def test_a_site_given_another_root_is_dropped_from_the_old_roots_pages(published, worker):
    conference = HomePageFactory(parent=wagtail_root(), title="Conference", slug="conference")
    site = Site.objects.get(hostname="localhost")
    worker()

    site.root_page = conference
    site.save()
    worker()

    on_localhost = get_engine().search(
        SearchRequest(query=parse_query("mediation"), locale="en", site="localhost")
    )
    assert on_localhost.hits == []


def test_a_renamed_parent_slug_changes_the_url_in_the_index(
    published, publication_index, worker, django_capture_on_commit_callbacks
):
    # Wagtail announces a slug change (page_slug_changed) once the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        publication_index.slug = "library"
        publication_index.save_revision().publish()
    worker()

    [hit] = engine_hits("mediation")
    assert hit.url == Page.objects.get(pk=published.pk).get_url()
    assert "/library/" in hit.url


# --- Privacy -----------------------------------------------------------------------------------


def test_a_view_restriction_on_the_page_removes_it(published, worker, search_api):
    PageViewRestriction.objects.create(page=published, restriction_type="password", password="x")
    worker()

    assert not in_index(published)
    assert search_api("mediation") == []


def test_removing_the_view_restriction_brings_the_page_back(published, worker, search_api):
    restriction = PageViewRestriction.objects.create(
        page=published, restriction_type="password", password="x"
    )
    worker()
    restriction.delete()
    worker()

    assert in_index(published)
    assert search_api("mediation") == ["Nocturnal mediation in Lyon"]


def test_a_view_restriction_on_the_parent_index_removes_its_pages(
    published, publication_index, worker
):
    PageViewRestriction.objects.create(
        page=publication_index, restriction_type="password", password="x"
    )
    worker()

    assert not in_index(published)


@pytest.fixture
def page_with_pdf(publication_index, worker) -> PublicationPage:
    """A published page whose PDF (in a collection of its own) says "naloxone"."""
    reports = Collection.get_first_root_node().add_child(name="Reports")
    page = PublicationPageFactory(
        parent=publication_index, title="Preventing drug harm", live=False
    )
    PublicationDownloadFactory(
        page=page,
        document__collection=reports,
        document__file__data=pdf_bytes("Naloxone distribution saves lives in Marseille."),
        document__file__filename="harm.pdf",
    )
    page.save_revision().publish()
    worker()
    assert engine_titles("naloxone") == ["Preventing drug harm"]
    return page


def test_a_restricted_collection_takes_its_pdf_text_out(page_with_pdf, worker):
    collection = page_with_pdf.downloads.get().document.collection
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type="password", password="x"
    )
    worker()

    assert engine_titles("naloxone") == []
    assert engine_titles("drug harm") == ["Preventing drug harm"]


def test_a_replaced_document_file_is_indexed_with_its_new_text(page_with_pdf, worker):
    document = page_with_pdf.downloads.get().document
    document.file = ContentFile(pdf_bytes("Buprenorphine programmes in Porto."), name="new.pdf")
    document.file_hash = ""  # what Wagtail's edit form recomputes for a new file
    document.save()
    worker()

    assert engine_titles("buprenorphine") == ["Preventing drug harm"]
    assert engine_titles("naloxone") == []


def test_a_renamed_topic_is_found_by_its_new_name(publication_index, worker):
    topic = TopicFactory(name="Policing")
    page = PublicationPageFactory(
        parent=publication_index, title="Neighbourhood patrols", topics=[topic], live=False
    )
    page.save_revision().publish()
    worker()

    topic.name = "Gendarmerie"
    topic.save()
    worker()

    assert engine_titles("gendarmerie") == ["Neighbourhood patrols"]


# --- Scheduled publishing ----------------------------------------------------------------------


def test_a_scheduled_page_is_indexed_when_publish_scheduled_makes_it_live(draft, worker):
    draft.go_live_at = timezone.now() + ONE_HOUR
    revision = draft.save_revision()
    revision.publish()
    worker()
    assert not in_index(draft)
    # The hour goes by: the approved revision, and its own go-live date, are now past.
    past = timezone.now() - ONE_HOUR
    revision.refresh_from_db()
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save()

    call_command("publish_scheduled")
    worker()

    assert engine_titles("mediation") == ["Nocturnal mediation in Lyon"]


def test_an_expired_page_leaves_the_index_when_publish_scheduled_unpublishes_it(published, worker):
    # Set in the database directly: the admin refuses an expiry date in the past.
    PublicationPage.objects.filter(pk=published.pk).update(expire_at=timezone.now() - ONE_HOUR)

    call_command("publish_scheduled")
    worker()

    assert not in_index(published)


# --- The queue ---------------------------------------------------------------------------------


def test_nothing_changes_in_the_index_before_the_worker_runs(draft, search_api):
    indexing.rebuild()
    draft.save_revision().publish()

    assert not in_index(draft)
    assert search_api("mediation") == []
    assert len(pending_for(draft)) == 1


def test_the_task_is_written_in_the_transaction_of_the_publish(draft):
    with transaction.atomic():
        draft.save_revision().publish()
        assert len(pending_for(draft)) == 1
        # The row is there before the commit: it commits (or rolls back) with the publish.


def test_a_rolled_back_publish_leaves_no_task(draft):
    with pytest.raises(RuntimeError), transaction.atomic():
        draft.save_revision().publish()
        raise RuntimeError("the request failed after the publish")

    assert pending_for(draft) == []
    assert not Page.objects.get(pk=draft.pk).live


def test_repeated_publishes_of_one_page_make_one_index_write(draft, worker, monkeypatch):
    for number in range(3):
        draft.title = f"Nocturnal mediation, version {number}"
        draft.save_revision().publish()
    writes = []
    engine = get_engine()
    original = engine.index_documents
    monkeypatch.setattr(
        engine, "index_documents", lambda docs: (writes.append(docs), original(docs))
    )

    worker()

    assert [[doc.title for doc in docs] for docs in writes] == [["Nocturnal mediation, version 2"]]
    assert pending_for(draft) == []


def test_the_worker_indexes_the_page_as_it_is_when_it_runs(draft, worker):
    for number in range(3):
        draft.title = f"Nocturnal mediation, version {number}"
        draft.save_revision().publish()
    worker()

    assert engine_titles("mediation") == ["Nocturnal mediation, version 2"]


def test_an_index_answer_is_not_served_stale_once_the_worker_ran(draft, worker, search_api):
    # A front end searching between the publish and the worker's update must not keep getting
    # that answer afterwards (the response cache of /graphql/ is dropped at publish time).
    indexing.rebuild()
    draft.save_revision().publish()
    assert search_api("mediation") == []

    worker()

    assert search_api("mediation") == ["Nocturnal mediation in Lyon"]


def test_an_index_update_is_announced_to_cms_by_a_signal(published):
    heard: list[type] = []

    def receiver(sender, **kwargs):
        heard.append(sender)

    search_index_changed.connect(receiver)
    try:
        indexing.sync_pages([published.pk])
    finally:
        search_index_changed.disconnect(receiver)
    assert heard == [EmbeddedEngine]


def test_an_update_made_during_a_rebuild_is_not_lost(published, worker, monkeypatch):
    original = EmbeddedEngine.rebuild

    def rebuild_with_an_edit_midway(self, documents, progress=None):
        documents = list(documents)  # read from the database before the edit
        published.title = "Street lighting and safety"
        published.save_revision().publish()
        worker()  # applied to the old index, which the swap is about to replace
        return original(self, documents, progress)

    monkeypatch.setattr(EmbeddedEngine, "rebuild", rebuild_with_an_edit_midway)

    _result, replayed = indexing.rebuild()

    assert replayed == 1
    assert engine_titles("lighting") == []  # the new index was filled before the edit
    worker()
    assert engine_titles("lighting") == ["Street lighting and safety"]
    assert engine_titles("mediation") == []


# --- What is never indexed ---------------------------------------------------------------------


def indexed_by_both_paths(page: Page, worker) -> tuple[bool, bool]:
    """Whether `page` is indexed by a task about it, and by a rebuild from the database."""
    indexing.queue_pages([page.pk])
    worker()
    by_task = in_index(page)
    indexing.rebuild()
    return by_task, in_index(page)


def test_a_draft_is_never_indexed(draft, worker):
    draft.title = "Nocturnal mediation, a draft"
    draft.save_revision()

    assert indexed_by_both_paths(draft, worker) == (False, False)


def test_unpublished_changes_are_never_indexed(published, worker):
    published.title = "Secret draft title about curfews"
    published.save_revision()

    indexing.queue_pages([published.pk])
    worker()
    assert engine_titles("curfews") == []
    assert engine_titles("mediation") == ["Nocturnal mediation in Lyon"]
    indexing.rebuild()
    assert engine_titles("curfews") == []
    assert engine_titles("mediation") == ["Nocturnal mediation in Lyon"]


def test_an_expired_page_is_never_indexed(published, worker):
    # Expired but not yet unpublished: publish_scheduled has not run since.
    PublicationPage.objects.filter(pk=published.pk).update(expire_at=timezone.now() - ONE_HOUR)

    assert indexed_by_both_paths(published, worker) == (False, False)


def test_a_password_protected_page_is_never_indexed(position_index, worker):
    page = PositionPaperPageFactory(parent=position_index, title="Closed declaration")
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")

    assert indexed_by_both_paths(page, worker) == (False, False)


def test_a_stale_document_for_a_hidden_page_is_removed_by_its_task(published, worker):
    # The index holds a page the database now hides, with no signal sent: its task removes it.
    stale = dataclasses.replace(build_document(published), title="Nocturnal mediation (stale)")
    Page.objects.filter(pk=published.pk).update(live=False)
    get_engine().index_documents([stale])

    indexing.queue_pages([published.pk])
    worker()

    assert not in_index(published)


def test_a_page_of_a_type_search_does_not_hold_is_skipped_when_synced(home_page, published):
    assert indexing.sync_pages([home_page.pk, published.pk]) == (1, 1)
    assert set(get_engine().versions()) == {published.pk}
