"""Synthetic catalogues of N publications, seeded once per database and seed version.

Fast paths, measured: pages are written with bulk inserts (their tree paths computed here, as
treebeard's add_child would, one query per batch instead of several per page); the covers
are a pool of a few dozen images with their allowlisted renditions made up front
(cms/renditions.py), so no timing includes a resize; the PDFs are a pool of small generated
files shared by the Document rows (three languages per publication). Titles, summaries and
bodies are deterministic and word-rich in several languages, so search finds something.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import random
import time
import uuid
from collections.abc import Callable
from io import BytesIO

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page
from wagtail.search.backends import get_search_backend

from catalogue.demo import ensure_child, ensure_locales, ensure_site
from catalogue.demo_files import demo_cover, demo_pdf
from cms.models import Project, Topic
from cms.renditions import make_allowed_renditions
from publications.models import (
    PublicationAuthor,
    PublicationDownload,
    PublicationIndexPage,
    PublicationPage,
    PublicationType,
)

from . import config

Say = Callable[[str], None]
COVERS = 24
PDFS_PER_LANGUAGE = 6
BATCH = 500

TOPICS = [
    "Drugs", "Radicalisation", "Public spaces", "Police", "Prevention", "Nightlife",
    "Victims", "Cybersecurity", "Youth", "Gender-based violence", "Urban planning",
    "Community policing", "Video surveillance", "Festivals and events", "Polarisation",
    "Hate crime", "Migration", "Trafficking", "Sport and security", "Mediation",
    "Restorative justice", "Homelessness", "Alcohol", "Firearms", "Juvenile justice",
    "Safety audits", "Local partnerships", "Citizen participation", "Terrorism", "Crime data",
]  # fmt: skip
PROJECTS = [
    ("PACTESUR", "Protecting Allied Cities against Terrorism"),
    ("BRIDGE", "Building resilience to reduce polarisation and growing extremism"),
    ("ICARUS", "Innovative approaches to urban security"),
    ("LIAISE", "Local institutions against extremism"),
    ("PREPARE", "Preventing radicalisation in prisons"),
    ("SafeCities", "Safe and inclusive public spaces"),
    ("DRUGS-LAB", "Local drug policies laboratory"),
    ("NIGHTS", "Night-time economy and safety"),
    ("CoPPRa", "Community policing and prevention of radicalisation"),
    ("EFUS-Data", "Crime data for cities"),
]
CITIES = [
    "Barcelona", "Lisbon", "Brussels", "Liège", "Paris", "Nice", "Bordeaux", "Turin",
    "Bologna", "Naples", "Madrid", "Zaragoza", "Seville", "Berlin", "Hamburg", "Düsseldorf",
    "Rotterdam", "Ghent", "Leuven", "Porto", "Montreal", "Aubervilliers", "Stockholm",
    "Malmö", "Warsaw", "Vienna", "Graz", "Ljubljana", "Athens", "Helsinki",
]  # fmt: skip
SUBJECTS = [
    "drug prevention", "police cooperation", "radicalisation prevention", "urban security",
    "safety of public spaces", "crime prevention", "youth violence", "nightlife safety",
    "community policing", "video surveillance", "victim support", "drug policy",
    "security in cities", "polarisation", "hate crime", "social mediation",
]  # fmt: skip
OPENINGS = [
    "A guide to", "Evaluating", "Rethinking", "Local strategies for", "Cities and",
    "Preventing harm in", "Policies for", "Lessons on", "A handbook of", "Mayors and",
]  # fmt: skip
PHRASES = [
    "Local authorities in European cities share their practices of crime prevention.",
    "The police and municipal services work with residents on the security of public spaces.",
    "Prevention programmes reduce drug-related harm and support people who use drugs.",
    "Radicalisation leading to violent extremism is addressed by local prevention networks.",
    "Mayors, police officers and social workers describe their partnerships in the cities.",
    "The report evaluates video surveillance, street lighting and urban design.",
    "Youth workers and mediators prevent violence in neighbourhoods and schools.",
    "Nightlife districts need safety plans shared by police, venues and health services.",
    "Victims of crime are supported by local services and restorative justice schemes.",
    "Security policies in cities are evaluated with crime data and residents' surveys.",
    "La prévention de la délinquance et la sécurité urbaine dans les villes européennes.",
    "La police municipale et les médiateurs sociaux contre la radicalisation violente.",
    "La prevención de la violencia y la seguridad urbana en las ciudades españolas.",
    "Políticas locales sobre drogas y la policía local en los barrios.",
    "Prävention von Radikalisierung und Sicherheit in den Städten Europas.",
    "Die Polizei und die Kommunen arbeiten gemeinsam an der Drogenprävention.",
    "La sicurezza urbana e la prevenzione della criminalità nelle città italiane.",
    "A prevenção da criminalidade e a segurança urbana nas cidades portuguesas.",
]  # fmt: skip
AUTHORS = [
    "Elizabeth Johnston", "Pilar De La Torre", "Carla Napolano", "Moritz Konradi",
    "Juan Carlos Ruiz", "Sébastien Martin", "Anna Kowalska", "Jan Peeters",
]  # fmt: skip
OTHER_LANGUAGES = ["fr", "es", "de", "it", "pt", "nl", "pl"]


# --- Markers: a database seeded under this SEED_VERSION is reused ---------------------------


def _marker_path():
    return config.BENCH_DIR / "seeded" / f"{config.database_key()}.json"


def read_marker() -> dict | None:
    try:
        marker = json.loads(_marker_path().read_text())
    except (FileNotFoundError, ValueError):
        return None
    if marker.get("seed_version") != config.SEED_VERSION:
        return None
    return marker


def write_marker(marker: dict) -> None:
    path = _marker_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(marker, indent=2))


def is_seeded(n: int) -> bool:
    marker = read_marker()
    # In the default locale: the item pages (benchmarks/items.py) add translations.
    return bool(marker) and PublicationPage.objects.filter(locale=Locale.get_default()).count() == n


# --- Building blocks --------------------------------------------------------------------------


def _words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(PHRASES) for _ in range(count))


def _title(i: int, rng: random.Random) -> str:
    return f"{rng.choice(OPENINGS)} {rng.choice(SUBJECTS)} in {rng.choice(CITIES)} ({i + 1})"


def _date(rng: random.Random) -> tuple[datetime.date | None, str]:
    roll = rng.random()
    if roll < 0.1:
        return None, "day"
    year = rng.randint(2000, 2025)
    if roll < 0.4:
        return datetime.date(year, 1, 1), "year"
    if roll < 0.6:
        return datetime.date(year, rng.randint(1, 12), 1), "month"
    return datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)), "day"


def _taxonomies(locale: Locale) -> tuple[list[Topic], list[Project]]:
    topics = Topic.objects.bulk_create(
        Topic(name=name, slug=slugify(name), locale=locale, translation_key=uuid.uuid4())
        for name in TOPICS
    )
    projects = Project.objects.bulk_create(
        Project(
            acronym=acronym,
            name=name,
            slug=slugify(acronym),
            locale=locale,
            translation_key=uuid.uuid4(),
            start_year=2016,
            end_year=2024,
        )
        for acronym, name in PROJECTS
    )
    return topics, projects


def _covers(count: int) -> list:
    """A pool of cover images, each with every allowlisted rendition already made."""
    Image = get_image_model()
    images = []
    for i in range(count):
        title = f"{SUBJECTS[i % len(SUBJECTS)].capitalize()}: cover {i + 1}"
        image = Image(
            title=title,
            description=f"Cover of a publication on {SUBJECTS[i % len(SUBJECTS)]}",
            file=ImageFile(BytesIO(demo_cover(title)), name=f"bench-cover-{i + 1}.png"),
        )
        image.save()
        make_allowed_renditions(image)
        images.append(image)
    return images


def _pdf_pool() -> dict[str, list[tuple[str, int, str]]]:
    """(stored name, size, sha1) of a few small PDFs per language, shared by many documents."""
    pool: dict[str, list[tuple[str, int, str]]] = {}
    for language in ["en", *OTHER_LANGUAGES]:
        pool[language] = []
        for i in range(PDFS_PER_LANGUAGE):
            data = demo_pdf(f"{SUBJECTS[i].capitalize()}: {PHRASES[i]}", language)
            name = default_storage.save(f"documents/bench-{language}-{i}.pdf", ContentFile(data))
            pool[language].append((name, len(data), hashlib.sha1(data).hexdigest()))
    return pool


def _pages(n: int, index: Page, locale: Locale, rng: random.Random) -> list[dict]:
    """The data of n publications, in a plain form the bulk writers below consume."""
    records = []
    for i in range(n):
        title = _title(i, rng)
        date, precision = _date(rng)
        records.append(
            {
                "title": title,
                "slug": f"{slugify(title)[:60]}-{i + 1}",
                "subtitle": rng.choice(PHRASES)[:200],
                "type": rng.choice(PublicationType.values),
                "date": date,
                "precision": precision,
                "summary": f"<p>{_words(rng, 2)}</p>",
                "body": [
                    {"type": "heading", "value": {"text": rng.choice(SUBJECTS), "level": "h2"}},
                    *({"type": "paragraph", "value": f"<p>{_words(rng, 3)}</p>"} for _ in range(3)),
                ],
                "topics": rng.sample(range(len(TOPICS)), rng.randint(1, 4)),
                "project": rng.randrange(len(PROJECTS)) if rng.random() < 0.6 else None,
                "cover": rng.randrange(COVERS),
                "languages": ["en", *rng.sample(OTHER_LANGUAGES, 2)],
                "authors": rng.sample(AUTHORS, rng.randint(1, 2)),
                "pdf": rng.randrange(PDFS_PER_LANGUAGE),
            }
        )
    return records


def _write_pages(records, index, locale, topics, projects, covers, pdfs) -> list[int]:
    """Insert the pages and their relations in batches; returns the new pages' ids."""
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(PublicationPage)
    Document = get_document_model()
    collection = Collection.get_first_root_node()
    Through = PublicationPage.topics.through
    child_fields = PublicationPage._meta.local_concrete_fields
    ids: list[int] = []
    for start in range(0, len(records), BATCH):
        batch = records[start : start + BATCH]
        pages = Page.objects.bulk_create(
            Page(
                title=r["title"],
                draft_title=r["title"],
                slug=r["slug"],
                content_type=content_type,
                # Where treebeard's add_child would put the (start + k + 1)th child.
                path=Page._get_path(index.path, index.depth + 1, start + k + 1),
                depth=index.depth + 1,
                numchild=0,
                url_path=f"{index.url_path}{r['slug']}/",
                live=True,
                has_unpublished_changes=False,
                first_published_at=now,
                last_published_at=now,
                locale=locale,
                translation_key=uuid.uuid4(),
            )
            for k, r in enumerate(batch)
        )
        publications = [
            PublicationPage(
                page_ptr_id=page.pk,
                subtitle=r["subtitle"],
                publication_type=r["type"],
                date=r["date"],
                date_precision=r["precision"],
                summary=r["summary"],
                body=r["body"],
                cover_image=covers[r["cover"] % len(covers)],
                project=projects[r["project"]] if r["project"] is not None else None,
                page_count=20 + len(r["title"]),
            )
            for page, r in zip(pages, batch, strict=True)
        ]
        # Django's bulk_create refuses multi-table inheritance: the child rows go in directly.
        PublicationPage.objects._insert(publications, fields=child_fields)
        Through.objects.bulk_create(
            Through(publicationpage_id=page.pk, topic_id=topics[t].pk)
            for page, r in zip(pages, batch, strict=True)
            for t in r["topics"]
        )
        PublicationAuthor.objects.bulk_create(
            PublicationAuthor(page_id=page.pk, sort_order=k, name=name, affiliation="Efus")
            for page, r in zip(pages, batch, strict=True)
            for k, name in enumerate(r["authors"])
        )
        documents = Document.objects.bulk_create(
            Document(
                title=f"{r['title']} ({language})",
                file=pdfs[language][r["pdf"]][0],
                file_size=pdfs[language][r["pdf"]][1],
                file_hash=pdfs[language][r["pdf"]][2],
                collection=collection,
            )
            for r in batch
            for language in r["languages"]
        )
        documents_iter = iter(documents)
        PublicationDownload.objects.bulk_create(
            PublicationDownload(
                page_id=page.pk, sort_order=k, language=language, document=next(documents_iter)
            )
            for page, r in zip(pages, batch, strict=True)
            for k, language in enumerate(r["languages"])
        )
        ids.extend(page.pk for page in pages)
    Page.objects.filter(pk=index.pk).update(numchild=len(records))
    return ids


