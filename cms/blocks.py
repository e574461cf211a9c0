"""StreamField blocks shared by every body: one BaseStreamBlock for all page types."""

from django.core.exceptions import ValidationError
from grapple.helpers import register_streamfield_block
from grapple.models import (
    GraphQLDocument,
    GraphQLImage,
    GraphQLPage,
    GraphQLString,
)
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

HEADING_LEVELS = [("h2", "Level 2"), ("h3", "Level 3"), ("h4", "Level 4")]


@register_streamfield_block
class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=255)
    level = blocks.ChoiceBlock(choices=HEADING_LEVELS, default="h2")

    graphql_fields = [GraphQLString("text", required=True), GraphQLString("level", required=True)]

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        description = "A section heading"
        preview_value = {"text": "Prevention first", "level": "h2"}


@register_streamfield_block
class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False, max_length=500)
    credit = blocks.CharBlock(
        required=False, max_length=255, help_text="Photographer or rights holder"
    )

    graphql_fields = [GraphQLImage("image"), GraphQLString("caption"), GraphQLString("credit")]

    class Meta:
        icon = "image"
        template = "blocks/captioned_image_block.html"
        description = "An image with its caption and credit"


@register_streamfield_block
class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=255)

    graphql_fields = [GraphQLString("text", required=True), GraphQLString("attribution")]

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        description = "A quotation and who said it"
        preview_value = {
            "text": "Security is a common good, and cities are where it is made.",
            "attribution": "Demo text",
        }


@register_streamfield_block
class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    # Not "label": grapple would resolve it to the block's own label attribute.
    link_text = blocks.CharBlock(
        required=False, max_length=255, help_text="Defaults to the document's title"
    )

    graphql_fields = [GraphQLDocument("document"), GraphQLString("link_text")]

    class Meta:
        icon = "doc-full"
        template = "blocks/document_link_block.html"
        description = "A link to a file in the document library"


@register_streamfield_block
class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=255)
    page = blocks.PageChooserBlock(required=False)
    url = blocks.URLBlock(required=False, help_text="Used when no page is chosen")

    graphql_fields = [
        GraphQLString("text", required=True),
        GraphQLPage("page"),
        GraphQLString("url"),
    ]

    class Meta:
        icon = "link"
        template = "blocks/call_to_action_block.html"
        description = "A button that leads to a page or an address"
        preview_value = {"text": "Read the manifesto", "url": "https://efus.eu/"}

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
