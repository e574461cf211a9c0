from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "CMS"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from wagtail.contrib.redirects.models import Redirect
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtail.models import CollectionViewRestriction, Locale, Page, PageViewRestriction
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from . import cache_breaker, locale_trees, signals
        from .api import cache
        from .api.cache import content_changed
        from .models import Member, Project, Topic
        from .renditions import on_image_saved

        # Every locale's tree has the home pages and indexes (cms/locale_trees.py).
        page_published.connect(locale_trees.on_page_published, dispatch_uid="cms-locale-trees")
        post_save.connect(
            locale_trees.on_locale_saved, sender=Locale, dispatch_uid="cms-locale-trees-locale"
        )
        post_save.connect(on_image_saved, sender=get_image_model(), dispatch_uid="cms-renditions")
        signals.search_index_changed.connect(
            cache.on_search_index_changed, dispatch_uid="cms-api-cache-search-index"
        )
        cache_breaker.redis_recovered.connect(
            cache.on_cache_recovered, dispatch_uid="cms-api-cache-redis-recovered"
        )

        # Any change of what a cached GraphQL answer may contain drops the cached answers.
        # Scheduled go-live and expiry arrive as page_published and page_unpublished.
        for name, signal in (
            ("published", page_published),
            ("unpublished", page_unpublished),
            ("moved", post_page_move),
        ):
            signal.connect(content_changed, dispatch_uid=f"cms-api-cache-page-{name}")
        # Deleting a page of any type deletes its Page row too, which sends post_delete for Page.
        post_delete.connect(content_changed, sender=Page, dispatch_uid="cms-api-cache-page-deleted")
        for model in (
            PageViewRestriction,
            CollectionViewRestriction,
            Topic,
            Project,
            Member,
            # The `redirect` root field's answers (cms/redirects.py).
            Redirect,
            get_document_model(),
            get_image_model(),
        ):
            for name, signal in (("saved", post_save), ("deleted", post_delete)):
                signal.connect(
                    content_changed,
                    sender=model,
                    dispatch_uid=f"cms-api-cache-{model._meta.label_lower}-{name}",
                )
