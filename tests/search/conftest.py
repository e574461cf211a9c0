"""Fixtures for the search tests: a catalogue with PDF text, an index built from it, and the
task worker run in-process (the worker's own loop closes connections, which would end the
test's transaction)."""

from __future__ import annotations

import datetime
import socket
from collections.abc import Callable
from unittest import mock

import pytest
from fpdf import FPDF
from wagtail.models import Collection

from cms.factories import TopicFactory
from cms.models import DatePrecision
from positions.factories import PositionPaperPageFactory, PressReleasePageFactory
from publications.factories import PublicationDownloadFactory, PublicationPageFactory
from search import indexing
from search.embeddings import reset_embedder
from search.engines import reset_engines
from tests.search.embedders import SessionUSEM3Embedder
from tests.tasks import run_due_tasks


def pdf_bytes(text: str) -> bytes:
    """A real one-page PDF whose text layer is `text`."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, text.encode("latin-1", "replace").decode("latin-1"))
    return bytes(pdf.output())


def run_worker() -> int:
    """Run every index update that is due, as `db_worker --backend search` would; returns
    how many ran."""
    return run_due_tasks("search", "test-worker")


@pytest.fixture(autouse=True)
def fresh_engine(settings, tmp_path):
    """Each test gets its own empty embedded index (and no engine cached from another)."""
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    settings.ELASTICSEARCH_URL = ""
    reset_engines()
    yield
    reset_engines()


@pytest.fixture
def worker() -> Callable[[], int]:
    return run_worker


@pytest.fixture
def search_catalogue(publication_index, position_index, press_release_index, locales):
    """A few pages whose words the search tests look for, with one PDF's text."""
    root = Collection.get_first_root_node()
    police = TopicFactory(name="Policing", slug="policing")
    drugs = TopicFactory(name="Drugs", slug="drugs")
    pages = {}
    pages["policing"] = PublicationPageFactory(
        parent=publication_index,
        title="Community policing in European cities",
        slug="community-policing",
        publication_type="guide",
        summary="<p>How local police work with residents.</p>",
        date=datetime.date(2020, 5, 1),
        date_precision=DatePrecision.MONTH,
        topics=[police],
    )
    pages["drugs"] = PublicationPageFactory(
        parent=publication_index,
        title="Preventing drug harm",
        slug="preventing-drug-harm",
        publication_type="report",
        summary="<p>Harm reduction in nightlife.</p>",
        date=datetime.date(2022, 1, 1),
        date_precision=DatePrecision.YEAR,
        topics=[drugs],
    )
    PublicationDownloadFactory(
        page=pages["drugs"],
        language="en",
        document__collection=root,
        document__file__data=pdf_bytes("Naloxone distribution saves lives in Marseille."),
        document__file__filename="drug-harm-en.pdf",
    )
    pages["undated"] = PublicationPageFactory(
        parent=publication_index,
        title="Undated notes on urban security",
        slug="undated-notes",
        date=None,
    )
    french = pages["policing"].copy_for_translation(locales["fr"], copy_parents=True)
    french.title = "La sécurité urbaine et la police de proximité"
    french.save_revision().publish()
    pages["french"] = french
    pages["declaration"] = PositionPaperPageFactory(
        parent=position_index,
        title="Declaration on security and democracy",
        slug="security-democracy",
        kind="declaration",
        date=datetime.date(2023, 11, 1),
        date_precision=DatePrecision.MONTH,
        topics=[police],
    )
    pages["press"] = PressReleasePageFactory(
        parent=press_release_index,
        title="Cities meet on drug prevention",
        date=datetime.date(2024, 3, 1),
        date_precision=DatePrecision.MONTH,
        topics=[drugs],
    )
    return pages


@pytest.fixture
def indexed(search_catalogue):
    """The catalogue, indexed from scratch (what `search_reindex` does)."""
    indexing.rebuild()
    return search_catalogue


@pytest.fixture(scope="session")
def embedding_model():
    """The real embedding model, loaded once per session with the network cut off: the
    connections attempted while it loaded are returned with it (there must be none)."""
    attempts: list = []

    def refuse(self, address):
        attempts.append(address)
        raise OSError("the network is off while the model loads")

    with mock.patch.object(socket.socket, "connect", refuse):
        model = SessionUSEM3Embedder.shared()
    return model, attempts


@pytest.fixture
def hybrid(settings, embedding_model):
    """Vectors on, with the session's model (tests without this fixture never load one)."""
    settings.SEARCH_VECTORS_ENABLED = True
    settings.SEARCH_EMBEDDER = "tests.search.embedders.SessionUSEM3Embedder"
    reset_embedder()
    yield
    reset_embedder()
