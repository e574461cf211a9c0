from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "CMS"

    def ready(self) -> None:
        from django.db.models.signals import post_save
        from wagtail.images import get_image_model

        from .renditions import on_image_saved

        post_save.connect(on_image_saved, sender=get_image_model(), dispatch_uid="cms-renditions")
