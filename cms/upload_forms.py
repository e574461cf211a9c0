"""The admin's image and document forms, with the catalogue's collection chosen by default.

Wagtail preselects the first collection (the root): files uploaded from a publication's form
landed beside nothing instead of with the catalogue's files, whose collection carries their
privacy and the editors' rights. Settings WAGTAILIMAGES_IMAGE_FORM_BASE and
WAGTAILDOCS_DOCUMENT_FORM_BASE point here; UPLOAD_COLLECTION_NAME names the collection.
"""

from __future__ import annotations

from django.conf import settings
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm


class DefaultCollectionMixin:
    """A new file's collection field starts on UPLOAD_COLLECTION_NAME, if the editor may add
    to it (Wagtail has already narrowed `self.collections` to those)."""

    def __init__(self, *args, **kwargs):
        chosen = "collection" in (kwargs.get("initial") or {})  # e.g. a listing's filter
        super().__init__(*args, **kwargs)
        if chosen or "collection" not in self.fields or self.instance.pk or self.is_bound:
            return
        default = self.collections.filter(name=settings.UPLOAD_COLLECTION_NAME).first()
        if default is not None:
            # In place of the new instance's own default, the root collection.
            self.initial["collection"] = default.pk


class CatalogueImageForm(DefaultCollectionMixin, BaseImageForm):
    pass


class CatalogueDocumentForm(DefaultCollectionMixin, BaseDocumentForm):
    pass
