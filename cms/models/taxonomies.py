"""The taxonomies: translatable snippets (topics, projects, members) with a slug per locale."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import slugify
from grapple.models import GraphQLInt, GraphQLString
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import TranslatableMixin
from wagtail.search import index

from ..languages import COUNTRIES


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
