"""Shared building blocks: the base page, the home page of each site, and the taxonomies."""

from __future__ import annotations

import datetime
import functools
import mimetypes
import os
from pathlib import PurePath
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from django.utils.text import slugify
from grapple.models import GraphQLInt, GraphQLStreamfield, GraphQLString
from grapple.types.rich_text import RichText as RichTextScalar
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Collection, Orderable, Page, PageManager, Site, TranslatableMixin
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail_headless_preview.models import HeadlessPreviewMixin, get_client_root_url_from_site

from .api.context import api_context
from .api.fields import GraphQLList

# Defined beside the code that uses it; imported here, where Django looks for the app's models.
from .api.persisted import PersistedQuery  # noqa: F401
from .api.visibility import file_is_public, page_is_public, public_rich_text, public_stream
from .blocks import BaseStreamBlock
from .indexes import NewestFirstIndex
from .languages import COUNTRIES, EU_LANGUAGES

SUMMARY_FEATURES = ["bold", "italic", "link", "ol", "ul"]


# --- Pages --------------------------------------------------------------------------------


class BasePage(HeadlessPreviewMixin, Page):
    """Every page of the project: headless, so its public URL and its previews are on the
    site's front end."""

    # seoTitle, searchDescription, url, ... come with grapple's PageInterface.
    graphql_fields: list = []

    class Meta:
        abstract = True

    def get_template(self, request, *args, **kwargs):
        # Serving pages from Django is only a fallback (a site with no front end configured).
        # A `template` attribute would not do: Wagtail gives each page class its own default.
        return "cms/page.html"

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


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class CatalogueQuerySet(PageQuerySet):
    """Filters shared by the dated, topical pages of the catalogue."""

    def with_topic(self, slug: str, language_code: str | None = None) -> CatalogueQuerySet:
        """Pages on the topic with this slug (that of `language_code`'s locale, if it has
        one), linked to it or to one of its translations."""
        from .topic_translations import same_topics

        return self.filter(topics__in=same_topics([slug], language_code)).distinct()

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


CatalogueManager = PageManager.from_queryset(CatalogueQuerySet)


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
        from .topic_translations import topics_of

        return topics_of(self)

    def graphql_related(self, info) -> list:
        """The related publications an anonymous client may see (every dated page has them)."""
        return self.public_targets("related_publications", "publication", info)

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


def parse_partial_date(value: str | int | None) -> tuple[datetime.date | None, str]:
    """Read "2017", "2025-04" or "2024-12-05" into (date, precision); raise ValueError if bad."""
    text = str(value).strip() if value is not None else ""
    if not text:
        return None, DatePrecision.DAY
    parts = text.split("-")
    if len(parts) == 1:
        return datetime.date(int(parts[0]), 1, 1), DatePrecision.YEAR
    if len(parts) == 2:
        return datetime.date(int(parts[0]), int(parts[1]), 1), DatePrecision.MONTH
    if len(parts) == 3:
        return datetime.date.fromisoformat(text), DatePrecision.DAY
    raise ValueError(f"{text!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")


# --- Downloads ----------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _document_path(urlconf: str | None, document_id: int, filename: str) -> str:
    return reverse("wagtaildocs_serve", urlconf=urlconf, args=[document_id, filename])


def document_path(request: HttpRequest | None, document_id: int, filename: str) -> str:
    """The path of Wagtail's serve view for a document (what `Document.url` reverses each
    time: a list of a hundred downloads asked for it hundreds of times)."""
    # The URLconf reverse() would use: the request's own if a middleware set one.
    urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
    return _document_path(urlconf, document_id, filename)


def mime_type(filename: str) -> str:
    """A document's content type, as Wagtail's `Document.content_type` works it out (the
    settings by extension, then the mimetypes table), once per ending ("report.pdf.gz" is
    read as a PDF, as Wagtail does)."""
    return _mime_type("".join(PurePath(filename).suffixes[-2:]))


@functools.lru_cache(maxsize=256)
def _mime_type(ending: str) -> str:
    configured = getattr(settings, "WAGTAILDOCS_CONTENT_TYPES", {})
    extension = os.path.splitext(ending)[1][1:]
    return (
        configured.get(extension.lower())
        or mimetypes.guess_type(f"file{ending}")[0]
        or "application/octet-stream"
    )


def absolute_url(request: HttpRequest, path: str) -> str:
    """`request.build_absolute_uri(path)`, with the scheme and host worked out once."""
    context = api_context(request)
    if context.absolute_base is None:
        context.absolute_base = request.build_absolute_uri("/")[:-1]
    return context.absolute_base + path


