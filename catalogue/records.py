"""Read a catalogue file (JSON, or CSV for the publication list) into checked records.

Nothing is written here: every record of a file is checked first, so an import either writes
a whole file or nothing, and every problem is reported at once with the record and field.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.text import slugify

from cms.languages import COUNTRY_CODES, EU_LANGUAGE_CODES
from cms.models import DatePrecision, MemberKind, parse_partial_date
from cms.validators import validate_isbn
from positions.models import PositionKind
from publications.models import PublicationType

SECTIONS = ("topics", "projects", "members", "publications", "positions", "press_releases")
CSV_LIST_SEPARATOR = re.compile(r"\s*[;|]\s*")
# "978-2-913181-55-7 (EN)": an ISBN and, in brackets, the edition it identifies.
ISBN_WITH_NOTE = re.compile(r"^\s*(?P<isbn>[0-9Xx][0-9Xx \-]*?)\s*(?:\((?P<note>[^)]*)\))?\s*$")


class CatalogueError(Exception):
    """A catalogue file with problems; `problems` lists one line per record and field."""

    def __init__(self, path: str, problems: list[str]):
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: {len(problems)} problem(s)")


@dataclass
class TopicRecord:
    key: str
    name: str
    description: str = ""


@dataclass
class ProjectRecord:
    key: str
    acronym: str
    name: str
    start_year: int | None = None
    end_year: int | None = None
    url: str = ""
    topics: list[str] = field(default_factory=list)


@dataclass
class MemberRecord:
    key: str
    name: str
    kind: str
    country: str


@dataclass
class FileRecord:
    language: str
    path: Path | None  # None: no file in the catalogue, a demo file may stand in for it
    label: str = ""


@dataclass
class PageRecord:
    """What publications, positions and press releases share."""

    key: str
    title: str
    date: datetime.date | None
    date_precision: str
    topics: list[str]
    source_url: str
    summary: str
    files: list[FileRecord]


@dataclass
class PublicationRecord(PageRecord):
    subtitle: str = ""
    publication_type: str = PublicationType.OTHER
    project: str = ""
    isbns: list[tuple[str, str]] = field(default_factory=list)
    page_count: int | None = None
    authors: list[str] = field(default_factory=list)


@dataclass
class PositionRecord(PageRecord):
    kind: str = PositionKind.POSITION_PAPER
    place: str = ""


@dataclass
class PressReleaseRecord(PageRecord):
    pass


@dataclass
class Catalogue:
    topics: list[TopicRecord] = field(default_factory=list)
    projects: list[ProjectRecord] = field(default_factory=list)
    members: list[MemberRecord] = field(default_factory=list)
    publications: list[PublicationRecord] = field(default_factory=list)
    positions: list[PositionRecord] = field(default_factory=list)
    press_releases: list[PressReleaseRecord] = field(default_factory=list)

    def __len__(self) -> int:
        return sum(len(getattr(self, section)) for section in SECTIONS)


def taxonomy_slug(text: str) -> str:
    """The slug a topic, project or member is known by in files and URLs."""
    return slugify(text)[:100]


def record_key(title: str) -> str:
    """The default import key of a page record: its title as a slug."""
    return slugify(title)[:100]


class _Reader:
    """Checks one file's records, collecting problems instead of stopping at the first."""

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[str] = []

    def problem(self, where: str, field_name: str, message: str) -> None:
        self.problems.append(f"{where}: field '{field_name}': {message}")

    # -- primitive fields -------------------------------------------------------------------

    @staticmethod
    def text(raw: dict, name: str) -> str:
        value = raw.get(name)
        return "" if value is None else str(value).strip()

    def text_list(self, raw: dict, name: str, where: str) -> list[str]:
        value = raw.get(name) or []
        if isinstance(value, str):
            value = [part for part in CSV_LIST_SEPARATOR.split(value) if part]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(where, name, "must be a list of strings (in CSV: separated by ';').")
            return []
        return [v.strip() for v in value if v.strip()]

    def year(self, raw: dict, name: str, where: str) -> int | None:
        value = raw.get(name)
        if value in (None, ""):
            return None
        try:
            year = int(str(value).strip())
        except ValueError:
            self.problem(
                where, name, f"{value!r} is not a year; write it as YYYY or leave it empty."
            )
            return None
        if not 1900 <= year <= 2100:
            self.problem(where, name, f"{year} is not a plausible year (1900-2100).")
            return None
        return year

    def partial_date(self, raw: dict, where: str) -> tuple[datetime.date | None, str]:
        # Publications give a "year"; positions and press releases a "date" (YYYY[-MM[-DD]]).
        name = "date" if raw.get("date") not in (None, "") else "year"
        try:
            return parse_partial_date(raw.get(name))
        except ValueError:
            self.problem(
                where,
                name,
                f"{raw.get(name)!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD, "
                "or leave it empty when unknown.",
            )
            return None, DatePrecision.DAY

    def choice(self, raw: dict, name: str, where: str, choices: list[str], default: str) -> str:
        value = self.text(raw, name).lower() or default
        if value not in choices:
            allowed = ", ".join(choices)
            self.problem(where, name, f"{value!r} is not one of: {allowed}.")
        return value

    def url(self, raw: dict, name: str, where: str) -> str:
        value = self.text(raw, name)
        if value and not re.match(r"^https?://", value):
            self.problem(where, name, f"{value!r} is not a web address (http:// or https://).")
        return value

    def files(self, raw: dict, where: str) -> list[FileRecord]:
        files: list[FileRecord] = []
        languages = self.text_list(raw, "languages", where)
        for code in languages:
            if code.lower() not in EU_LANGUAGE_CODES:
                self.problem(
                    where, "languages", f"{code!r} is not an ISO 639-1 code of an EU language."
                )
        for index, item in enumerate(raw.get("files") or []):
            file_where = f"{where} files[{index}]"
            if not isinstance(item, dict):
                self.problem(file_where, "files", "each file must be an object.")
                continue
            language = self.text(item, "language").lower()
            if language not in EU_LANGUAGE_CODES:
                self.problem(file_where, "language", f"{language!r} is not an EU language code.")
            file_path = (self.path.parent / self.text(item, "path")).resolve()
            if not self.text(item, "path") or not file_path.is_file():
                self.problem(file_where, "path", f"no file at {file_path}.")
            files.append(FileRecord(language, file_path, self.text(item, "label")))
        listed = {f.language for f in files}
        files += [
            FileRecord(code.lower(), None) for code in languages if code.lower() not in listed
        ]
        return files

    def isbns(self, raw: dict, where: str) -> list[tuple[str, str]]:
        value = self.text(raw, "isbn")
        isbns = []
        for part in (p for p in value.split(";") if p.strip()) if value else []:
            match = ISBN_WITH_NOTE.match(part)
            if not match:
                self.problem(where, "isbn", f"{part.strip()!r} is not an ISBN.")
                continue
            try:
                validate_isbn(match["isbn"])
            except ValidationError as error:
                self.problem(where, "isbn", " ".join(error.messages))
                continue
            isbns.append((match["isbn"].strip(), (match["note"] or "").strip()))
        return isbns

    # -- records ----------------------------------------------------------------------------

    def page_fields(self, raw: dict, where: str) -> dict[str, Any]:
        title = self.text(raw, "title")
        if not title:
            self.problem(where, "title", "every record needs a title.")
        elif len(title) > 255:
            self.problem(where, "title", f"is {len(title)} characters long; 255 at most.")
        date, precision = self.partial_date(raw, where)
        return {
            "key": self.text(raw, "key") or record_key(title),
            "title": title,
            "date": date,
            "date_precision": precision,
            "topics": [taxonomy_slug(t) for t in self.text_list(raw, "topics", where)],
            "source_url": self.url(raw, "source", where)
            if self.text(raw, "source").startswith("http")
            else "",
            "summary": self.text(raw, "summary"),
            "files": self.files(raw, where),
        }

    def publication(self, raw: dict, where: str) -> PublicationRecord:
        page_count = raw.get("page_count")
        if page_count not in (None, "") and not str(page_count).strip().isdigit():
            self.problem(where, "page_count", f"{page_count!r} is not a whole number.")
            page_count = None
        return PublicationRecord(
            **self.page_fields(raw, where),
            subtitle=self.text(raw, "subtitle"),
            publication_type=self.choice(
                raw, "type", where, PublicationType.values, PublicationType.OTHER
            ),
            project=taxonomy_slug(self.text(raw, "project")),
            isbns=self.isbns(raw, where),
            page_count=int(page_count) if page_count not in (None, "") else None,
            authors=self.text_list(raw, "authors", where),
        )

    def position(self, raw: dict, where: str) -> PositionRecord:
        return PositionRecord(
            **self.page_fields(raw, where),
            kind=self.choice(raw, "kind", where, PositionKind.values, PositionKind.POSITION_PAPER),
            place=self.text(raw, "place"),
        )

    def press_release(self, raw: dict, where: str) -> PressReleaseRecord:
        return PressReleaseRecord(**self.page_fields(raw, where))

    def topic(self, raw: dict, where: str) -> TopicRecord:
        name = self.text(raw, "name")
        if not name:
            self.problem(where, "name", "every topic needs a name.")
        return TopicRecord(taxonomy_slug(name), name, self.text(raw, "description"))

    def project(self, raw: dict, where: str) -> ProjectRecord:
        acronym, name = self.text(raw, "acronym"), self.text(raw, "name")
        if not acronym and not name:
            self.problem(where, "name", "a project needs an acronym, a name, or both.")
        start, end = self.year(raw, "start_year", where), self.year(raw, "end_year", where)
        if start and end and end < start:
            self.problem(where, "end_year", f"{end} is before the start year {start}.")
        return ProjectRecord(
            key=taxonomy_slug(acronym or name),
            acronym=acronym,
            name=name,
            start_year=start,
            end_year=end,
            url=self.url(raw, "url", where),
            topics=[taxonomy_slug(t) for t in self.text_list(raw, "topics", where)],
        )

    def member(self, raw: dict, where: str) -> MemberRecord:
        name = self.text(raw, "name")
        if not name:
            self.problem(where, "name", "every member needs a name.")
        country = self.text(raw, "country").upper()
        if country not in COUNTRY_CODES:
            self.problem(where, "country", f"{country!r} is not a known ISO 3166-1 country code.")
        kind = self.choice(raw, "kind", where, MemberKind.values, MemberKind.CITY)
        return MemberRecord(taxonomy_slug(name), name, kind, country)


