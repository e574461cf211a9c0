"""Benchmark-only settings: production's base, DEBUG off, its own database and search index.

Never used by the product: `benchmarks/urls.py` adds Wagtail's REST API v2 (the comparison)
and the floor view on top of the project's URLs.
"""

from cms.settings.base import *  # noqa: F403
from cms.settings.base import INSTALLED_APPS, STORAGES, database_settings

from . import config

SECRET_KEY = "bench-only-not-secret"
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
ROOT_URLCONF = "benchmarks.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.api.v2", "rest_framework"]

# As the product runs them (cms/settings/database.py): connections kept between requests, and
# for SQLite WAL, IMMEDIATE transactions and a busy timeout.
DATABASES = {"default": database_settings(config.database_url())}

# Everything the runs write stays under var/bench/.
MEDIA_ROOT = str(config.BENCH_DIR / "media")
STATIC_ROOT = str(config.BENCH_DIR / "static")
SEARCH_INDEX_DIR = config.BENCH_DIR / f"search-{config.database_key()}"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The response cache is measured on the memory cache (production's default without Redis
# turns it off: see cms/settings/base.py); each gunicorn worker warms its own.
GRAPHQL_CACHE_TIMEOUT = 600
# One client (the benchmark) sends thousands of requests a minute from one address.
GRAPHQL_RATE_LIMIT_POINTS = 10**12
# REST v2 refuses limit=100 by default (20); the comparison needs the same page sizes.
WAGTAILAPI_LIMIT_MAX = 100
WAGTAILAPI_BASE_URL = "http://localhost"
# Warnings only: a line per request would be timed too.
LOGGING = {
    **LOGGING,  # noqa: F405
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {**LOGGING["loggers"], "cms.requests": {"level": "WARNING"}},  # noqa: F405
}
# The 100-item listing costs more than production's MAX_COST (cms/api/limits.py refuses it):
# raised here so it can be measured; the results give each listing's cost beside the limit.
PRODUCTION_MAX_COST = GRAPHQL_LIMITS["MAX_COST"]  # noqa: F405
GRAPHQL_LIMITS = {**GRAPHQL_LIMITS, "MAX_COST": 100_000}  # noqa: F405
