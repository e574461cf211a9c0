"""The admin's multiple-upload pages (Images and Documents menus), on the catalogue's collection.

Wagtail preselects the collection named by `?collection_id=` and otherwise the first one, the
root; the single upload forms start on UPLOAD_COLLECTION_NAME (`upload_forms.py`), and these
pages now do too. An explicit `?collection_id=` (a filtered listing's "Add") still wins.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from wagtail.documents.views.multiple import AddView as DocumentsAddView
from wagtail.images.views.multiple import AddView as ImagesAddView


class DefaultCollectionAddMixin:
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        collections = context.get("collections")
        if context.get("selected_collection_id") or not collections:
            return context
        default = collections.filter(name=settings.UPLOAD_COLLECTION_NAME).first()
        if default is not None:
            # The template compares it with each option's unlocalized pk, as a string.
            context["selected_collection_id"] = str(default.pk)
        return context


class ImagesMultipleAddView(DefaultCollectionAddMixin, ImagesAddView):
    pass


class DocumentsMultipleAddView(DefaultCollectionAddMixin, DocumentsAddView):
    pass