def _describe(section: str, index: int, raw: Any) -> str:
    label = ""
    if isinstance(raw, dict):
        label = str(raw.get("title") or raw.get("name") or raw.get("acronym") or "")[:60]
    return f"{section}[{index}]" + (f" «{label}»" if label else "")


def _check_unique_keys(reader: _Reader, section: str, records: list) -> None:
    seen: dict[str, int] = {}
    for index, record in enumerate(records):
        if record.key in seen:
            reader.problem(
                f"{section}[{index}]",
                "key",
                f"{record.key!r} is also the key of {section}[{seen[record.key]}]; give one of "
                "them a distinct 'key' (or title).",
            )
        seen.setdefault(record.key, index)


def read_catalogue(path: Path) -> Catalogue:
    """Read and check a catalogue file; raise CatalogueError listing every problem."""
    reader = _Reader(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogueError(str(path), [f"cannot read the file: {error}"]) from error
    if path.suffix.lower() == ".csv":
        data = {"publications": list(csv.DictReader(io.StringIO(text)))}
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise CatalogueError(
                str(path),
                [f"not valid JSON (line {error.lineno}, column {error.colno}): {error.msg}"],
            ) from error
    if not isinstance(data, dict):
        raise CatalogueError(
            str(path), ["the file must hold an object with lists: " + ", ".join(SECTIONS)]
        )

    catalogue = Catalogue()
    builders = {
        "topics": reader.topic,
        "projects": reader.project,
        "members": reader.member,
        "publications": reader.publication,
        "positions": reader.position,
        "press_releases": reader.press_release,
    }
    for section, build in builders.items():
        raws = data.get(section) or []
        if not isinstance(raws, list):
            reader.problem(section, section, "must be a list of records.")
            continue
        records = getattr(catalogue, section)
        for index, raw in enumerate(raws):
            where = _describe(section, index, raw)
            if not isinstance(raw, dict):
                reader.problem(where, section, "each record must be an object.")
                continue
            records.append(build(raw, where))
        _check_unique_keys(reader, section, records)
    if reader.problems:
        raise CatalogueError(str(path), reader.problems)
    return catalogue
