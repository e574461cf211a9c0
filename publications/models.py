"""The publications catalogue: guides, reports, manifestos, proceedings, ..."""

from __future__ import annotations

from django import forms
from django.db import models
from grapple.models import (
    GraphQLImage,
    GraphQLInt,
    GraphQLRichText,
    GraphQLSnippet,
    GraphQLStreamfield,
    GraphQLString,
)
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultipleChooserPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, PageManager
from wagtail.search import index

from cms.api.fields import GraphQLList
from cms.blocks import BaseStreamBlock
from cms.models import SUMMARY_FEATURES, BaseDownload, BasePage, CatalogueQuerySet, DatedPage
from cms.prefetch import (
    files_prefetch,
    related_publications_prefetch,
    renditions_prefetch,
    wants,
)
from cms.validators import normalize_isbn, validate_isbn
from cms.visibility import file_is_public


class PublicationIndexPage(BasePage):
    """The catalogue: its children are the publications."""

    intro = RichTextField(features=SUMMARY_FEATURES, blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    graphql_fields = BasePage.graphql_fields + [GraphQLRichText("intro", source="graphql_intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["publications.PublicationPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = "publication catalogue"


class PublicationType(models.TextChoices):
    GUIDE = "guide", "Guide"
    REPORT = "report", "Report"
    MANIFESTO = "manifesto", "Manifesto"
    METHODOLOGICAL_TOOL = "methodological tool", "Methodological tool"
    POLICY_PAPER = "policy paper", "Policy paper"
    ACTIVITY_REPORT = "activity report", "Activity report"
    PROCEEDINGS = "proceedings", "Proceedings"
    NEWSLETTER = "newsletter", "Newsletter"
    OTHER = "other", "Other"


class PublicationQuerySet(CatalogueQuerySet):
    def for_api(
        self, fields: frozenset[str] | None = None, renditions: frozenset[str] | None = None
    ) -> PublicationQuerySet:
        # Each relation with what it shows (a related page's locale) fetched alongside, the
        # project and the cover joined only if shown. Of the covers' renditions, only the
        # sizes asked for.
        cover = "cover_image__collection" if wants(fields, "collection") else "cover_image"
        joined = [
            name
            for name, field in (("project", "project"), (cover, "coverImage"))
            if wants(fields, field)
        ]
        queryset = super().for_api(fields, renditions)
        if joined:  # select_related() with no name would join every relation
            queryset = queryset.select_related(*joined)
        return queryset.prefetch_wanted(
            fields,
            [
                (("authors",), lambda: "authors"),
                (("isbns", "isbn"), lambda: "isbns"),
                (("coverImage",), lambda: renditions_prefetch("cover_image", renditions)),
                (("downloads",), lambda: files_prefetch(PublicationDownload, fields)),
                (
                    ("relatedPublications",),
                    lambda: related_publications_prefetch(RelatedPublication),
                ),
            ],
        )


class PublicationPage(DatedPage):
    """One publication, with its files in each language it was published in."""

    subtitle = models.CharField(max_length=255, blank=True)
    publication_type = models.CharField(
        "type", max_length=30, choices=PublicationType.choices, default=PublicationType.REPORT
    )
    summary = RichTextField(features=SUMMARY_FEATURES, blank=True)
    body = StreamField(BaseStreamBlock(), blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    topics = ParentalManyToManyField("cms.Topic", blank=True, related_name="publications")
    project = models.ForeignKey(
        "cms.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="publications",
        help_text="The EU-funded project this publication came out of, if any",
    )
    page_count = models.PositiveIntegerField(null=True, blank=True)

    search_fields = DatedPage.search_fields + [
        index.SearchField("subtitle"),
        index.SearchField("summary"),
        index.FilterField("publication_type"),
        index.FilterField("date"),
    ]

    content_panels = DatedPage.content_panels + [
        FieldPanel("subtitle"),
        FieldRowPanel([FieldPanel("publication_type"), FieldPanel("page_count")]),
        DatedPage.date_panel,
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        InlinePanel("authors", label="Author", heading="Authors"),
        FieldPanel("body"),
    ]
    files_panels = [
        InlinePanel(
            "downloads",
            label="Download",
            heading="Downloads",
            help_text="One file per language; add a label to tell a summary from the full report.",
        ),
        InlinePanel("isbns", label="ISBN", heading="ISBNs"),
    ]
    classification_panels = [
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        FieldPanel("project"),
        MultipleChooserPanel(
            "related_publications", chooser_field_name="publication", label="Related publication"
        ),
        FieldPanel("source_url"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Content"),
            ObjectList(files_panels, heading="Files and ISBN"),
            ObjectList(classification_panels, heading="Topics and links"),
            ObjectList(DatedPage.promote_panels, heading="Promote"),
            ObjectList(DatedPage.settings_panels, heading="Settings"),
        ]
    )

    graphql_fields = DatedPage.graphql_fields + [
        GraphQLString("subtitle"),
        GraphQLString("type", source="publication_type", required=True),
        GraphQLRichText("summary", source="graphql_summary"),
        GraphQLStreamfield("body", source="graphql_body"),
        GraphQLImage("cover_image", source="graphql_cover_image"),
        GraphQLList("authors", "publications.PublicationAuthor", source="graphql_authors"),
        GraphQLSnippet("project", "cms.Project"),
        GraphQLInt("page_count"),
        GraphQLString("isbn", description="The first ISBN, as a citation gives it"),
        GraphQLList("isbns", "publications.PublicationIsbn", source="graphql_isbns"),
        GraphQLList("downloads", "publications.PublicationDownload", source="graphql_downloads"),
        GraphQLList(
            "related_publications", "publications.PublicationPage", source="graphql_related"
        ),
    ]

    parent_page_types = ["publications.PublicationIndexPage"]
    subpage_types: list[str] = []

    objects = PageManager.from_queryset(PublicationQuerySet)()

    class Meta(DatedPage.Meta):
        verbose_name = "publication"

    @property
    def isbn(self) -> str:
        """The first ISBN, the one a citation would give."""
        isbns = self.isbns.all()  # prefetched by the API's list fields: no query per page
        return isbns[0].isbn if isbns else ""

    def graphql_cover_image(self, info):
        image = self.cover_image
        return image if file_is_public(image, info.context) else None

    def graphql_authors(self, info) -> list:
        return list(self.authors.all())

    def graphql_isbns(self, info) -> list:
        return list(self.isbns.all())

    def graphql_downloads(self, info) -> list:
        return self.public_files("downloads", info)


class PublicationAuthor(Orderable):
    """An author (person or organisation) in the order the cover gives."""

    page = ParentalKey(PublicationPage, on_delete=models.CASCADE, related_name="authors")
    name = models.CharField(max_length=255)
    affiliation = models.CharField(max_length=255, blank=True)

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("affiliation")])]
    graphql_fields = [GraphQLString("name"), GraphQLString("affiliation")]

    def __str__(self) -> str:
        return self.name


class PublicationIsbn(Orderable):
    """An ISBN of the publication; editions in other languages or years have their own."""

    page = ParentalKey(PublicationPage, on_delete=models.CASCADE, related_name="isbns")
    isbn = models.CharField("ISBN", max_length=17, validators=[validate_isbn])
    note = models.CharField(
        max_length=100,
        blank=True,
        help_text='Which edition it identifies, e.g. "EN" or "2nd ed., 2023"',
    )

    panels = [FieldRowPanel([FieldPanel("isbn"), FieldPanel("note")])]
    graphql_fields = [GraphQLString("isbn"), GraphQLString("note"), GraphQLString("normalized")]

    class Meta(Orderable.Meta):
        verbose_name = "ISBN"

    def __str__(self) -> str:
        return self.isbn

    @property
    def normalized(self) -> str:
        return normalize_isbn(self.isbn)


class PublicationDownload(BaseDownload):
    page = ParentalKey(PublicationPage, on_delete=models.CASCADE, related_name="downloads")


class RelatedPublication(Orderable):
    page = ParentalKey(
        PublicationPage, on_delete=models.CASCADE, related_name="related_publications"
    )
    publication = models.ForeignKey(PublicationPage, on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("publication")]
