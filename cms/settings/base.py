"""Base settings: production-safe defaults, every secret and service address from the environment.

dev.py and test.py are short diffs on top of this file; production.py adds the hardening
that only makes sense behind HTTPS.
"""

from pathlib import Path

from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from cms.env import env_bool, env_keys, env_list, env_mapping, env_str

from .database import database_settings

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("CMS_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "cms",
    "publications",
    "positions",
    "search",
    "catalogue",
    "webhooks",
    "feeds",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # The sitemap's template (feeds/sitemaps.py renders it through Wagtail's sitemaps app).
    "django.contrib.sitemaps",
    # grapple reads the wagtail models at start-up, so it must come after them.
    "grapple",
    "graphene_django",
    "wagtail_headless_preview",
    "corsheaders",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # Outermost: the request id (X-Request-ID) and one log line for every answer, refusals too.
    "cms.logs.RequestLogMiddleware",
    # First, so that even a refused request (429, 500) carries the CORS headers a browser
    # needs to show the front end the error instead of an opaque network failure.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before sessions and auth: a rate-limited request costs no database query.
    "cms.api.ratelimit.GraphQLRateLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # A view that meets a dead database: 503 and Retry-After instead of a 500.
    "cms.db_outage.DatabaseOutageMiddleware",
    # Last, as django-axes requires: it answers a locked-out login after the view refused it.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
# DATABASE_URL picks the server (postgres://...); without it, a SQLite file under var/.
# The options for each engine: cms/settings/database.py.
DATABASES = {
    "default": database_settings(env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"))
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
# Rate-limit counters live here. Local memory is per process, so with several workers set
# REDIS_URL: every worker then counts against the same budget.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env_str("REDIS_URL", ""):
    # Django's RedisCache behind a breaker (cms/cache_breaker.py): a Redis that is down or
    # hangs costs one short timeout, then is skipped for REDIS_BREAKER_SECONDS at a time.
    CACHES["default"] = {
        "BACKEND": "cms.cache_breaker.BreakerRedisCache",
        "LOCATION": env_str("REDIS_URL", ""),
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "cms"),
        "OPTIONS": {
            # redis-py's default is 5 s; a Redis on the local network answers in well under 1 ms.
            "socket_connect_timeout": float(env_str("REDIS_CONNECT_TIMEOUT_SECONDS", "0.05")),
            "socket_timeout": float(env_str("REDIS_TIMEOUT_SECONDS", "0.05")),
            "BREAKER_SECONDS": float(env_str("REDIS_BREAKER_SECONDS", "5")),
        },
    }

# django-axes' backend first: it refuses a locked-out username+IP before any password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages ----------------------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = True
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = [
    ("en", "English"),
    ("fr", "French"),
    ("es", "Spanish"),
    ("it", "Italian"),
    ("de", "German"),
    ("pt", "Portuguese"),
]

# --- Static and media ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env_str("STATIC_ROOT", str(VAR_DIR / "static"))
MEDIA_URL = env_str("MEDIA_URL", "/media/")
MEDIA_ROOT = env_str("MEDIA_ROOT", str(VAR_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
# Object storage is an option: set AWS_STORAGE_BUCKET_NAME, with the "s3" extra installed
# (`pip install -e ".[s3]"`; the image has it). Credentials come from boto3's own variables.
if env_str("AWS_STORAGE_BUCKET_NAME", ""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME", ""),
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("AWS_S3_REGION_NAME", "") or None,
            "querystring_auth": True,
        },
    }

# --- Wagtail ------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = env_str("WAGTAIL_SITE_NAME", "European Forum for Urban Security")
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILDOCS_SERVE_METHOD = "serve_view"  # through Wagtail's view, so collection privacy holds
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "xlsx", "ods", "pptx", "odp", "epub", "txt", "csv"]
# Any other type (HTML, SVG... a file uploaded before the extension list, or put in storage
# by hand) is sent as an attachment, so it never runs script in the CMS's origin; with the
# CSP Wagtail adds to served documents as a second fence.
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = True
WAGTAILDOCS_MAX_UPLOAD_SIZE = int(env_str("WAGTAILDOCS_MAX_UPLOAD_SIZE", str(100 * 1024 * 1024)))
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "avif"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = int(env_str("WAGTAILIMAGES_MAX_UPLOAD_SIZE", str(20 * 1024 * 1024)))
# A small file can decode to a huge bitmap (a decompression bomb): cap the pixels instead.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = int(env_str("WAGTAILIMAGES_MAX_IMAGE_PIXELS", "60000000"))
WAGTAILSEARCH_BACKENDS = {
    # Wagtail's own backend serves the admin's search only; public search lives in search/.
    "default": {"BACKEND": "wagtail.search.backends.database"},
}
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# A live page whose slug changes (or that moves) gets a redirect from its old path, and so do
# the pages under it; front ends read them through GraphQL's `redirect` (cms/redirects.py).
WAGTAILREDIRECTS_AUTO_CREATE = True

# Public search (search/): Elasticsearch when ELASTICSEARCH_URL is set (the alias
# SEARCH_INDEX_NAME points at the index in use), else the embedded tantivy index under
# SEARCH_INDEX_DIR. Each file's PDF text is capped so a huge PDF cannot exhaust memory.
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL", "")
SEARCH_INDEX_NAME = env_str("SEARCH_INDEX_NAME", "efus-catalogue")
SEARCH_INDEX_DIR = Path(env_str("SEARCH_INDEX_DIR", str(VAR_DIR / "search")))
SEARCH_TIMEOUT_SECONDS = float(env_str("SEARCH_TIMEOUT_SECONDS", "3"))
SEARCH_WRITE_TIMEOUT_SECONDS = float(env_str("SEARCH_WRITE_TIMEOUT_SECONDS", "10"))
# search_reindex drops the old index this long after the swap: searches begun on it finish
# (longer than SEARCH_TIMEOUT_SECONDS).
SEARCH_REINDEX_GRACE_SECONDS = float(env_str("SEARCH_REINDEX_GRACE_SECONDS", "5"))
SEARCH_PDF_MAX_PAGES = int(env_str("SEARCH_PDF_MAX_PAGES", "300"))
SEARCH_PDF_MAX_CHARS = int(env_str("SEARCH_PDF_MAX_CHARS", "200000"))
# Hybrid search (search/embeddings.py, search/vectors.py): multilingual sentence vectors
# beside the lexical index, so a French query finds an English report. The class named
# embeds; SEARCH_VECTORS_ENABLED = False indexes and searches lexically only.
SEARCH_VECTORS_ENABLED = env_bool("SEARCH_VECTORS_ENABLED", True)
SEARCH_EMBEDDER = env_str("SEARCH_EMBEDDER", "search.embeddings.USEM3Embedder")
# A model that failed to load is tried again after this long (meanwhile: lexical only).
SEARCH_EMBEDDER_RETRY_SECONDS = float(env_str("SEARCH_EMBEDDER_RETRY_SECONDS", "300"))
# Each gunicorn worker loads the model in a background thread as it starts (about 5 s and
# 120 MB per worker, which the first hybrid search would pay otherwise); off: on first use.
SEARCH_EMBEDDER_PRELOAD = env_bool("SEARCH_EMBEDDER_PRELOAD", True)
# Vectors per document: its title, subtitle, summary and topics, plus the first chunks of
# its PDF text, at most this many, of about this many characters each.
SEARCH_VECTOR_PDF_CHUNKS = int(env_str("SEARCH_VECTOR_PDF_CHUNKS", "3"))
SEARCH_VECTOR_CHUNK_CHARS = int(env_str("SEARCH_VECTOR_CHUNK_CHARS", "1000"))
# A document matches a query semantically when its best vector's cosine similarity with the
# query's reaches this, among the best SEARCH_SEMANTIC_MAX_MATCHES of the locale and site.
SEARCH_SEMANTIC_MIN_SIMILARITY = float(env_str("SEARCH_SEMANTIC_MIN_SIMILARITY", "0.25"))
SEARCH_SEMANTIC_MAX_MATCHES = int(env_str("SEARCH_SEMANTIC_MAX_MATCHES", "100"))

# Background work (django-tasks). Index updates are written to the database in the
# transaction of the publish that causes them ("search" backend) and run by
# `manage.py tasks_worker --backend search --queue-name search`. Wagtail's own background work
# (its admin search index, the reference index) keeps running in the request ("default").
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "search": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["search"]},
    # Webhook deliveries (webhooks/), recorded like index updates, sent by their own worker
    # (`tasks_worker --backend webhooks --queue-name webhooks`) so a slow receiver never
    # holds up the index.
    "webhooks": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["webhooks"]},
}
# A task RUNNING this long whose worker has stopped beating as long is run again by the next
# worker (cms/task_leases.py). Longer than the slowest update (a large PDF) takes.
TASK_LEASE_SECONDS = float(env_str("TASK_LEASE_SECONDS", "300"))

