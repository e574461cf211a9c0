"""The feeds', sitemaps' and robots.txt's URLs, added to the project's (cms/urls.py)."""

from wagtail import hooks

from . import urls


@hooks.register("register_public_urls")
def feeds_urls() -> list:
    return urls.urlpatterns
