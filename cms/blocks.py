"""StreamField blocks shared by every body: one BaseStreamBlock for all page types."""

from __future__ import annotations

import json
from typing import Any

import graphene
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from grapple.helpers import register_streamfield_block
from grapple.models import (
    GraphQLDocument,
    GraphQLField,
    GraphQLImage,
    GraphQLPage,
    GraphQLString,
)
from grapple.types.streamfield import StreamFieldInterface, StructBlockItem
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from .visibility import public_object

HEADING_LEVELS = [("h2", "Level 2"), ("h3", "Level 3"), ("h4", "Level 4")]


class APIStructBlock(blocks.StructBlock):
    """A StructBlock whose GraphQL `rawValue` and `blocks` show only what may be shown.

    grapple's own `rawValue` fails on every struct ("String cannot represent value: {...}",
    with the chosen document's or image's file URL in the message), and its `blocks` hand the
    chosen page, document or image to grapple's generic types, unchecked.
    """

    graphql_fields = [
        GraphQLString(
            "raw_value",
            source="graphql_raw_value",
            required=True,
            description="The block's value as JSON; chosen items by id, null when hidden",
        ),
        GraphQLField(
            "blocks",
            graphene.List(graphene.NonNull(StreamFieldInterface)),
            source="graphql_blocks",
            required=True,
            description="The block's parts that have a value that may be shown",
        ),
    ]

    def graphql_values(self, info, values: dict[str, Any]) -> dict[str, Any]:
        """`values` (grapple's, by child name) with hidden pages, documents, images as None."""
        return {name: public_object(value, info.context) for name, value in values.items()}

    def graphql_raw_value(self, info, values: dict[str, Any], **kwargs) -> str:
        value = self.graphql_values(info, values)
        return json.dumps(self.get_prep_value(value), cls=DjangoJSONEncoder)

    def graphql_blocks(self, info, values: dict[str, Any], **kwargs) -> list[StructBlockItem]:
        # An empty chooser is left out too: grapple's page type would fail on it.
        return [
            StructBlockItem(name, self.child_blocks[name], value)
            for name, value in self.graphql_values(info, values).items()
            if value is not None
        ]


@register_streamfield_block
class HeadingBlock(APIStructBlock):
    text = blocks.CharBlock(max_length=255)
    level = blocks.ChoiceBlock(choices=HEADING_LEVELS, default="h2")

    graphql_fields = APIStructBlock.graphql_fields + [
        GraphQLString("text", required=True),
        GraphQLString("level", required=True),
    ]

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        description = "A section heading"
        preview_value = {"text": "Prevention first", "level": "h2"}


@register_streamfield_block
class CaptionedImageBlock(APIStructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False, max_length=500)
    credit = blocks.CharBlock(
        required=False, max_length=255, help_text="Photographer or rights holder"
    )

    graphql_fields = APIStructBlock.graphql_fields + [
        GraphQLImage("image", source="graphql_image", description="Null if restricted"),
        GraphQLString("caption"),
        GraphQLString("credit"),
    ]

    class Meta:
        icon = "image"
        template = "blocks/captioned_image_block.html"
        description = "An image with its caption and credit"

    def graphql_image(self, info, values: dict[str, Any], **kwargs):
        return public_object(values["image"], info.context)


@register_streamfield_block
class QuoteBlock(APIStructBlock):
    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=255)

    graphql_fields = APIStructBlock.graphql_fields + [
        GraphQLString("text", required=True),
        GraphQLString("attribution"),
    ]

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        description = "A quotation and who said it"
        preview_value = {
            "text": "Security is a common good, and cities are where it is made.",
            "attribution": "Demo text",
        }


@register_streamfield_block
class DocumentLinkBlock(APIStructBlock):
    document = DocumentChooserBlock()
    # Not "label": grapple would resolve it to the block's own label attribute.
    link_text = blocks.CharBlock(
        required=False, max_length=255, help_text="Defaults to the document's title"
    )

    graphql_fields = APIStructBlock.graphql_fields + [
        GraphQLDocument("document", source="graphql_document", description="Null if restricted"),
        GraphQLString("link_text"),
    ]

    class Meta:
        icon = "doc-full"
        template = "blocks/document_link_block.html"
        description = "A link to a file in the document library"

    def graphql_document(self, info, values: dict[str, Any], **kwargs):
        return public_object(values["document"], info.context)


@register_streamfield_block
class CallToActionBlock(APIStructBlock):
    text = blocks.CharBlock(max_length=255)
    page = blocks.PageChooserBlock(required=False)
    url = blocks.URLBlock(required=False, help_text="Used when no page is chosen")

    graphql_fields = APIStructBlock.graphql_fields + [
        GraphQLString("text", required=True),
        GraphQLPage("page", source="graphql_page", description="Null if not live and public"),
        GraphQLString("url"),
    ]

    class Meta:
        icon = "link"
        template = "blocks/call_to_action_block.html"
        description = "A button that leads to a page or an address"
        preview_value = {"text": "Read the manifesto", "url": "https://efus.eu/"}

    def graphql_page(self, info, values: dict[str, Any], **kwargs):
        # The chooser gives a plain Page: specific, or grapple would type it as its base Page.
        return public_object(values["page"], info.context)

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={"page": ValidationError("Choose a page or give a URL.")}
            )
        return value


class BaseStreamBlock(blocks.StreamBlock):
    """The blocks every page body is made of."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        icon="pilcrow",
        features=["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"],
        description="Text with links and lists",
        preview_value="<p>Cities co-produce security with their citizens. (Demo text.)</p>",
    )
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    embed = EmbedBlock(
        icon="media", description="A video or post from an address (YouTube, Vimeo, ...)"
    )
    document = DocumentLinkBlock()
    call_to_action = CallToActionBlock()
