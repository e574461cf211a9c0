"""The pages every site is built of: the base page, each site's home page, and the dated,
topical page of the catalogue with its QuerySet."""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from grapple.models import GraphQLInt, GraphQLStreamfield, GraphQLString
from grapple.types.rich_text import RichText as RichTextScalar
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Collection, Page, PageManager, Site
from wagtail.query import PageQuerySet
from wagtail_headless_preview.models import HeadlessPreviewMixin, get_client_root_url_from_site

from ..api.fields import GraphQLLimitedList, GraphQLList
from ..blocks import BaseStreamBlock
from ..frontend_preview import frontend_answers
from ..indexes import NewestFirstIndex
from ..inline_rows import InlinePlan, compile_inline, inline_prefetches, json_rows
from ..page_forms import CmsPageForm
from ..prefetch import Wanted, topics_prefetch, wanted_lookups
from ..translation_notice import TranslationNotice
from ..visibility import (
    file_is_public,
    page_is_public,
    public_pages,
    public_rich_text,
    public_stream,
)
from .dates import DatePrecision

SUMMARY_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class BasePage(HeadlessPreviewMixin, Page):
    """Every page of the project: headless, so its public URL and its previews are on the
    site's front end."""

    base_form_class = CmsPageForm

    # On a translated page, first of all: the fields still as in the source locale.
    content_panels = [TranslationNotice(), *Page.content_panels]

    # seoTitle, searchDescription, url, ... come with grapple's PageInterface.
    graphql_fields: list = []

    class Meta:
        abstract = True

    def get_template(self, request, *args, **kwargs):
        # Serving pages from Django is only a fallback (a site with no front end configured).
        # A `template` attribute would not do: Wagtail gives each page class its own default.
        return "cms/page.html"

    def serve_preview(self, request: HttpRequest, preview_mode: str):
        """The front end's preview when it answers; else the draft rendered from templates/."""
        root_url = self.get_client_root_url(request)
        if frontend_answers(root_url):
            return super().serve_preview(request, preview_mode)
        request.preview_frontend_down = root_url  # read by get_context, shown by the template
        return Page.serve_preview(self, request, preview_mode)

    def get_context(self, request, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["preview_frontend_down"] = getattr(request, "preview_frontend_down", None)
        return context

    def get_client_root_url(self, request: HttpRequest) -> str:
        # The preview's front end is that of the page's site. The mixin would read the site off
        # the request, but the admin serves every site, and its preview request carries the
        # host of the page's front end, which may match another site or none at all.
        return get_client_root_url_from_site(self.get_site() or Site.find_for_request(request))

    def get_url_parts(self, request=None):
        url_parts = super().get_url_parts(request=request)
        if url_parts is None:
            return None
        site_id, root_url, page_path = url_parts
        frontend = settings.FRONTEND_URLS.get(urlsplit(root_url or "").hostname or "")
        return site_id, frontend or root_url, page_path

    # Sources of the rich text and StreamField fields, for the page types that have them: what
    # they link to or choose goes through the API's visibility rules like any other page or file.

    def graphql_intro(self, info, **kwargs) -> str:
        """The intro as stored, minus hidden links, for grapple's RichText scalar to expand."""
        return public_rich_text(self.intro, info.context)

    def graphql_summary(self, info, **kwargs) -> str:
        """The summary as stored, minus hidden links, for grapple's RichText scalar to expand."""
        return public_rich_text(self.summary, info.context)

    def graphql_body(self, info, **kwargs) -> list:
        """The body's blocks, with hidden pages, documents and images taken out."""
        return public_stream(self.body, info.context)


class HomePage(BasePage):
    """The root of one Wagtail site (the network's site, the conference site, ...)."""

    intro = RichTextField(features=SUMMARY_FEATURES, blank=True)
    body = StreamField(BaseStreamBlock(), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    graphql_fields = BasePage.graphql_fields + [
        GraphQLString("intro", source="graphql_intro_html"),
        GraphQLStreamfield("body", source="graphql_body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    # A site's root is set up with its Site record (catalogue's demo_load, a developer's
    # task), never offered as "New: Home page" at the tree's root, where editors have rights.
    is_creatable = False
    subpage_types = [
        "publications.PublicationIndexPage",
        "positions.PositionIndexPage",
        "positions.PressReleaseIndexPage",
    ]

    class Meta:
        verbose_name = "home page"

    def graphql_intro_html(self, info, **kwargs) -> str:
        # A String field, not grapple's RichText scalar: expanded here, as grapple would.
        return RichTextScalar.serialize(self.graphql_intro(info))


class CatalogueQuerySet(PageQuerySet):
    """What the dated, topical pages of the catalogue share: visibility, filters and the base
    of the API's prefetch plan (`for_api`), which each page type's QuerySet extends."""

    def visible(self, request: HttpRequest | None) -> CatalogueQuerySet:
        """What an anonymous client may see: `.live().public()`, less pages past their expiry
        date, with the view restrictions read once per request (cms.visibility)."""
        return public_pages(self, request)

    def with_topic(self, slug: str, language_code: str | None = None) -> CatalogueQuerySet:
        """Pages on the topic with this slug (that of `language_code`'s locale, if it has
        one), linked to it or to one of its translations."""
        from ..topic_translations import same_topics

        return self.with_topics(same_topics([slug], language_code))

    def with_topics(self, topics: models.QuerySet) -> CatalogueQuerySet:
        """Pages linked to one of `topics` (`same_topics()`: a topic and its translations)."""
        return self.filter(topics__in=topics).distinct()

    def in_year(self, year: int) -> CatalogueQuerySet:
        return self.filter(date__year=year)

    def with_language(self, code: str, hidden_collections=()) -> CatalogueQuerySet:
        """Pages with a download in `code` whose file is not in one of `hidden_collections`."""
        # One filter() call, so both conditions hold for the same download.
        return self.filter(
            downloads__language=code,
            downloads__document__collection__in=Collection.objects.exclude(
                pk__in=hidden_collections
            ),
        ).distinct()

    def in_project(self, slug: str) -> CatalogueQuerySet:
        return self.filter(project__slug=slug)

    def for_api(
        self, fields: frozenset[str] | None = None, renditions: frozenset[str] | None = None
    ) -> CatalogueQuerySet:
        """The pages with what the API shows of them loaded alongside, never one query per
        page: only the relations among `fields` (the names of the fields a query selects; None:
        every one) and, of images' renditions, only the filter specs in `renditions` (None: all).
        Each page type's QuerySet adds its own relations to these."""
        return self.select_related("locale").prefetch_wanted(
            fields, [(("topics",), lambda: topics_prefetch(fields))]
        )

    def inlined(self) -> CatalogueQuerySet:
        """This queryset with its prefetches (a `for_api()` plan) read in its own query, as
        JSON (cms.inline_rows), and its topics put in each page's language there too: for an
        item, a round trip per relation saved. Pages that related rows point at are not
        loaded (`cms.inline_rows.page_targets`)."""
        from ..topic_translations import set_localized_topics, translations_in_page_locale

        through = [
            getattr(lookup, "prefetch_through", lookup) for lookup in self._prefetch_related_lookups
        ]
        queryset = inline_prefetches(self)
        if "topics" not in through:
            return queryset

        def localize(page: DatedPage, translations: list) -> None:
            set_localized_topics(page, list(page.topics.all()), translations)

        topics_field = self.model._meta.get_field("topics")
        translations = translations_in_page_locale(topics_field).select_related("locale")
        localized = queryset.annotate(_inline_topic_translations=json_rows(translations, localize))
        localized._inlined_paths = queryset._inlined_paths
        return localized

    def for_item(
        self, fields: frozenset[str], renditions: frozenset[str] | None
    ) -> CatalogueQuerySet:
        """`for_api(fields, renditions).inlined()`, with the JSON columns' SQL compiled once
        per page type and plan (`_item_plan`), not at each request."""
        plan = _item_plan(self.model, fields, renditions, self.db)
        return plan.apply(self.for_api(fields, renditions))

    def prefetch_wanted(self, fields: frozenset[str] | None, wanted: Wanted) -> CatalogueQuerySet:
        """Prefetch each (field names, lookup) of `wanted` whose fields the query selects."""
        return self.prefetch_related(*wanted_lookups(fields, wanted))


CatalogueManager = PageManager.from_queryset(CatalogueQuerySet)


@functools.lru_cache(maxsize=256)
def _item_plan(
    model: type[DatedPage], fields: frozenset[str], renditions: frozenset[str] | None, using: str
) -> InlinePlan:
    # A plan per selection a front end makes (a few); bounded against arbitrary selections.
    return compile_inline(model.objects.using(using).for_api(fields, renditions).inlined())


class DatedPage(BasePage):
    """A record of the catalogue: dated (maybe only to the month or year), maybe imported.

    Catalogue records often give "2017" or "2025-04": the date is stored as the first day of
    that period and `date_precision` says how much of it is real, so nothing is invented.
    """

    date = models.DateField(
        null=True,
        blank=True,
        help_text="Leave empty when the date is unknown. For a year only, enter 1 January and "
        "set the precision to Year.",
    )
    date_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )

    source_url = models.URLField(
        "source",
        max_length=500,
        blank=True,
        help_text="Where this record was first published (provenance)",
    )
    import_key = models.CharField(
        max_length=100,
        blank=True,
        db_index=True,
        editable=False,
        help_text="The record's key in the catalogue file it was imported from",
    )

    date_panel = MultiFieldPanel(
        [FieldRowPanel([FieldPanel("date"), FieldPanel("date_precision")])], heading="Date"
    )

    graphql_fields = BasePage.graphql_fields + [
        GraphQLString("date", description="First day of the period the date is known to"),
        GraphQLString("date_precision", description="day, month or year"),
        GraphQLString("display_date", description='"2017", "2025-04" or "2024-12-05"'),
        GraphQLInt("year"),
        GraphQLList("topics", "cms.Topic", source="graphql_topics"),
        GraphQLLimitedList(
            "similar_publications",
            "publications.PublicationPage",
            source="graphql_similar_publications",
            description=(
                "Publications nearest this page in meaning, in its language (hybrid search's "
                "vectors), nearest first: related reading where an editor picked none"
            ),
            limit=5,
            most=20,
        ),
    ]

    objects = CatalogueManager()

    class Meta:
        abstract = True
        indexes = [NewestFirstIndex(name="%(class)s_newest")]

    def clean(self):
        super().clean()
        if self.date and self.date_precision != DatePrecision.DAY:
            first = self.date.replace(day=1)
            if self.date_precision == DatePrecision.YEAR:
                first = first.replace(month=1)
            if self.date != first:
                raise ValidationError(
                    {
                        "date": "With month or year precision, the date must be the first day of "
                        "that month or year."
                    }
                )

    def graphql_topics(self, info) -> list:
        from ..topic_translations import topics_of

        return topics_of(self)

    def graphql_related(self, info) -> list:
        """The related publications an anonymous client may see (every dated page has them)."""
        return self.public_targets("related_publications", "publication", info)

    def graphql_similar_publications(self, info, limit: int = 5) -> list:
        from ..similar import similar_pages

        return similar_pages(self, info.context, types=("publication",), limit=limit)

    def public_targets(self, relation: str, target: str, info) -> list:
        """The pages that the rows of `relation` point at (as `target`), if public."""
        rows = getattr(self, relation).all()  # prefetched by the API's list fields
        pages = (getattr(row, target) for row in rows)
        return [page for page in pages if page_is_public(page, info.context)]

    def public_files(self, relation: str, info) -> list:
        """The rows of `relation` (downloads, attachments) whose document may be shown."""
        rows = getattr(self, relation).all()
        return [row for row in rows if file_is_public(row.document, info.context)]

    @property
    def year(self) -> int | None:
        return self.date.year if self.date else None

    @property
    def display_date(self) -> str:
        """The date as precisely as it is known: "2017", "2025-04" or "2024-12-05"."""
        if not self.date:
            return ""
        if self.date_precision == DatePrecision.YEAR:
            return f"{self.date:%Y}"
        if self.date_precision == DatePrecision.MONTH:
            return f"{self.date:%Y-%m}"
        return self.date.isoformat()
