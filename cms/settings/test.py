"""Tests: the dev settings with fast hashing and throwaway media."""

import tempfile
from pathlib import Path

from .dev import *  # noqa: F403

# Fast password hashing: tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Files written by tests go to a temporary folder, never into var/media.
MEDIA_ROOT = tempfile.mkdtemp(prefix="cms-test-media-")
ALLOWED_HOSTS = ["*"]
# The whole suite calls /graphql/ from one address with one process-wide cache: a budget it
# cannot exhaust. The rate-limit tests set their own small limits.
GRAPHQL_RATE_LIMIT_POINTS = 10**9
# Front ends' keys from a developer's environment stay out of the tests.
GRAPHQL_CLIENT_KEYS: dict[str, str] = {}
# Each test run gets its own embedded search index; search tests rebuild it from their data.
SEARCH_INDEX_DIR = Path(tempfile.mkdtemp(prefix="cms-test-search-"))
# Tests rebuild indexes by the hundred with no search in flight: old ones go at once (the
# test of searches during a rebuild runs its server on the dev settings' grace).
SEARCH_REINDEX_GRACE_SECONDS = 0
# Tests never reach a real Elasticsearch unless they ask for one (`-m elasticsearch`).
ELASTICSEARCH_URL = ""
# Only the hybrid search tests pay for the embedding model (they turn this on).
SEARCH_VECTORS_ENABLED = False
# One process: the memory cache, cleared around each test (tests/conftest.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
GRAPHQL_CACHE_TIMEOUT = 600