# Webhooks (webhooks/, README "Webhooks"): how long a receiver may take to accept the
# connection and to answer; how long a rotated-out secret still signs beside the new one.
# Targets resolving to loopback, private, link-local or other non-public addresses are
# refused unless WEBHOOKS_ALLOW_PRIVATE_TARGETS is set (dev and test settings set it).
WEBHOOKS_CONNECT_TIMEOUT_SECONDS = float(env_str("WEBHOOKS_CONNECT_TIMEOUT_SECONDS", "5"))
WEBHOOKS_READ_TIMEOUT_SECONDS = float(env_str("WEBHOOKS_READ_TIMEOUT_SECONDS", "10"))
WEBHOOKS_SECRET_OVERLAP_HOURS = float(env_str("WEBHOOKS_SECRET_OVERLAP_HOURS", "24"))
WEBHOOKS_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOKS_ALLOW_PRIVATE_TARGETS", False)

# Headless: each Wagtail site is read by its own front end. Page URLs point at it.
# FRONTEND_URLS="www.example.org=https://www.example.org,conference.example.org=https://..."
FRONTEND_URLS = env_mapping("FRONTEND_URLS", {})

# Feeds (feeds/): at most this many items each, the newest by go-live.
FEEDS_MAX_ITEMS = int(env_str("FEEDS_MAX_ITEMS", "50"))


