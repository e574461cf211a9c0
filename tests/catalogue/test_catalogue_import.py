"""The catalogue importer: what it writes, idempotency, updates, and every kind of bad record."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page, Revision

from cms.models import DatePrecision, Member, Project, Topic
from positions.models import PositionPaperPage, PressReleasePage
from publications.models import PublicationPage

TOPICS = [{"name": "drugs", "description": "Drug policies."}, {"name": "public spaces"}]
PROJECTS = [
    {"acronym": "PACTESUR", "name": "Protect Allied Cities", "start_year": 2019, "end_year": 2022}
]
PUBLICATION = {
    "key": "guide-one",
    "title": "Preventing drug harm in public spaces",
    "subtitle": "A guide for cities",
    "year": 2017,
    "type": "guide",
    "languages": ["en", "fr"],
    "topics": ["drugs", "public spaces"],
    "project": "PACTESUR",
    "isbn": "978-2-913181-55-7 (EN); 978-2-913181-56-4 (FR)",
    "source": "https://example.org/guide-one",
    "summary": "<p>[Demo text] A guide.</p>",
}
POSITION = {
    "title": "Brussels Declaration on the security of public spaces",
    "kind": "declaration",
    "date": "2022-11-23",
    "place": "Brussels",
    "topics": ["public spaces"],
}
PRESS_RELEASE = {"title": "Cities gather in Brussels", "date": "2024-03", "topics": ["drugs"]}


def write_catalogue(tmp_path: Path, **sections) -> Path:
    data = {"topics": TOPICS, "projects": PROJECTS} | sections
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def run_import(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("catalogue_import", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def catalogue_pages(publication_index, position_index, press_release_index):
    """The three index pages the importer writes under."""
    return publication_index, position_index, press_release_index


def test_import_creates_live_pages_with_every_field(catalogue_pages, tmp_path):
    path = write_catalogue(
        tmp_path, publications=[PUBLICATION], positions=[POSITION], press_releases=[PRESS_RELEASE]
    )

    run_import(path, "--demo-files")

    page = PublicationPage.objects.get(import_key="guide-one")
    assert page.live and page.get_parent().specific == catalogue_pages[0]
    assert (page.title, page.subtitle, page.publication_type) == (
        "Preventing drug harm in public spaces",
        "A guide for cities",
        "guide",
    )
    assert (page.date.isoformat(), page.date_precision, page.display_date) == (
        "2017-01-01",
        DatePrecision.YEAR,
        "2017",
    )
    assert sorted(t.slug for t in page.topics.all()) == ["drugs", "public-spaces"]
    assert page.project.acronym == "PACTESUR"
    assert [(i.isbn, i.note) for i in page.isbns.all()] == [
        ("978-2-913181-55-7", "EN"),
        ("978-2-913181-56-4", "FR"),
    ]
    assert sorted(d.language for d in page.downloads.all()) == ["en", "fr"]
    assert all(d.document.file.read(5) == b"%PDF-" for d in page.downloads.all())
    assert page.cover_image.width == 600
    position = PositionPaperPage.objects.get()
    assert (position.kind, position.place, position.display_date) == (
        "declaration",
        "Brussels",
        "2022-11-23",
    )
    release = PressReleasePage.objects.get()
    assert (release.display_date, release.date_precision) == ("2024-03", DatePrecision.MONTH)


def test_second_import_of_the_same_file_changes_nothing(catalogue_pages, tmp_path):
    path = write_catalogue(tmp_path, publications=[PUBLICATION], positions=[POSITION])
    run_import(path, "--demo-files")
    revisions, pages, topics = Revision.objects.count(), Page.objects.count(), Topic.objects.count()

    output = run_import(path, "--demo-files")

    assert "0 created, 0 updated, 5 unchanged" in output
    assert (Revision.objects.count(), Page.objects.count(), Topic.objects.count()) == (
        revisions,
        pages,
        topics,
    )


def test_changed_record_becomes_a_new_published_revision(catalogue_pages, tmp_path):
    run_import(write_catalogue(tmp_path, publications=[PUBLICATION]))
    page = PublicationPage.objects.get(import_key="guide-one")
    slug, revisions = page.slug, page.revisions.count()

    changed = PUBLICATION | {"title": "Preventing drug harm (2nd edition)", "year": 2018}
    output = run_import(write_catalogue(tmp_path, publications=[changed]))

    page.refresh_from_db()
    assert "1 updated" in output
    assert page.title == "Preventing drug harm (2nd edition)" and page.year == 2018
    assert page.revisions.count() == revisions + 1
    assert page.live_revision == page.latest_revision
    assert page.slug == slug  # front-end URLs do not move when a title is corrected


def test_unknown_year_stays_unknown(catalogue_pages, tmp_path):
    run_import(write_catalogue(tmp_path, publications=[PUBLICATION | {"year": None}]))

    page = PublicationPage.objects.get()
    assert page.date is None and page.year is None and page.display_date == ""


def test_csv_publication_list_is_imported(catalogue_pages, tmp_path):
    run_import(write_catalogue(tmp_path))  # the topics and the project the rows refer to
    path = tmp_path / "publications.csv"
    path.write_text(
        "title,subtitle,year,type,languages,topics,project,isbn,source\n"
        "Night-time economy,,2019,report,en;de,drugs,PACTESUR,2-913181-30-9,https://example.org/n\n"
        '"Audits, a method",Second edition,,methodological tool,,public spaces,,,\n',
        encoding="utf-8",
    )

    output = run_import(path, "--demo-files")

    assert "2 created" in output
    night = PublicationPage.objects.get(title="Night-time economy")
    assert sorted(d.language for d in night.downloads.all()) == ["de", "en"]
    assert night.isbn == "2-913181-30-9"
    audits = PublicationPage.objects.get(title="Audits, a method")
    assert audits.publication_type == "methodological tool" and audits.date is None


BAD_RECORDS = {
    "invalid ISBN check digit": (
        {"publications": [PUBLICATION | {"isbn": "978-2-913181-90-2"}]},
        "publications[0] «Preventing drug harm in public spaces»: field 'isbn'",
    ),
    "unknown publication type": (
        {"publications": [PUBLICATION | {"type": "pamphlet"}]},
        "field 'type': 'pamphlet' is not one of",
    ),
    "year that is not a year": (
        {"publications": [PUBLICATION | {"year": "twenty"}]},
        "field 'year': 'twenty' is not a date",
    ),
    "impossible date": (
        {"positions": [POSITION | {"date": "2022-13-45"}]},
        "positions[0] «Brussels Declaration on the security of public spaces»: field 'date'",
    ),
    "language that is not an EU language": (
        {"publications": [PUBLICATION | {"languages": ["en", "klingon"]}]},
        "field 'languages': 'klingon' is not an ISO 639-1 code",
    ),
    "topic that exists nowhere": (
        {"publications": [PUBLICATION | {"topics": ["drugs", "astrology"]}]},
        "field 'topics': no topic 'astrology'",
    ),
    "project that exists nowhere": (
        {"publications": [PUBLICATION | {"project": "NOPE"}]},
        "field 'project': no project 'nope'",
    ),
    "missing title": ({"press_releases": [{"date": "2020"}]}, "press_releases[0]: field 'title'"),
    "unknown position kind": (
        {"positions": [POSITION | {"kind": "tweet"}]},
        "field 'kind': 'tweet' is not one of",
    ),
    "two records with one key": (
        {"publications": [PUBLICATION, PUBLICATION | {"title": "Other"}]},
        "field 'key': 'guide-one' is also the key of publications[0]",
    ),
    "member with an unknown country": (
        {"members": [{"name": "Atlantis", "country": "XX"}]},
        "members[0] «Atlantis»: field 'country'",
    ),
    "project ending before it starts": (
        {"projects": [{"acronym": "BACK", "start_year": 2020, "end_year": 2010}]},
        "projects[0] «BACK»: field 'end_year'",
    ),
    "file that is not there": (
        {"publications": [PUBLICATION | {"files": [{"language": "en", "path": "missing.pdf"}]}]},
        "field 'path': no file at",
    ),
}


@pytest.mark.parametrize("sections, expected", BAD_RECORDS.values(), ids=BAD_RECORDS.keys())
def test_bad_record_is_named_with_its_field_and_nothing_is_written(
    catalogue_pages, tmp_path, sections, expected
):
    path = tmp_path / "bad.json"
    base = {"topics": TOPICS, "projects": PROJECTS, "positions": [POSITION]}
    path.write_text(json.dumps(base | sections), encoding="utf-8")
    counts = (Page.objects.count(), Topic.objects.count(), Project.objects.count())

    with pytest.raises(CommandError) as error:
        run_import(path)

    assert expected in str(error.value)
    assert "nothing was imported" in str(error.value)
    assert (Page.objects.count(), Topic.objects.count(), Project.objects.count()) == counts
    assert Member.objects.count() == 0


def test_every_problem_of_a_file_is_reported_at_once(catalogue_pages, tmp_path):
    bad = [PUBLICATION | {"type": "pamphlet"}, PUBLICATION | {"key": "two", "isbn": "123"}]
    with pytest.raises(CommandError) as error:
        run_import(write_catalogue(tmp_path, publications=bad))

    message = str(error.value)
    assert "2 problem(s)" in message
    assert "publications[0]" in message and "publications[1]" in message


def test_malformed_json_is_refused_with_its_line(catalogue_pages, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"publications": [\n  {"title": "x",}\n]}', encoding="utf-8")

    with pytest.raises(CommandError, match=r"not valid JSON \(line 2"):
        run_import(path)


def test_site_without_a_catalogue_page_is_refused(home_page, tmp_path):
    with pytest.raises(CommandError, match="has no publication catalogue page"):
        run_import(write_catalogue(tmp_path, publications=[PUBLICATION]))
    assert Topic.objects.count() == 0  # the topics in the same file were rolled back too


def test_missing_files_are_reported_without_demo_files(catalogue_pages, tmp_path):
    output = run_import(write_catalogue(tmp_path, publications=[PUBLICATION]))

    assert "no file for en, fr" in output
    assert not PublicationPage.objects.get().downloads.exists()


def test_real_file_is_attached_and_replaced_when_it_changes(catalogue_pages, tmp_path):
    pdf = tmp_path / "guide-en.pdf"
    pdf.write_bytes(b"%PDF-1.4 first version")
    record = PUBLICATION | {"languages": [], "files": [{"language": "en", "path": "guide-en.pdf"}]}
    path = write_catalogue(tmp_path, publications=[record])
    run_import(path)
    assert "0 updated" in run_import(path)

    pdf.write_bytes(b"%PDF-1.4 corrected version")
    output = run_import(path)

    page = PublicationPage.objects.get()
    assert "1 updated" in output
    [download] = page.downloads.all()
    assert download.document.file.read() == b"%PDF-1.4 corrected version"


def test_page_with_an_editors_draft_is_left_alone(catalogue_pages, tmp_path):
    run_import(write_catalogue(tmp_path, publications=[PUBLICATION]))
    page = PublicationPage.objects.get()
    page.title = "An editor's unpublished title"
    page.save_revision()

    output = run_import(write_catalogue(tmp_path, publications=[PUBLICATION | {"year": 2020}]))

    page.refresh_from_db()
    assert "unpublished changes" in output
    assert page.year == 2017
    assert page.get_latest_revision_as_object().title == "An editor's unpublished title"


def test_import_into_a_named_site(catalogue_pages, tmp_path):
    with pytest.raises(CommandError, match=r"No site with hostname 'nowhere\.example'"):
        run_import(write_catalogue(tmp_path), "--site", "nowhere.example")
