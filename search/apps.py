from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Public search"

    def ready(self) -> None:
        from . import signals

        signals.connect()
