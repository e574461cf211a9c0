"""Wagtail's REST API v2 serving the catalogue listing, for comparison only.

Configured the ordinary way (APIField with DRF serializers, Wagtail's stock page queryset),
with the fields of the GraphQL listing and item pages in benchmarks/queries.py. The fields
are declared here, on an endpoint subclass, not as `api_fields` on the models: the product
has no REST API.

Wagtail 8's v3 API (wagtail.api.v3, django-ninja) cannot express the listing: its page list
(`GET /api/v3/pages/`) answers a fixed schema (id, title, meta) with no `fields` parameter,
and a page's own fields come only from the detail endpoint, one request per page; its
schemas are also built from the models' `api_fields` when the module is imported.
"""

from __future__ import annotations

from rest_framework import serializers
from wagtail.api import APIField
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.rich_text import expand_db_html

from positions.models import PositionPaperPage, PressReleasePage
from publications.models import PublicationPage

from .queries import REST_FIELDS, REST_ITEM_FIELDS

COVER_FILL = "fill-300x424"
COVER_WIDTHS = ("width-320", "width-640")


class TopicSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()


class ProjectSerializer(serializers.Serializer):
    acronym = serializers.CharField()
    name = serializers.CharField()
    slug = serializers.CharField()


class DownloadSerializer(serializers.Serializer):
    language = serializers.CharField()
    label = serializers.CharField()
    url = serializers.SerializerMethodField()
    file_size = serializers.IntegerField(source="document.file_size")
    mime_type = serializers.CharField(source="document.content_type")

    def get_url(self, download) -> str:
        return self.context["request"].build_absolute_uri(download.document.url)


class CoverField(serializers.Field):
    """The cover as the GraphQL listing gives it: one fill rendition and a srcset."""

    def to_representation(self, image):
        renditions = image.get_renditions(COVER_FILL, *COVER_WIDTHS)
        request = self.context["request"]
        fill = renditions[COVER_FILL]
        return {
            "rendition": {
                "url": request.build_absolute_uri(fill.url),
                "width": fill.width,
                "height": fill.height,
            },
            "srcset": ", ".join(
                f"{request.build_absolute_uri(renditions[spec].url)} {renditions[spec].width}w"
                for spec in COVER_WIDTHS
            ),
            "description": image.description,
        }


class RichTextField(serializers.Field):
    """Rich text expanded to HTML, as the GraphQL RichText scalar gives it."""

    def to_representation(self, value):
        return expand_db_html(value)


class AuthorSerializer(serializers.Serializer):
    name = serializers.CharField()
    affiliation = serializers.CharField()


class MemberSerializer(serializers.Serializer):
    name = serializers.CharField(source="member.name")
    slug = serializers.CharField(source="member.slug")
    country = serializers.CharField(source="member.country")


class LinkedPageSerializer(serializers.Serializer):
    """A related page as an item page shows it: title, URL, date and (if it has) topics."""

    title = serializers.CharField()
    url = serializers.SerializerMethodField()
    display_date = serializers.CharField()
    topics = serializers.SerializerMethodField()

    def get_url(self, page) -> str:
        return page.get_full_url(self.context["request"])

    def get_topics(self, page) -> list:
        return TopicSerializer(page.topics.all(), many=True).data


class RelatedField(serializers.Field):
    """The pages the rows of a relation point at (`target`), live ones only, in order."""

    def __init__(self, target: str, **kwargs):
        self.target = target
        super().__init__(**kwargs)

    def to_representation(self, rows):
        pages = [getattr(row, self.target) for row in rows.all()]
        live = [page for page in pages if page.live]
        return LinkedPageSerializer(live, many=True, context=self.context).data


class TranslationsField(serializers.Field):
    """The page's live translations, with their locale, as the language switcher needs."""

    def get_attribute(self, instance):
        return instance

    def to_representation(self, page):
        others = page.get_translations().live().specific()
        return [
            {
                "locale": other.locale.language_code,
                **LinkedPageSerializer(other, context=self.context).data,
            }
            for other in others
        ]


ITEM_API_FIELDS = {
    "summary": APIField("summary", serializer=RichTextField()),
    "body": APIField("body"),
    "authors": APIField("authors", serializer=AuthorSerializer(many=True)),
    "related_publications": APIField(
        "related_publications", serializer=RelatedField("publication")
    ),
    "translations": APIField("translations", serializer=TranslationsField()),
}

BENCH_API_FIELDS = {
    PublicationPage: [
        APIField("subtitle"),
        APIField("publication_type"),
        APIField("date"),
        APIField("display_date"),
        APIField("cover_image", serializer=CoverField()),
        APIField("topics", serializer=TopicSerializer(many=True)),
        APIField("project", serializer=ProjectSerializer()),
        APIField("downloads", serializer=DownloadSerializer(many=True)),
    ]
}
assert tuple(field.name for field in BENCH_API_FIELDS[PublicationPage]) == REST_FIELDS
BENCH_API_FIELDS[PublicationPage] += [
    ITEM_API_FIELDS[name] for name in ("summary", "body", "authors", "related_publications")
] + [ITEM_API_FIELDS["translations"]]
BENCH_API_FIELDS[PositionPaperPage] = [
    APIField("kind"),
    APIField("place"),
    APIField("display_date"),
    ITEM_API_FIELDS["summary"],
    ITEM_API_FIELDS["body"],
    APIField("signatories", serializer=MemberSerializer(many=True)),
    APIField("topics", serializer=TopicSerializer(many=True)),
    APIField("downloads", serializer=DownloadSerializer(many=True)),
    ITEM_API_FIELDS["related_publications"],
    ITEM_API_FIELDS["translations"],
]
BENCH_API_FIELDS[PressReleasePage] = [
    APIField("display_date"),
    ITEM_API_FIELDS["summary"],
    ITEM_API_FIELDS["body"],
    APIField("media_contact_name"),
    APIField("media_contact_email"),
    APIField("media_contact_phone"),
    APIField("topics", serializer=TopicSerializer(many=True)),
    APIField("attachments", serializer=DownloadSerializer(many=True)),
    APIField("related_positions", serializer=RelatedField("position")),
    ITEM_API_FIELDS["related_publications"],
    ITEM_API_FIELDS["translations"],
]
for _model, _kind in (
    (PublicationPage, "publication"),
    (PositionPaperPage, "positionPaper"),
    (PressReleasePage, "pressRelease"),
):
    _declared = {field.name for field in BENCH_API_FIELDS[_model]}
    assert set(REST_ITEM_FIELDS[_kind]) <= _declared, set(REST_ITEM_FIELDS[_kind]) - _declared


class BenchPagesAPIViewSet(PagesAPIViewSet):
    """Pages, with the benchmark's fields on the page types that have some."""

    @classmethod
    def get_body_fields(cls, model):
        return super().get_body_fields(model) + BENCH_API_FIELDS.get(model, [])


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", BenchPagesAPIViewSet)
