"""The GraphQL API's settings: its limits, the response cache, persisted queries and the CDN
purge (cms/api/; docs/graphql-http.md). Part of base.py, which imports every name here."""

from cms.env import env_bool, env_list, env_str

# --- GraphQL API limits (cms/api/limits.py; docs/graphql-http.md, "Limits") ---
# Every request to /graphql/ is measured against these before it runs; a key left out keeps
# the default of cms.api.limits.DEFAULT_LIMITS.
GRAPHQL_LIMITS = {
    "MAX_BODY_BYTES": 20_000,  # a bigger POST body is refused with 413
    "MAX_TOKENS": 2_000,
    "MAX_OPERATIONS": 1,
    "MAX_ALIASES": 30,
    "MAX_DEPTH": 10,
    "MAX_LIST_NESTING": 3,
    "MAX_COST": 1_000,
    "DEFAULT_LIST_SIZE": 10,  # assumed length of a list without perPage or limit
    "LEAF_COST": 0,  # scalars and enums; objects and lists cost 1
    "TIMEOUT_SECONDS": 5.0,
    "MAX_NEW_RENDITIONS": 4,  # image sizes one request may create (existing ones are free)
    # FIELD_COSTS (the search fields, the lists' facets) keeps cms.api.limits' default: it
    # names schema fields, so it changes with the code, not with a deployment.
}
# __schema and __type queries (__typename is always allowed); off in production.
GRAPHQL_INTROSPECTION = env_bool("GRAPHQL_INTROSPECTION", True)
# graphql-core's "Did you mean …?" in error messages; off in production, like introspection.
GRAPHQL_SUGGESTIONS = env_bool("GRAPHQL_SUGGESTIONS", GRAPHQL_INTROSPECTION)

# --- GraphQL response cache and persisted queries (cms/api/cache.py, cms/api/persisted.py) ---
# Seconds an anonymous query's answer is kept in the Django cache (0: not at all); publishing,
# unpublishing, moving, deleting or restricting content drops every kept answer sooner.
# A cached answer is dropped by a change made in another process (the admin's, the search
# worker's) only through a cache they share: without REDIS_URL the default is 0 (off), since
# a per-process memory cache would serve answers older than the content.
GRAPHQL_CACHE_TIMEOUT = int(
    env_str("GRAPHQL_CACHE_TIMEOUT", "600" if env_str("REDIS_URL", "") else "0")
)
# `Cache-Control: public, max-age=...` on GET answers. Short: browsers and CDNs are not told
# when content changes (unless the CDN purge below is set up).
GRAPHQL_CACHE_MAX_AGE = int(env_str("GRAPHQL_CACHE_MAX_AGE", "60"))
# Allowlist mode: only the persisted queries loaded with `manage.py graphql_persist` run.
GRAPHQL_PERSISTED_QUERIES_ONLY = env_bool("GRAPHQL_PERSISTED_QUERIES_ONLY", False)
# At most this many queries registered by clients are kept (the oldest go first); the ones
# `manage.py graphql_persist` loads are not counted and never dropped.
GRAPHQL_PERSISTED_QUERIES_MAX = int(env_str("GRAPHQL_PERSISTED_QUERIES_MAX", "5000"))
# Optional CDN purge on every invalidation, through Wagtail's frontend cache backends: the URLs
# to purge (e.g. https://cms.example.org/graphql/* on CloudFront) and the CDN to tell. The
# frontend_cache app itself is not installed: its own handlers would purge pages' URLs, which
# here are the front ends', not the API's.
GRAPHQL_CDN_PURGE_URLS = env_list("GRAPHQL_CDN_PURGE_URLS", [])
if env_str("FRONTEND_CACHE_LOCATION", ""):
    # A cache that takes HTTP PURGE requests (Varnish, nginx's proxy_cache_purge...).
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": env_str("FRONTEND_CACHE_LOCATION", ""),
        }
    }
elif env_str("FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID", ""):
    # Needs boto3 and AWS credentials in the environment.
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
            "DISTRIBUTION_ID": env_str("FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID", ""),
        }
    }