def preview_client_urls(frontends: dict[str, str]) -> dict[str, str]:
    """Where the Preview button sends the editor: each front end's preview route
    (`/preview/`, as the reference front end in frontend/ serves it)."""
    return {
        "default": "{SITE_ROOT_URL}",
        **{host: f"{url}/preview" for host, url in frontends.items()},
    }


# Headless preview: the editor's Preview button opens the page's front end with a token, and
# the front end fetches the draft with it. A token is good for PREVIEW_TOKEN_MAX_AGE seconds.
WAGTAIL_HEADLESS_PREVIEW = {
    "CLIENT_URLS": preview_client_urls(FRONTEND_URLS),
    "ENFORCE_TRAILING_SLASH": True,
}
PREVIEW_TOKEN_MAX_AGE = int(env_str("PREVIEW_TOKEN_MAX_AGE", "3600"))

# --- GraphQL ------------------------------------------------------------------------------
# The only renditions an API client may ask for (each new one costs an image resize).
ALLOWED_IMAGE_FILTERS = [
    "width-320",
    "width-640",
    "width-960",
    "width-1280",
    "fill-300x424",
    "fill-600x848",
    "fill-400x300",
    "fill-800x600",
]
GRAPHENE = {"SCHEMA": "grapple.schema.schema"}
GRAPPLE = {
    "APPS": ["cms", "publications", "positions"],
    "AUTO_CAMELCASE": True,
    "EXPOSE_GRAPHIQL": env_bool("GRAPHIQL", False),
    "PAGE_SIZE": 20,
    "MAX_PAGE_SIZE": 100,
    "PAGE_INTERFACE": "cms.api.interfaces.PageInterface",
    "ALLOWED_IMAGE_FILTERS": ALLOWED_IMAGE_FILTERS,
}

# --- Security -------------------------------------------------------------------------------
# Reverse proxies in front of the app that append to X-Forwarded-For. 0: trust none and use
# REMOTE_ADDR (a client can write any X-Forwarded-For it likes).
TRUSTED_PROXY_COUNT = int(env_str("TRUSTED_PROXY_COUNT", "0"))

# CORS: only the front ends read the API from a browser, and only /graphql/ is theirs. No
# credentials: the API is anonymous, and a cookie must never ride along on a cross-site call.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS", [])
CORS_URLS_REGEX = r"^/graphql/$"
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ("GET", "POST", "OPTIONS")
CORS_PREFLIGHT_MAX_AGE = 86400

