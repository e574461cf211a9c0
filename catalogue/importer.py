"""Write checked catalogue records into Wagtail: snippets, then published pages.

Matching is by key (a page's `import_key`, a taxonomy's slug) within the target site, so a
second run of the same file changes nothing, and a changed record becomes a new published
revision of its page. A whole file is written in one transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection, Locale, Page, Site
from wagtail.rich_text import RichText
from wagtail.utils.file import hash_filelike

from cms.models import Member, Project, Topic
from positions.models import (
    PositionDownload,
    PositionIndexPage,
    PositionPaperPage,
    PressReleaseIndexPage,
    PressReleasePage,
)
from publications.models import (
    PublicationAuthor,
    PublicationDownload,
    PublicationIndexPage,
    PublicationIsbn,
    PublicationPage,
)

from . import demo_files
from .records import (
    Catalogue,
    CatalogueError,
    FileRecord,
    PageRecord,
    PositionRecord,
    PressReleaseRecord,
    PublicationRecord,
)

COLLECTION_NAME = "Catalogue"


@dataclass
class ImportReport:
    """What an import did, counted per kind of record."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{sum(self.created.values())} created, {sum(self.updated.values())} updated, "
            f"{sum(self.unchanged.values())} unchanged, {len(self.warnings)} warning(s)"
        )


Progress = Callable[[str], None]


