"""No N+1: a list field costs as many SQL queries for 100 items as for 10, and few of them.

Every item has what makes a list expensive: topics, files in three languages, a cover image
with renditions, related items, a translation, authors, ISBNs, signatories. Each field is asked
for with its full selection, once to warm up (renditions, Wagtail's caches), then measured.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Page
from wagtail_factories import DocumentFactory, ImageFactory

from cms.factories import MemberFactory, ProjectFactory, TopicFactory, make_home_page
from cms.models import DatePrecision, Topic
from positions.factories import (
    PositionIndexPageFactory,
    PositionPaperPageFactory,
    PressReleaseIndexPageFactory,
    PressReleasePageFactory,
)
from positions.models import (
    PositionDownload,
    PositionPaperPage,
    PositionRelatedPublication,
    PositionSignatory,
    PressReleaseAttachment,
    PressReleasePage,
    PressReleaseRelatedPosition,
    PressReleaseRelatedPublication,
)
from publications.factories import PublicationIndexPageFactory, PublicationPageFactory
from publications.models import (
    PublicationAuthor,
    PublicationDownload,
    PublicationIsbn,
    PublicationPage,
    RelatedPublication,
)

from .worlds import rolled_back, without_query_limits  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

ITEMS = 100
FEW = 10
# Enough for the list, its count, each prefetch and the translations; a query per item would
# show at once.
MAX_LIST_QUERIES = 15
MAX_TOPICS_QUERIES = 3
TOPICS = {"fr": 5, "en": 50}
LANGUAGES = ["en", "fr", "de"]

LINK = "id title slug url urlPath locale"
PAGE_SCALARS = """
    id title slug contentType pageType live url urlPath depth seoTitle searchDescription
    showInMenus locked firstPublishedAt lastPublishedAt locale
    date datePrecision displayDate year