# Rate limit of /graphql/, per client IP: points per fixed window of seconds. A request costs
# its query cost when cms.api.limits computes one (its ApiContext.cost), else 1 point.
GRAPHQL_RATE_LIMIT_POINTS = int(env_str("GRAPHQL_RATE_LIMIT_POINTS", "2000"))
GRAPHQL_RATE_LIMIT_WINDOW = int(env_str("GRAPHQL_RATE_LIMIT_WINDOW", "60"))
# Server-side front ends (the network's site rendering its pages, the conference site) send
# all their visitors' queries from one address: each gets a key ("name=key,...", sent in the
# X-Api-Key header, never from a browser) and a budget of its own per window.
GRAPHQL_CLIENT_KEYS = env_keys("GRAPHQL_CLIENT_KEYS")
GRAPHQL_CLIENT_RATE_LIMIT_POINTS = int(env_str("GRAPHQL_CLIENT_RATE_LIMIT_POINTS", "200000"))

# Headers on every response. Django's defaults, stated so no one drops them by accident.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# CSP for the admin (the only HTML served; JSON ignores it). Wagtail's admin still has inline
# styles and a few inline scripts, hence 'unsafe-inline'; everything is loaded from 'self'.
# GraphiQL (dev only) loads its code from a CDN, so it is left out rather than loosen this.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/graphiql/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        # data:/blob: for the image previews of the upload forms; https: for embed thumbnails.
        "img-src": [SELF, "data:", "blob:", "https:"],
        "font-src": [SELF, "data:"],
        # Wagtail's admin asks releases.wagtail.org whether an upgrade is out.
        "connect-src": [SELF, "https://releases.wagtail.org"],
        # The page preview panel (the front ends) and media embeds' previews (providers).
        "frame-src": [SELF, "https:", *FRONTEND_URLS.values()],
        "frame-ancestors": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}

# Admin login lockout (django-axes): 5 failures for one username from one IP lock that pair
# out for an hour, right password or not. The IP is read as the rate limit reads it.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "cms.security.client_ip"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every record carries the id of the request or task it belongs to (cms/logs.py).
    "filters": {"request_id": {"()": "cms.request_id.RequestIdFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # One line per request ("cms.requests") and per task run ("cms.tasks").
        "cms.requests": {"level": env_str("REQUEST_LOG_LEVEL", "INFO")},
        "cms.tasks": {"level": env_str("TASK_LOG_LEVEL", "INFO")},
        # One line per background task run (search index, reference index) drowns the rest.
        "django_tasks": {"level": env_str("TASKS_LOG_LEVEL", "WARNING")},
        "django_tasks_db": {"level": env_str("TASKS_LOG_LEVEL", "WARNING")},
        "wagtail": {"level": env_str("WAGTAIL_LOG_LEVEL", "WARNING")},
        # django-axes' start-up banner ("AXES: BEGIN ...") on every management command: a cron
        # mail per run of publish_scheduled. Its login records (axes.handlers) stay.
        "axes.apps": {"level": "WARNING"},
    },
}


def require(name: str, value: str) -> str:
    """Fail start-up with a message that says which variable to set."""
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable.")
    return value


# --- GraphQL API: limits, response cache, persisted queries, CDN purge ---------------------
from .graphql_api import *  # noqa: E402, F403

# --- Operations (README, "Operations"; cms/health.py, cms/metrics.py, cms/logs.py) ----------
# /metrics and the details of /readyz: `Authorization: Bearer <METRICS_TOKEN>`, or a client
# address on METRICS_ALLOWED_IPS (as cms.security.client_ip reads it). Neither set: refused.
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", [])
# GraphQL operation names labelled as sent in the metrics (the front ends' own); others are
# "other". Left empty, the first METRICS_MAX_OPERATION_NAMES names each process sees are.
METRICS_OPERATION_NAMES = env_list("METRICS_OPERATION_NAMES", [])
METRICS_MAX_OPERATION_NAMES = int(env_str("METRICS_MAX_OPERATION_NAMES", "50"))
# /readyz answers 503 when one of these checks fails (database, cache, search, search_queue);
# a failing check not listed only makes it "degraded".
HEALTH_REQUIRED_CHECKS = env_list("HEALTH_REQUIRED_CHECKS", ["database"])
# The search_queue check fails once an index update has been due this long without running.
HEALTH_QUEUE_MAX_AGE_SECONDS = int(env_str("HEALTH_QUEUE_MAX_AGE_SECONDS", "300"))
# Each check runs in its own thread; one that has not answered by then is reported "timeout"
# (a hung server). Keep it under the load balancer's probe timeout.
HEALTH_CHECK_TIMEOUT_SECONDS = float(env_str("HEALTH_CHECK_TIMEOUT_SECONDS", "2"))

# --- The editors' side: previews, time zones, autosave, email (cms/settings/editors.py) -----
from .editors import *  # noqa: E402, F403
