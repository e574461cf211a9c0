"""Development: a local machine with no server but this one."""

from cms.env import env_bool, env_keys, env_list, env_mapping, env_str

from .base import *  # noqa: F403
from .base import (
    CONTENT_SECURITY_POLICY,
    GRAPPLE,
    STORAGES,
    WAGTAIL_HEADLESS_PREVIEW,
    preview_client_urls,
)

DEBUG = True
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")  # dev only
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "conference.localhost", "[::1]"]
GRAPPLE = {**GRAPPLE, "EXPOSE_GRAPHIQL": True}
# Plain static storage: no collectstatic step before runserver.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The reference front end (frontend/, served by `make run` on port 3000) answers for both
# demo sites by their Host: every URL the API gives out for them opens a page there.
FRONTEND_URLS = env_mapping(
    "FRONTEND_URLS",
    {
        "localhost": "http://localhost:3000",
        "conference.localhost": "http://conference.localhost:3000",
    },
)
WAGTAIL_HEADLESS_PREVIEW = {
    **WAGTAIL_HEADLESS_PREVIEW,
    "CLIENT_URLS": preview_client_urls(FRONTEND_URLS),
}
# The same front ends may read /graphql/ from the browser (search-as-you-type).
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS", list(FRONTEND_URLS.values()))
# The front end's server-side key (`make run` gives it FRONTEND_API_KEY, the same string).
GRAPHQL_CLIENT_KEYS = env_keys("GRAPHQL_CLIENT_KEYS") or {
    "frontend": "dev-only-frontend-key-0123456789abcdef"
}
# The editor's preview panel frames the local front ends, which are plain http.
CONTENT_SECURITY_POLICY = {
    **CONTENT_SECURITY_POLICY,
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "frame-src": [
            *CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"],
            *FRONTEND_URLS.values(),
        ],
    },
}
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Webhook receivers in development (and the tests' receivers) listen on 127.0.0.1.
WEBHOOKS_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOKS_ALLOW_PRIVATE_TARGETS", True)

# `make run` is two processes (the server and the search worker): a file cache they share
# lets the worker's index updates drop cached search answers, as Redis does in production.
if not env_str("REDIS_URL", ""):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),  # noqa: F405
        }
    }
    GRAPHQL_CACHE_TIMEOUT = int(env_str("GRAPHQL_CACHE_TIMEOUT", "600"))

# The SQLite file and media live under var/; create it so a fresh clone just runs.
VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405
