"""The project's URLs plus what only the benchmark serves: REST API v2, the floor, the anchor."""

from django.urls import path

from cms.urls import urlpatterns as project_urlpatterns

from . import views
from .rest import api_router

urlpatterns = [
    path("api/v2/", api_router.urls),
    path("bench/floor/<slug:name>/", views.floor, name="bench_floor"),
    path("bench/anchor-search/", views.anchor_search, name="bench_anchor_search"),
    # Last: the project's own, which end with Wagtail's catch-all page serving.
    *project_urlpatterns,
]
