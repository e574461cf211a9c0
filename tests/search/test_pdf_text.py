"""Extracting the text of PDF downloads for the index: capped, cached, never fatal."""

import io

import wagtail_factories
from fpdf import FPDF

from search.models import ExtractedText
from search.pdf_text import document_text, extract_pdf_text
from tests.search.conftest import pdf_bytes


def many_pages(count: int, words: str) -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for number in range(count):
        pdf.add_page()
        pdf.cell(0, 10, f"{words} page {number}")
    return bytes(pdf.output())


def test_text_of_a_pdf_is_extracted():
    text, truncated = extract_pdf_text(
        io.BytesIO(pdf_bytes("Urban security in Lisbon")), max_pages=10, max_chars=1000
    )
    assert "Urban security in Lisbon" in text
    assert not truncated


def test_pages_beyond_the_cap_are_not_read():
    text, truncated = extract_pdf_text(
        io.BytesIO(many_pages(5, "prevention")), max_pages=2, max_chars=10_000
    )
    assert "page 1" in text and "page 2" not in text
    assert truncated


def test_text_beyond_the_character_cap_is_cut():
    text, truncated = extract_pdf_text(
        io.BytesIO(many_pages(5, "x" * 50)), max_pages=10, max_chars=120
    )
    assert len(text) <= 120
    assert truncated


def test_document_text_is_cached_by_file_hash(db, django_assert_num_queries):
    document = wagtail_factories.DocumentFactory(
        file__data=pdf_bytes("Nightlife and safety"), file__filename="night.pdf"
    )
    assert "Nightlife and safety" in document_text(document)
    with django_assert_num_queries(1):
        assert "Nightlife and safety" in document_text(document)


def test_a_broken_pdf_is_indexed_without_text_and_the_reason_kept(db, caplog):
    document = wagtail_factories.DocumentFactory(
        file__data=b"%PDF-1.4 not really", file__filename="broken.pdf"
    )
    assert document_text(document) == ""
    extracted = ExtractedText.objects.get(document=document)
    assert extracted.error
    assert f"Document {document.pk}" in caplog.text and "field 'file'" in caplog.text


def test_files_other_than_pdf_have_no_text(db):
    document = wagtail_factories.DocumentFactory(
        file__data=b"plain words", file__filename="notes.txt"
    )
    assert document_text(document) == ""


def test_the_same_file_in_another_document_is_not_parsed_again(db, monkeypatch):
    data = pdf_bytes("Shared annual report")
    first = wagtail_factories.DocumentFactory(file__data=data, file__filename="a.pdf")
    second = wagtail_factories.DocumentFactory(file__data=data, file__filename="b.pdf")
    document_text(first)

    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed again")

    monkeypatch.setattr("search.pdf_text.extract_pdf_text", no_parsing)
    assert "Shared annual report" in document_text(second)