class BaseDownload(Orderable):
    """One file of a page in one language (the full report in French, its summary in German)."""

    language = models.CharField(
        max_length=2, choices=EU_LANGUAGES, help_text="Language of the file"
    )
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.CASCADE, related_name="+")
    label = models.CharField(
        max_length=100, blank=True, help_text='Optional, e.g. "summary" or "full report"'
    )

    panels = [FieldPanel("language"), FieldPanel("document"), FieldPanel("label")]

    graphql_fields = [
        GraphQLString("language", required=True, description="ISO 639-1 code"),
        GraphQLString("label"),
        GraphQLString("title", required=True, source="graphql_title"),
        GraphQLString("url", required=True, source="graphql_url", description="Absolute URL"),
        GraphQLInt("file_size", source="graphql_file_size", description="In bytes"),
        GraphQLString("mime_type", required=True, source="graphql_mime_type"),
        GraphQLString("file_extension", required=True, source="graphql_file_extension"),
    ]

    class Meta(Orderable.Meta):
        abstract = True

    def __str__(self) -> str:
        return f"{self.get_language_display()}: {self.document}"

    def graphql_title(self, info) -> str:
        return self.document.title

    @functools.cached_property
    def _filename(self) -> str:
        # Read once: every read of `document.file` goes through Django's file descriptor. The
        # API builds its rows afresh for each request, so it cannot go stale there.
        return os.path.basename(self.document.file.name)

    def graphql_url(self, info) -> str:
        # Wagtail's serve view, so the document's collection privacy is checked on download.
        path = document_path(info.context, self.document_id, self._filename)
        return absolute_url(info.context, path)

    def graphql_file_size(self, info) -> int | None:
        # Stored on upload and import; Wagtail measures (and stores) it once if missing.
        return self.document.get_file_size()

    def graphql_mime_type(self, info) -> str:
        return mime_type(self._filename)

    def graphql_file_extension(self, info) -> str:
        return os.path.splitext(self._filename)[1][1:]


# --- Taxonomies ---------------------------------------------------------------------------


class Taxonomy(TranslatableMixin, index.Indexed, models.Model):
    """A translatable snippet with a slug that is unique in its locale."""

    slug = models.SlugField(max_length=100, allow_unicode=False, blank=True)

    class Meta(TranslatableMixin.Meta):
        abstract = True

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(str(self))[:100]
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if not self.slug:
            self.slug = slugify(str(self))[:100]

    def validate_unique(self, exclude=None):
        # Admin forms leave "locale" out (not editable), so Django would skip the (slug, locale)
        # check and the INSERT would fail with IntegrityError instead of a form error.
        super().validate_unique(exclude=set(exclude or ()) - {"locale"})

    @property
    def locale_code(self) -> str:
        return self.locale.language_code


class Topic(Taxonomy):
    """One of the themes of urban security (drugs, public spaces, radicalisation, ...)."""

    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)

    # Filled in by the root `topics` field (an annotation); None where a topic is nested.
    live_item_count = None

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]
    graphql_fields = [
        GraphQLString("name", required=True),
        GraphQLString("slug", required=True),
        GraphQLString("description"),
        GraphQLString("locale", source="locale_code"),
        GraphQLInt(
            "live_item_count",
            description="Live, public publications, positions and press releases on this topic "
            "(in the root topics list only)",
        ),
    ]

    class Meta(Taxonomy.Meta):
        ordering = ["name"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self) -> str:
        return self.name


class Project(Taxonomy):
    """An EU-funded project the network leads or takes part in."""

    acronym = models.CharField(max_length=50, blank=True)
    name = models.CharField(max_length=255, blank=True)
    start_year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1980), MaxValueValidator(2100)]
    )
    end_year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1980), MaxValueValidator(2100)]
    )
    url = models.URLField(blank=True, verbose_name="URL")
    topics = models.ManyToManyField(Topic, blank=True, related_name="projects")

    panels = [
        FieldRowPanel([FieldPanel("acronym"), FieldPanel("name")]),
        FieldPanel("slug"),
        FieldRowPanel([FieldPanel("start_year"), FieldPanel("end_year")]),
        FieldPanel("url"),
        FieldPanel("topics"),
    ]
    search_fields = [
        index.SearchField("acronym"),
        index.SearchField("name"),
        index.AutocompleteField("acronym"),
        index.AutocompleteField("name"),
    ]
    graphql_fields = [
        GraphQLString("acronym"),
        GraphQLString("name"),
        GraphQLString("slug"),
        GraphQLInt("start_year"),
        GraphQLInt("end_year"),
        GraphQLString("url"),
    ]

    class Meta(Taxonomy.Meta):
        ordering = ["acronym", "name"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self) -> str:
        return self.acronym or self.name

    def clean(self):
        super().clean()
        if not self.acronym and not self.name:
            raise ValidationError({"name": "Give the project an acronym, a name, or both."})
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": "The project cannot end before it starts."})


class MemberKind(models.TextChoices):
    CITY = "city", "City"
    METROPOLIS = "metropolis", "Metropolitan or intermunicipal authority"
    REGION = "region", "Region"
    OTHER = "other", "Other authority or organisation"


class Member(Taxonomy):
    """A local or regional authority of the network."""

    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=20, choices=MemberKind.choices, default=MemberKind.CITY)
    country = models.CharField(max_length=2, choices=COUNTRIES, help_text="ISO 3166-1 code")

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("country")]),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("country"),
    ]
    graphql_fields = [
        GraphQLString("name"),
        GraphQLString("slug"),
        GraphQLString("kind"),
        GraphQLString("country"),
    ]

    class Meta(Taxonomy.Meta):
        ordering = ["name"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self) -> str:
        return self.name