"""
FILE_FIELDS = "id language label title url fileSize mimeType fileExtension"
PAGINATION = "pagination { total count perPage currentPage totalPages nextPage prevPage }"
TOPIC_FIELDS = "topics { id name slug description locale }"
TRANSLATIONS = "translations { locale url }"

LIST_QUERIES = {
    "publications": f"""query ($perPage: Int!) {{ publications(perPage: $perPage) {{
        items {{
            {PAGE_SCALARS} subtitle type summary pageCount isbn
            coverImage {{
                id title width height url
                rendition(width: 320) {{ url width height }} srcSet(sizes: [320, 640])
            }}
            {TOPIC_FIELDS}
            project {{ id acronym name slug startYear endYear url }}
            authors {{ name affiliation }}
            isbns {{ isbn note normalized }}
            downloads {{ {FILE_FIELDS} }}
            relatedPublications {{ {LINK} }}
            {TRANSLATIONS}
        }}
        {PAGINATION}
    }} }}""",
    "positionPapers": f"""query ($perPage: Int!) {{ positionPapers(perPage: $perPage) {{
        items {{
            {PAGE_SCALARS} kind place summary
            {TOPIC_FIELDS}
            signatories {{ id name slug kind country }}
            downloads {{ {FILE_FIELDS} }}
            relatedPublications {{ {LINK} }}
            {TRANSLATIONS}
        }}
        {PAGINATION}
    }} }}""",
    "pressReleases": f"""query ($perPage: Int!) {{ pressReleases(perPage: $perPage) {{
        items {{
            {PAGE_SCALARS} summary mediaContactName mediaContactEmail mediaContactPhone
            {TOPIC_FIELDS}
            attachments {{ {FILE_FIELDS} }}
            relatedPositions {{ {LINK} }}
            relatedPublications {{ {LINK} }}
            {TRANSLATIONS}
        }}
        {PAGINATION}
    }} }}""",
}
TREE_QUERIES = {
    tree_field: f"""query ($id: ID!, $limit: Int!) {{ page(id: $id) {{
        {tree_field}(limit: $limit) {{ {LINK} }}
    }} }}"""
    for tree_field in ("children", "descendants")
}
TOPICS_QUERY = """query ($locale: String) {
    topics(locale: $locale) { id name slug description locale liveItemCount }
}"""


@dataclass(frozen=True)
class Measure:
    """The SQL queries of one answer, warmed up."""

    count: int
    sql: list[str]
    answer: dict[str, Any]


def measure(query: str, variables: dict) -> Measure:
    client = Client()
    data = {"query": query, "variables": variables}
    # The first answer creates the renditions and fills Wagtail's caches.
    client.post("/graphql/", data, content_type="application/json")
    with CaptureQueriesContext(connection) as captured:
        response = client.post("/graphql/", data, content_type="application/json")
    return Measure(len(captured), [q["sql"] for q in captured], response.json())


def catalogue(home, index_factory, page_factory, locale: Locale, count: int, **fields) -> list:
    """`count` live pages under a new index, each with a live translation in `locale`."""
    index = index_factory(parent=home)
    french = index.copy_for_translation(locale, copy_parents=True)
    ancestors = french.get_ancestors().values_list("pk", flat=True)
    Page.objects.filter(pk__in=[french.pk, *ancestors]).update(live=True)
    pages = []
    for number in range(count):
        page = page_factory(
            parent=index,
            date=datetime.date(2024, 1, 1) + datetime.timedelta(days=number),
            date_precision=DatePrecision.DAY,
            summary="<p>A <b>summary</b>.</p>",
            **fields,
        )
        page_factory(
            parent=french,
            locale=french.locale,
            translation_key=page.translation_key,
            slug=page.slug,
            title=f"{page.title} (fr)",
            date=page.date,
            date_precision=DatePrecision.DAY,
        )
        pages.append(page)
    return pages


def tag(pages: list, topics: list[Topic]) -> None:
    through = type(pages[0]).topics.through
    field = type(pages[0])._meta.model_name
    through.objects.bulk_create(
        [through(**{field: page, "topic": topic}) for page in pages for topic in topics]
    )


def files(model, pages: list, documents: list) -> None:
    model.objects.bulk_create(
        [
            model(page=page, language=language, document=document, sort_order=number)
            for page in pages
            for number, (language, document) in enumerate(zip(LANGUAGES, documents, strict=True))
        ]
    )


def neighbours(pages: list) -> Iterator[tuple[Any, Any]]:
    """Each page and the two pages after it (round the list)."""
    for number, page in enumerate(pages):
        for step in (1, 2):
            yield page, pages[(number + step) % len(pages)]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[None]:
    """ITEMS publications, position papers and press releases with everything they can have."""
    with rolled_back(django_db_blocker):
        build_world()
        yield


def build_world() -> None:
    french, _ = Locale.objects.get_or_create(language_code="fr")
    home = make_home_page()
    topics = [TopicFactory(name=f"Topic {n:02}") for n in range(TOPICS["en"])]
    for number in range(TOPICS["fr"]):
        TopicFactory(name=f"Thème {number}", locale=french)
    documents = [
        DocumentFactory(title=f"Report ({language})", file__filename=f"report-{language}.pdf")
        for language in LANGUAGES
    ]
    covers = [ImageFactory(title=f"Cover {n}") for n in range(3)]
    project = ProjectFactory()
    members = [MemberFactory() for _ in range(3)]

    publications = [
        *catalogue(
            home,
            PublicationIndexPageFactory,
            PublicationPageFactory,
            french,
            ITEMS,
            project=project,
            subtitle="A subtitle",
            page_count=48,
        )
    ]
    for number, publication in enumerate(publications):
        PublicationPage.objects.filter(pk=publication.pk).update(cover_image=covers[number % 3])
    positions = catalogue(
        home, PositionIndexPageFactory, PositionPaperPageFactory, french, ITEMS, place="Lyon"
    )
    press_releases = catalogue(
        home,
        PressReleaseIndexPageFactory,
        PressReleasePageFactory,
        french,
        ITEMS,
        media_contact_name="Press office",
        media_contact_email="press@example.org",
    )
    for pages in (publications, positions, press_releases):
        tag(pages, topics[:2])
    files(PublicationDownload, publications, documents)
    files(PositionDownload, positions, documents)
    files(PressReleaseAttachment, press_releases, documents)
    PublicationAuthor.objects.bulk_create(
        PublicationAuthor(page=page, name=name, affiliation="Efus", sort_order=number)
        for page in publications
        for number, name in enumerate(["A. Author", "B. Author"])
    )
    PublicationIsbn.objects.bulk_create(
        PublicationIsbn(page=page, isbn="978-2-913181-55-7", sort_order=0) for page in publications
    )
    RelatedPublication.objects.bulk_create(
        RelatedPublication(page=page, publication=other) for page, other in neighbours(publications)
    )
    PositionSignatory.objects.bulk_create(
        PositionSignatory(page=page, member=member) for page in positions for member in members
    )
    PositionRelatedPublication.objects.bulk_create(
        PositionRelatedPublication(page=page, publication=publications[n])
        for n, page in enumerate(positions)
    )
    PressReleaseRelatedPosition.objects.bulk_create(
        PressReleaseRelatedPosition(page=page, position=other)
        for page, other in zip(press_releases, positions, strict=True)
    )
    PressReleaseRelatedPublication.objects.bulk_create(
        PressReleaseRelatedPublication(page=page, publication=other)
        for page, other in zip(press_releases, publications, strict=True)
    )
    assert PositionPaperPage.objects.live().count() == PressReleasePage.objects.live().count()


@pytest.fixture(scope="module")
def measures(world) -> dict[tuple[str, int], Measure]:
    """Each list field with FEW and ITEMS items a page, measured once for the module."""
    cached: dict[tuple[str, int], Measure] = {}

    def get(field: str, per_page: int) -> Measure:
        if (field, per_page) not in cached:
            cached[field, per_page] = measure(LIST_QUERIES[field], {"perPage": per_page})
        return cached[field, per_page]

    return get


@pytest.mark.parametrize("field", list(LIST_QUERIES))
def test_list_gives_every_item_with_its_relations(measures, field) -> None:
    answer = measures(field, ITEMS).answer

    assert "errors" not in answer
    items = answer["data"][field]["items"]
    assert len(items) == ITEMS
    assert all(item["topics"] and item["translations"] for item in items)


@pytest.mark.parametrize("field", list(LIST_QUERIES))
def test_list_costs_as_many_queries_for_100_items_as_for_10(measures, field) -> None:
    few, many = measures(field, FEW), measures(field, ITEMS)

    assert many.count == few.count, "\n".join(many.sql)


@pytest.mark.parametrize("field", list(LIST_QUERIES))
def test_list_costs_few_queries(measures, field) -> None:
    many = measures(field, ITEMS)

    assert many.count <= MAX_LIST_QUERIES, "\n".join(many.sql)


def test_topics_cost_as_many_queries_for_50_topics_as_for_5(world) -> None:
    few = measure(TOPICS_QUERY, {"locale": "fr"})
    many = measure(TOPICS_QUERY, {"locale": "en"})

    assert [len(few.answer["data"]["topics"]), len(many.answer["data"]["topics"])] == [
        TOPICS["fr"],
        TOPICS["en"],
    ]
    assert many.count == few.count, "\n".join(many.sql)


def test_topics_cost_few_queries(world) -> None:
    many = measure(TOPICS_QUERY, {"locale": "en"})

    assert many.count <= MAX_TOPICS_QUERIES, "\n".join(many.sql)


@pytest.mark.parametrize("tree_field", list(TREE_QUERIES))
def test_tree_list_costs_as_many_queries_for_100_pages_as_for_10(world, tree_field) -> None:
    index = PublicationPage.objects.first().get_parent()
    query = TREE_QUERIES[tree_field]

    few = measure(query, {"id": index.pk, "limit": FEW})
    many = measure(query, {"id": index.pk, "limit": ITEMS})

    assert len(many.answer["data"]["page"][tree_field]) == ITEMS
    assert many.count == few.count, "\n".join(many.sql)