class _Importer:
    def __init__(self, site: Site, demo_files: bool, progress: Progress):
        self.site = site
        self.locale = Locale.get_default()
        self.demo_files = demo_files
        self.progress = progress
        self.report = ImportReport()
        self._collection: Collection | None = None

    # -- references -----------------------------------------------------------------------

    def index_page(self, model: type[Page], label: str) -> Page:
        root = self.site.root_page
        index = model.objects.child_of(root).filter(locale=self.locale).first()
        if index is None:
            raise CatalogueError(
                str(self.site),
                [
                    f"the site {self.site.hostname} has no {label} page under its home page "
                    f"«{root.title}»: create one in the admin (or run `manage.py demo_load`)."
                ],
            )
        return index

    def check_references(self, catalogue: Catalogue) -> None:
        """Every topic and project a record names must exist, in the file or already."""
        known_topics = {t.key for t in catalogue.topics} | set(
            Topic.objects.filter(locale=self.locale).values_list("slug", flat=True)
        )
        known_projects = {p.key for p in catalogue.projects} | set(
            Project.objects.filter(locale=self.locale).values_list("slug", flat=True)
        )
        problems = []
        sections = [
            ("projects", catalogue.projects),
            ("publications", catalogue.publications),
            ("positions", catalogue.positions),
            ("press_releases", catalogue.press_releases),
        ]
        for section, records in sections:
            for index, record in enumerate(records):
                where = f"{section}[{index}] «{getattr(record, 'title', record.key)[:60]}»"
                for slug in record.topics:
                    if slug not in known_topics:
                        problems.append(
                            f"{where}: field 'topics': no topic {slug!r}; add it to the file's "
                            "topics or in the admin (Taxonomies > Topics)."
                        )
                project = getattr(record, "project", "")
                if project and project not in known_projects:
                    problems.append(
                        f"{where}: field 'project': no project {project!r}; add it to the "
                        "file's projects or in the admin (Taxonomies > Projects)."
                    )
        if problems:
            raise CatalogueError("catalogue", problems)

    # -- snippets -------------------------------------------------------------------------

    def upsert_snippet(self, model, kind: str, key: str, values: dict, topics=None):
        obj = model.objects.filter(locale=self.locale, slug=key).first()
        created = obj is None
        if created:
            obj = model(locale=self.locale, slug=key)
        changed = created or any(getattr(obj, name) != value for name, value in values.items())
        for name, value in values.items():
            setattr(obj, name, value)
        if changed:
            obj.full_clean()
            obj.save()
        if topics is not None:
            wanted = set(Topic.objects.filter(locale=self.locale, slug__in=topics))
            if set(obj.topics.all()) != wanted:
                obj.topics.set(wanted)
                changed = True
        self._count(kind, created, changed)
        return obj

    def _count(self, kind: str, created: bool, changed: bool) -> None:
        if created:
            self.report.created[kind] += 1
        elif changed:
            self.report.updated[kind] += 1
        else:
            self.report.unchanged[kind] += 1

    # -- pages ----------------------------------------------------------------------------

    def upsert_page(self, index: Page, model: type[Page], record: PageRecord, kind: str) -> Page:
        page = model.objects.child_of(index).filter(import_key=record.key).first()
        created = page is None
        if created:
            page = model(
                import_key=record.key,
                locale=self.locale,
                slug=self._free_slug(index, record.key),
            )
        elif page.has_unpublished_changes:
            # An editor's draft would be overwritten by the imported revision: leave it to them.
            self.report.warnings.append(
                f"{kind} «{record.title[:60]}» (key {record.key!r}) was not updated: its page has "
                "unpublished changes in the admin. Publish or discard them, then import again."
            )
            self.report.unchanged[kind] += 1
            return page
        values = self.page_values(record)
        changed = created or any(getattr(page, name) != value for name, value in values.items())
        for name, value in values.items():
            setattr(page, name, value)
        changed |= self.set_relations(page, record)
        changed |= self.set_files(page, record, kind)
        if created:
            index.add_child(instance=page)
        if changed:
            page.save_revision(log_action=True).publish(log_action=True)
        self._count(kind, created, changed)
        return page

    def page_values(self, record: PageRecord) -> dict:
        values = {
            "title": record.title,
            "date": record.date,
            "date_precision": record.date_precision,
            "source_url": record.source_url,
        }
        if record.summary:
            # Only a record that brings a summary manages it: editors may write their own.
            values["summary"] = RichText(record.summary).source
        if isinstance(record, PublicationRecord):
            values |= {
                "subtitle": record.subtitle,
                "publication_type": record.publication_type,
                "project": Project.objects.filter(locale=self.locale, slug=record.project).first()
                if record.project
                else None,
                "page_count": record.page_count,
            }
        elif isinstance(record, PositionRecord):
            values |= {"kind": record.kind, "place": record.place}
        return values

    def set_relations(self, page: Page, record: PageRecord) -> bool:
        """Set topics, ISBNs and authors; True if any of them changed."""
        changed = False
        current_topics = sorted(t.slug for t in page.topics.all())
        if current_topics != sorted(record.topics):
            page.topics = list(Topic.objects.filter(locale=self.locale, slug__in=record.topics))
            changed = True
        if isinstance(record, PublicationRecord):
            isbns = [(i.isbn, i.note) for i in page.isbns.all()]
            if isbns != record.isbns:
                page.isbns = [PublicationIsbn(isbn=isbn, note=note) for isbn, note in record.isbns]
                changed = True
            authors = [a.name for a in page.authors.all()]
            if authors != record.authors:
                page.authors = [PublicationAuthor(name=name) for name in record.authors]
                changed = True
        return changed

    def set_files(self, page: Page, record: PageRecord, kind: str) -> bool:
        """Add a download per language that has none yet; True if one was added."""
        if isinstance(record, PressReleaseRecord):
            return False
        download_model = PublicationDownload if kind == "publication" else PositionDownload
        # Work on a list and assign it back: modelcluster serializes the page's in-memory
        # children into the revision, not rows changed behind its back.
        downloads = list(page.downloads.all())
        by_language = {d.language: d for d in downloads}
        added = False
        missing_demo = []
        for file in record.files:
            existing = by_language.get(file.language)
            if file.path is not None:
                data = file.path.read_bytes()
                if existing and existing.document.file_hash == hash_filelike(BytesIO(data)):
                    continue
                document = self.document(record, file, data, file.path.name)
            elif existing:
                continue
            elif self.demo_files:
                data = demo_files.demo_pdf(record.title, file.language, kind.replace("_", " "))
                document = self.document(
                    record, file, data, f"{record.key[:60]}-{file.language}.pdf"
                )
            else:
                missing_demo.append(file.language)
                continue
            if existing:
                existing.document = document
            else:
                downloads.append(
                    download_model(language=file.language, document=document, label=file.label)
                )
            added = True
        if added:
            page.downloads = downloads
        if missing_demo:
            self.report.warnings.append(
                f"{kind} «{record.title[:60]}»: no file for {', '.join(missing_demo)}; add the "
                "files in the admin under Downloads (or import with --demo-files)."
            )
        if self.demo_files and isinstance(page, PublicationPage) and page.cover_image_id is None:
            page.cover_image = self.cover(record)
            added = True
        return added

    # -- files ----------------------------------------------------------------------------

    @property
    def collection(self) -> Collection:
        if self._collection is None:
            root = Collection.get_first_root_node()
            self._collection = root.get_children().filter(
                name=COLLECTION_NAME
            ).first() or root.add_child(name=COLLECTION_NAME)
        return self._collection

    def document(self, record: PageRecord, file: FileRecord, data: bytes, name: str) -> Document:
        document = Document(
            title=f"{record.title[:230]} ({file.language})",
            collection=self.collection,
            file_size=len(data),
            file_hash=hash_filelike(BytesIO(data)),
        )
        document.file.save(name, ContentFile(data), save=False)
        document.save()
        return document

    def cover(self, record: PublicationRecord) -> Image:
        data = demo_files.demo_cover(record.title, record.subtitle)
        # An ImageFile (unlike a ContentFile) fills in the width and height fields.
        return Image.objects.create(
            title=f"Cover: {record.title[:240]}",
            collection=self.collection,
            file=ImageFile(BytesIO(data), name=f"cover-{record.key[:60]}.png"),
            file_size=len(data),
            file_hash=hash_filelike(BytesIO(data)),
        )

    def _free_slug(self, index: Page, base: str) -> str:
        taken = set(index.get_children().values_list("slug", flat=True))
        slug, n = base[:80].strip("-") or "untitled", 2
        while slug in taken:
            slug, n = f"{base[:76].strip('-')}-{n}", n + 1
        return slug

    # -- the whole file -------------------------------------------------------------------

    def run(self, catalogue: Catalogue) -> ImportReport:
        self.check_references(catalogue)
        needs = {
            "publications": (PublicationIndexPage, "publication catalogue"),
            "positions": (PositionIndexPage, "positions index"),
            "press_releases": (PressReleaseIndexPage, "press releases index"),
        }
        indexes = {
            section: self.index_page(*needs[section])
            for section in needs
            if getattr(catalogue, section)
        }
        for topic in catalogue.topics:
            self.upsert_snippet(
                Topic, "topic", topic.key, {"name": topic.name, "description": topic.description}
            )
        for project in catalogue.projects:
            values = {
                "acronym": project.acronym,
                "name": project.name,
                "start_year": project.start_year,
                "end_year": project.end_year,
                "url": project.url,
            }
            self.upsert_snippet(Project, "project", project.key, values, topics=project.topics)
        for member in catalogue.members:
            values = {"name": member.name, "kind": member.kind, "country": member.country}
            self.upsert_snippet(Member, "member", member.key, values)
        page_sections = [
            ("publications", PublicationPage, "publication"),
            ("positions", PositionPaperPage, "position"),
            ("press_releases", PressReleasePage, "press_release"),
        ]
        for section, model, kind in page_sections:
            records = getattr(catalogue, section)
            for number, record in enumerate(records, start=1):
                self.upsert_page(indexes[section], model, record, kind)
                if number % 10 == 0 or number == len(records):
                    self.progress(f"{section}: {number}/{len(records)}")
        return self.report


def import_catalogue(
    catalogue: Catalogue,
    *,
    site: Site,
    demo_files: bool = False,
    progress: Progress = lambda message: None,
) -> ImportReport:
    """Import a checked catalogue into `site`, all or nothing; raise CatalogueError on a problem."""
    with transaction.atomic():
        return _Importer(site, demo_files, progress).run(catalogue)


__all__ = ["ImportReport", "import_catalogue"]
