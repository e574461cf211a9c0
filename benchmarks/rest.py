"""Wagtail's REST API v2 serving the catalogue listing, for comparison only.

Configured the ordinary way (APIField with DRF serializers, Wagtail's stock page queryset),
with the fields of the GraphQL listing in benchmarks/queries.py. The fields are declared here,
on an endpoint subclass, not as `api_fields` on the models: the product has no REST API.

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

from publications.models import PublicationPage

from .queries import REST_FIELDS

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


class BenchPagesAPIViewSet(PagesAPIViewSet):
    """Pages, with the benchmark's fields on the page types that have some."""

    @classmethod
    def get_body_fields(cls, model):
        return super().get_body_fields(model) + BENCH_API_FIELDS.get(model, [])


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", BenchPagesAPIViewSet)
