"""Production: HTTPS only, secrets required, nothing defaulted that should be chosen."""

from cms.env import env_bool, env_list, env_str

from .base import *  # noqa: F403
from .base import LOGGING, MIDDLEWARE, SECRET_KEY, STORAGES, require

SECRET_KEY = require("SECRET_KEY", SECRET_KEY)
require("ALLOWED_HOSTS", env_str("ALLOWED_HOSTS", ""))

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(env_str("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
GRAPHQL_INTROSPECTION = GRAPHQL_SUGGESTIONS = False  # the schema is not advertised publicly

# Load balancers probe over plain HTTP: their checks are not redirected to HTTPS. A server-side
# front end on the same private network may read the API over plain HTTP too
# (SECURE_REDIRECT_EXEMPT_EXTRA="^graphql/", as compose.yaml's does): otherwise its request
# is redirected to https://<internal host>, which answers no TLS.
SECURE_REDIRECT_EXEMPT = [
    r"^healthz$",
    r"^readyz$",
    r"^metrics$",
    *env_list("SECURE_REDIRECT_EXEMPT_EXTRA", []),
]

# Static files served by the app itself (WhiteNoise), compressed and with hashed names that
# are cached for a year: one process is enough behind a proxy. `collectstatic` at deploy.
MIDDLEWARE = [
    *MIDDLEWARE[: MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1],
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1 :],
]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# One JSON object per line, for a log collector (the fields: README, "Operations").
LOGGING = {
    **LOGGING,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(process)d %(message)s %(request_id)s",
            "rename_fields": {"levelname": "level", "name": "logger", "process": "pid"},
            "timestamp": "time",  # ISO 8601, UTC
        }
    },
    "handlers": {"console": {**LOGGING["handlers"]["console"], "formatter": "json"}},
}
