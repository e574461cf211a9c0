"""The network's voice: position papers, declarations, manifestos, and press releases."""

from __future__ import annotations

from django import forms
from django.db import models
from grapple.models import (
    GraphQLRichText,
    GraphQLStreamfield,
    GraphQLString,
)
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    MultipleChooserPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, PageManager
from wagtail.search import index

from cms.api.fields import GraphQLList
from cms.blocks import BaseStreamBlock
from cms.languages import EU_LANGUAGES
from cms.models import SUMMARY_FEATURES, BaseDownload, BasePage, CatalogueQuerySet, DatedPage
from cms.prefetch import files_prefetch, related_prefetch, related_publications_prefetch


class PositionIndexPage(BasePage):
    """Lists the network's position papers, declarations, manifestos, statements, resolutions."""

    intro = RichTextField(features=SUMMARY_FEATURES, blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    graphql_fields = BasePage.graphql_fields + [GraphQLRichText("intro", source="graphql_intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["positions.PositionPaperPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = "positions index"


class PositionKind(models.TextChoices):
    POSITION_PAPER = "position paper", "Position paper"
    DECLARATION = "declaration", "Declaration"
    MANIFESTO = "manifesto", "Manifesto"
    STATEMENT = "statement", "Statement"
    RESOLUTION = "resolution", "Resolution"


class PositionPaperQuerySet(CatalogueQuerySet):
    def for_api(
        self, fields: frozenset[str] | None = None, renditions: frozenset[str] | None = None
    ) -> PositionPaperQuerySet:
        # No images: `renditions` is taken for the signature every page type's plan shares.
        return (
            super()
            .for_api(fields, renditions)
            .prefetch_wanted(
                fields,
                [
                    (
                        ("signatories",),
                        lambda: related_prefetch(PositionSignatory, "signatories", "member"),
                    ),
                    (("downloads",), lambda: files_prefetch(PositionDownload, fields)),
                    (
                        ("relatedPublications",),
                        lambda: related_publications_prefetch(PositionRelatedPublication),
                    ),
                ],
            )
        )


class PositionPaperPage(DatedPage):
    """A text the network adopted: where, when, who signed it, in which languages."""

    kind = models.CharField(
        max_length=20, choices=PositionKind.choices, default=PositionKind.POSITION_PAPER
    )
    place = models.CharField(max_length=255, blank=True, help_text="Where it was adopted")
    summary = RichTextField(features=SUMMARY_FEATURES, blank=True)
    body = StreamField(BaseStreamBlock(), blank=True)
    topics = ParentalManyToManyField("cms.Topic", blank=True, related_name="position_papers")

    search_fields = DatedPage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("place"),
        index.FilterField("kind"),
        index.FilterField("date"),
    ]

    content_panels = DatedPage.content_panels + [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("place")]),
        DatedPage.date_panel,
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    signatories_panels = [
        MultipleChooserPanel(
            "signatories", chooser_field_name="member", label="Signatory", heading="Signatories"
        ),
        InlinePanel("downloads", label="Download", heading="Downloads"),
    ]
    classification_panels = [
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        MultipleChooserPanel(
            "related_publications", chooser_field_name="publication", label="Related publication"
        ),
        FieldPanel("source_url"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Content"),
            ObjectList(signatories_panels, heading="Signatories and files"),
            ObjectList(classification_panels, heading="Topics and links"),
            ObjectList(DatedPage.promote_panels, heading="Promote"),
            ObjectList(DatedPage.settings_panels, heading="Settings"),
        ]
    )

    graphql_fields = DatedPage.graphql_fields + [
        GraphQLString("kind", required=True),
        GraphQLString("place"),
        GraphQLRichText("summary", source="graphql_summary"),
        GraphQLStreamfield("body", source="graphql_body"),
        GraphQLList("signatories", "cms.Member", source="graphql_signatories"),
        GraphQLList("downloads", "positions.PositionDownload", source="graphql_downloads"),
        GraphQLList(
            "related_publications", "publications.PublicationPage", source="graphql_related"
        ),
    ]

    parent_page_types = ["positions.PositionIndexPage"]
    subpage_types: list[str] = []

    objects = PageManager.from_queryset(PositionPaperQuerySet)()

    class Meta(DatedPage.Meta):
        verbose_name = "position paper"

    def graphql_signatories(self, info) -> list:
        return [signatory.member for signatory in self.signatories.all()]

    def graphql_downloads(self, info) -> list:
        return self.public_files("downloads", info)


class PositionSignatory(Orderable):
    page = ParentalKey(PositionPaperPage, on_delete=models.CASCADE, related_name="signatories")
    member = models.ForeignKey("cms.Member", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("member")]


class PositionDownload(BaseDownload):
    page = ParentalKey(PositionPaperPage, on_delete=models.CASCADE, related_name="downloads")


class PositionRelatedPublication(Orderable):
    page = ParentalKey(
        PositionPaperPage, on_delete=models.CASCADE, related_name="related_publications"
    )
    publication = models.ForeignKey(
        "publications.PublicationPage", on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("publication")]


class PressReleaseIndexPage(BasePage):
    intro = RichTextField(features=SUMMARY_FEATURES, blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    graphql_fields = BasePage.graphql_fields + [GraphQLRichText("intro", source="graphql_intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["positions.PressReleasePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = "press releases index"


class PressReleaseQuerySet(CatalogueQuerySet):
    def for_api(
        self, fields: frozenset[str] | None = None, renditions: frozenset[str] | None = None
    ) -> PressReleaseQuerySet:
        return (
            super()
            .for_api(fields, renditions)
            .prefetch_wanted(
                fields,
                [
                    (
                        ("attachments",),
                        lambda: files_prefetch(PressReleaseAttachment, fields, "attachments"),
                    ),
                    (
                        ("relatedPositions",),
                        lambda: related_prefetch(
                            PressReleaseRelatedPosition, "related_positions", "position__locale"
                        ),
                    ),
                    (
                        ("relatedPublications",),
                        lambda: related_publications_prefetch(PressReleaseRelatedPublication),
                    ),
                ],
            )
        )


class PressReleasePage(DatedPage):
    summary = RichTextField(features=SUMMARY_FEATURES, blank=True)
    body = StreamField(BaseStreamBlock(), blank=True)
    topics = ParentalManyToManyField("cms.Topic", blank=True, related_name="press_releases")
    media_contact_name = models.CharField("name", max_length=255, blank=True)
    media_contact_email = models.EmailField("email", blank=True)
    media_contact_phone = models.CharField("phone", max_length=50, blank=True)

    search_fields = DatedPage.search_fields + [
        index.SearchField("summary"),
        index.FilterField("date"),
    ]

    content_panels = DatedPage.content_panels + [
        DatedPage.date_panel,
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("media_contact_name"),
                FieldRowPanel(
                    [FieldPanel("media_contact_email"), FieldPanel("media_contact_phone")]
                ),
            ],
            heading="Media contact",
        ),
    ]
    links_panels = [
        InlinePanel("attachments", label="Attachment", heading="Attachments"),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        MultipleChooserPanel(
            "related_positions", chooser_field_name="position", label="Related position"
        ),
        MultipleChooserPanel(
            "related_publications", chooser_field_name="publication", label="Related publication"
        ),
        FieldPanel("source_url"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Content"),
            ObjectList(links_panels, heading="Attachments and links"),
            ObjectList(DatedPage.promote_panels, heading="Promote"),
            ObjectList(DatedPage.settings_panels, heading="Settings"),
        ]
    )

    graphql_fields = DatedPage.graphql_fields + [
        GraphQLRichText("summary", source="graphql_summary"),
        GraphQLStreamfield("body", source="graphql_body"),
        GraphQLString("media_contact_name"),
        GraphQLString("media_contact_email"),
        GraphQLString("media_contact_phone"),
        GraphQLList(
            "attachments", "positions.PressReleaseAttachment", source="graphql_attachments"
        ),
        GraphQLList(
            "related_positions", "positions.PositionPaperPage", source="graphql_related_positions"
        ),
        GraphQLList(
            "related_publications", "publications.PublicationPage", source="graphql_related"
        ),
    ]

    parent_page_types = ["positions.PressReleaseIndexPage"]
    subpage_types: list[str] = []

    objects = PageManager.from_queryset(PressReleaseQuerySet)()

    class Meta(DatedPage.Meta):
        verbose_name = "press release"

    def graphql_attachments(self, info) -> list:
        return self.public_files("attachments", info)

    def graphql_related_positions(self, info) -> list:
        return self.public_targets("related_positions", "position", info)


class PressReleaseAttachment(BaseDownload):
    """A file sent with the release (photo, full text, annex); its language is optional."""

    page = ParentalKey(PressReleasePage, on_delete=models.CASCADE, related_name="attachments")
    language = models.CharField(
        max_length=2, choices=EU_LANGUAGES, blank=True, help_text="Language of the file, if any"
    )


class PressReleaseRelatedPosition(Orderable):
    page = ParentalKey(PressReleasePage, on_delete=models.CASCADE, related_name="related_positions")
    position = models.ForeignKey(PositionPaperPage, on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("position")]


class PressReleaseRelatedPublication(Orderable):
    page = ParentalKey(
        PressReleasePage, on_delete=models.CASCADE, related_name="related_publications"
    )
    publication = models.ForeignKey(
        "publications.PublicationPage", on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("publication")]
