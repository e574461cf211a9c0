"""The feeds' URL contract (the front end links to exactly these), the sitemaps, robots.txt."""

from django.urls import path, re_path

from . import views

_SCOPE = r"^feeds/(?P<hostname>[^/]+)/(?P<locale>[^/]+)/"

urlpatterns = [
    re_path(_SCOPE + r"topics/(?P<topic>[-\w]+)\.rss$", views.rss_feed, name="feeds_topic_rss"),
    re_path(_SCOPE + r"topics/(?P<topic>[-\w]+)\.atom$", views.atom_feed, name="feeds_topic_atom"),
    re_path(_SCOPE + r"(?P<feed>[-\w]+)\.rss$", views.rss_feed, name="feeds_rss"),
    re_path(_SCOPE + r"(?P<feed>[-\w]+)\.atom$", views.atom_feed, name="feeds_atom"),
    path("sitemap.xml", views.host_sitemap, name="sitemap"),
    path("sitemaps/<str:hostname>.xml", views.site_sitemap, name="site_sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
