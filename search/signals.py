"""Receivers that turn content changes into index updates (see `indexing`).

Each receiver only works out which pages a change touches and calls `indexing.queue_pages`.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
    Site,
)
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from cms.models import Member, Project, Topic
from positions.models import PositionDownload, PositionSignatory, PressReleaseAttachment
from publications.models import PublicationDownload

from . import indexing
from .documents import SEARCHABLE_TYPES

DOWNLOAD_MODELS = (PublicationDownload, PositionDownload, PressReleaseAttachment)


def on_page_changed(sender, instance, **kwargs) -> None:
    indexing.queue_pages([instance.pk])
    if instance.live and instance.expire_at and instance.expire_at > timezone.now():
        # The API hides a page once its expiry time passes, before `publish_scheduled`
        # unpublishes it: the index drops it then too.
        indexing.queue_at(instance.pk, instance.expire_at)


def on_page_deleted(sender, instance, **kwargs) -> None:
    indexing.queue_pages([instance.pk])


def on_page_moved(sender, instance, **kwargs) -> None:
    indexing.queue_subtree(instance)


def on_view_restriction_changed(sender, instance, **kwargs) -> None:
    page = Page.objects.filter(pk=instance.page_id).first()  # gone if deleted with its page
    if page is not None:
        indexing.queue_subtree(page)


def _pages_with_documents(document_ids) -> set[int]:
    pages: set[int] = set()
    for model in DOWNLOAD_MODELS:
        pages.update(
            model.objects.filter(document_id__in=document_ids).values_list("page_id", flat=True)
        )
    return pages


def on_collection_restriction_changed(sender, instance, **kwargs) -> None:
    collection = Collection.objects.filter(pk=instance.collection_id).first()
    if collection is None:
        return
    collections = collection.get_descendants(inclusive=True)
    documents = get_document_model().objects.filter(collection__in=collections)
    indexing.queue_pages(_pages_with_documents(documents.values("pk")))


def on_document_changed(sender, instance, update_fields=None, **kwargs) -> None:
    if update_fields is not None and set(update_fields) <= {"file_hash", "file_size"}:
        return  # Wagtail filling in the hash of the same file (search.pdf_text asks it to)
    indexing.queue_pages(_pages_with_documents([instance.pk]))


def on_relation_deleted(sender, instance, **kwargs) -> None:
    # A download or signatory row removed (also when its document or member is deleted).
    indexing.queue_pages([instance.page_id])


def on_taxonomy_changed(sender, instance, **kwargs) -> None:
    pages: set[int] = set()
    if isinstance(instance, Topic):
        # Its translations' pages too: a page shows a topic in its own locale where it can.
        same = Topic.objects.filter(translation_key=instance.translation_key)
        for model in SEARCHABLE_TYPES.values():
            pages.update(model.objects.filter(topics__in=same).values_list("pk", flat=True))
    elif isinstance(instance, Project):
        pages.update(instance.publications.values_list("pk", flat=True))
    else:
        pages.update(
            PositionSignatory.objects.filter(member=instance).values_list("page_id", flat=True)
        )
    indexing.queue_pages(pages)


def on_site_saving(sender, instance, **kwargs) -> None:
    # The root the site had: its pages lose the site's hostname (and their URLs change).
    instance._search_old_root_id = (
        Site.objects.filter(pk=instance.pk).values_list("root_page_id", flat=True).first()
        if instance.pk
        else None
    )


def on_site_changed(sender, instance, **kwargs) -> None:
    roots = {instance.root_page_id, getattr(instance, "_search_old_root_id", None)} - {None}
    for root in Page.objects.filter(pk__in=roots):
        indexing.queue_subtree(root)


def connect() -> None:
    """Connect the receivers (called once, from the app's ready())."""
    for model in SEARCHABLE_TYPES.values():
        page_published.connect(on_page_changed, sender=model, dispatch_uid=f"search-pub-{model}")
        page_unpublished.connect(on_page_changed, sender=model, dispatch_uid=f"search-unp-{model}")
        post_delete.connect(on_page_deleted, sender=model, dispatch_uid=f"search-del-{model}")
    post_page_move.connect(on_page_moved, dispatch_uid="search-move")
    # A parent's new slug changes its children's URLs. Wagtail sends this after the commit,
    # so this one update is recorded just after the change rather than with it.
    page_slug_changed.connect(on_page_moved, dispatch_uid="search-slug")
    for signal in (post_save, post_delete):
        name = "save" if signal is post_save else "delete"
        signal.connect(
            on_view_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"search-pvr-{name}",
        )
        signal.connect(
            on_collection_restriction_changed,
            sender=CollectionViewRestriction,
            dispatch_uid=f"search-cvr-{name}",
        )
        signal.connect(on_site_changed, sender=Site, dispatch_uid=f"search-site-{name}")
    pre_save.connect(on_site_saving, sender=Site, dispatch_uid="search-site-presave")
    post_save.connect(on_document_changed, sender=get_document_model(), dispatch_uid="search-doc")
    for model in (Topic, Project, Member):
        post_save.connect(on_taxonomy_changed, sender=model, dispatch_uid=f"search-tax-{model}")
        # Before the delete, while the pages that use it can still be found.
        pre_delete.connect(on_taxonomy_changed, sender=model, dispatch_uid=f"search-taxdel-{model}")
    for model in (*DOWNLOAD_MODELS, PositionSignatory):
        post_delete.connect(on_relation_deleted, sender=model, dispatch_uid=f"search-rel-{model}")
