from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from grapple.urls import graphiql
from wagtail import hooks
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import health
from cms.api.view import GraphQLHTTPView
from cms.metrics import MetricsView
from cms.upload_views import DocumentsMultipleAddView, ImagesMultipleAddView

urlpatterns = [
    # Before the admin's own: its multiple-upload pages, starting on the catalogue's collection.
    path("admin/images/multiple/add/", ImagesMultipleAddView.as_view()),
    path("admin/documents/multiple/add/", DocumentsMultipleAddView.as_view()),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # The one GraphQL endpoint (CSRF-exempt, cookie-free). grapple's GraphiQL page finds it
    # by the name "grapple_graphql", so the name stays.
    path("graphql/", GraphQLHTTPView.as_view(), name="grapple_graphql"),
    # Operations: liveness, readiness, Prometheus (README, "Operations").
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", MetricsView.as_view(), name="metrics"),
]
# The apps' own public URLs (feeds/: the feeds, sitemaps and robots.txt), registered with the
# `register_public_urls` hook as they register their GraphQL root fields: cms names no app above.
for public_urls in hooks.get_hooks("register_public_urls"):
    urlpatterns += public_urls()
if settings.GRAPPLE.get("EXPOSE_GRAPHIQL", False):
    urlpatterns.append(path("graphiql/", graphiql, name="grapple_graphiql"))

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Last: Wagtail's page serving (editors' previews), and the page URLs it gives: English at the
# root, the other locales under their prefix (/fr/...), so translations never share a path.
urlpatterns += i18n_patterns(path("", include(wagtail_urls)), prefix_default_language=False)
