"""The publications' GraphQL root fields: the `publications` list and one `publication`."""

from __future__ import annotations

import graphene

from cms.api import catalogue, items, listing
from cms.api.facets import ChoiceFacet

from .models import PublicationPage, PublicationType

PublicationList = catalogue.list_type("PublicationList", PublicationPage)
TYPE_FACET = ChoiceFacet("type", "publication_type", tuple(PublicationType.choices))


class PublicationsQuery(graphene.ObjectType):
    publications = catalogue.list_field(
        PublicationList,
        type=graphene.String(description="One of: " + ", ".join(PublicationType.values)),
        language=graphene.String(description="ISO 639-1 code among the downloads"),
        project=graphene.String(description="A project's slug"),
    )
    publication = items.item_field(PublicationPage)

    def resolve_publications(self, info, type=None, **kwargs):
        filters = {}
        if type is not None:
            filters["publication_type"] = listing.check_choice(type, PublicationType.values, "type")
        return catalogue.resolve_list(
            PublicationPage, info, **kwargs, **filters, choice=TYPE_FACET, languages=True
        )

    def resolve_publication(self, info, **kwargs):
        return items.resolve_item(PublicationPage, info, **kwargs)