def _index_wagtail_search(ids: list[int]) -> None:
    """Stock Wagtail's database search index over the same pages: the search anchor's data."""
    backend = get_search_backend()
    for start in range(0, len(ids), BATCH):
        chunk = list(PublicationPage.objects.filter(pk__in=ids[start : start + BATCH]))
        backend.add_bulk(PublicationPage, chunk)


# --- The whole seed ---------------------------------------------------------------------------


def seed(n: int, say: Say) -> dict:
    """Seed a freshly migrated database with a catalogue of n publications; returns timings."""
    if PublicationPage.objects.exists():
        raise RuntimeError(
            f"{config.database_key()} holds publications but no seed marker: delete it "
            "(rm var/bench/db-*.sqlite3, or drop the cms_bench_* databases) and run again."
        )
    timings: dict[str, float] = {}
    rng = random.Random(20240320)
    started = time.perf_counter()
    with transaction.atomic():
        ensure_locales()
        site = ensure_site("localhost", "European Forum for Urban Security", "", default=True)
        index = ensure_child(site.root_page, PublicationIndexPage, "Publications", "publications")
        locale = Locale.get_default()
        topics, projects = _taxonomies(locale)
    timings["site_and_taxonomies"] = time.perf_counter() - started

    mark = time.perf_counter()
    covers = _covers(min(COVERS, n))  # a tiny catalogue (the smoke test) needs fewer
    timings["covers_and_renditions"] = time.perf_counter() - mark
    mark = time.perf_counter()
    pdfs = _pdf_pool()
    timings["pdfs"] = time.perf_counter() - mark

    mark = time.perf_counter()
    records = _pages(n, index, locale, rng)
    index.refresh_from_db()
    with transaction.atomic():
        ids = _write_pages(records, index, locale, topics, projects, covers, pdfs)
    timings["pages"] = time.perf_counter() - mark
    say(f"  {n} publications written in {timings['pages']:.1f}s")

    mark = time.perf_counter()
    _index_wagtail_search(ids)
    timings["wagtail_search_index"] = time.perf_counter() - mark
    say(f"  Wagtail's database search index filled in {timings['wagtail_search_index']:.1f}s")
    timings["total"] = time.perf_counter() - started
    return timings
