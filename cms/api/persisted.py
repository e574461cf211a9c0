"""Persisted queries: Apollo's protocol (`extensions.persistedQuery` {version: 1, sha256Hash}).

A client sends the SHA-256 of its query instead of the query; when the server does not know
the hash yet, it answers PERSISTED_QUERY_NOT_FOUND and the client sends the query with its
hash once, which registers it. A GET by hash alone has a short URL a CDN can cache.

Registered queries are kept in the database (PersistedQuery), fronted by the Django cache:
- the allowlist mode (GRAPHQL_PERSISTED_QUERIES_ONLY) makes this table the list of the only
  queries the server runs, so it must outlive a cache flush, an eviction or a restart, and be
  the same for every process even with the per-process local memory cache;
- a hit must cost no database query (the response cache promises none), hence the cache in
  front of the table (a day per entry, then read again from the table); a query never
  changes under its hash, so nothing else invalidates it.
Only a query that parses and passes the limits and the spec's validation is registered (the
view calls `register` once it has checked the document), so the table holds nothing that
could not run; in allowlist mode nothing is registered over HTTP at all: `manage.py
graphql_persist` loads the front ends' queries at deploy time.

Anyone may register a query over HTTP, and a query's every variant (a space, an alias) has a
hash of its own, so the queries clients registered are capped (GRAPHQL_PERSISTED_QUERIES_MAX):
past the cap the oldest are dropped. A client whose query was dropped is answered
PERSISTED_QUERY_NOT_FOUND and registers it again, as the protocol expects; a registration
always runs (never from the response cache), so it pays its query's cost to the rate limit.
Queries loaded by the command are pinned: never dropped.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, models, transaction

from .errors import BAD_REQUEST, PERSISTED_QUERY_NOT_FOUND, RequestRefused

# Apollo Router's codes for an allowlist ("safelist"): a request without a hash, and a query
# whose hash is not on the list.
PERSISTED_QUERY_ID_REQUIRED = "PERSISTED_QUERY_ID_REQUIRED"
QUERY_NOT_IN_SAFELIST = "QUERY_NOT_IN_SAFELIST"

# Apollo's message, which Apollo Client also recognises.
NOT_FOUND_MESSAGE = "PersistedQueryNotFound"
MISMATCH_MESSAGE = "provided sha does not match query"
_SHA256 = re.compile(r"[0-9a-f]{64}")
_CACHE_PREFIX = "graphql-persisted:"
# A day: the cache converges on the table (a query the cap dropped, in a process whose
# memory cache still holds it, or re-registered while being dropped) within that time.
_CACHE_SECONDS = 24 * 3600


class PersistedQuery(models.Model):
    """A GraphQL document a client registered, or a deploy loaded, under its SHA-256."""

    sha256 = models.CharField(max_length=64, primary_key=True)
    query = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    pinned = models.BooleanField(
        default=False,
        help_text="Loaded by manage.py graphql_persist: kept whatever the cap on the queries "
        "clients register.",
    )

    class Meta:
        verbose_name = "persisted GraphQL query"
        # What the cap drops first: the oldest of the queries clients registered.
        indexes = [models.Index(fields=["pinned", "created_at"], name="persisted_query_age")]

    def __str__(self) -> str:
        return self.sha256


def sha256_of(query: str) -> str:
    return hashlib.sha256(query.encode("utf-8")).hexdigest()


def allowlist_only() -> bool:
    return bool(getattr(settings, "GRAPHQL_PERSISTED_QUERIES_ONLY", False))


def requested_hash(extensions: Any) -> str | None:
    """The hash in `extensions.persistedQuery`, checked; None when the request has none."""
    if not isinstance(extensions, dict) or extensions.get("persistedQuery") is None:
        return None
    persisted = extensions["persistedQuery"]
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        raise RequestRefused(
            400, "Unsupported persisted query version: send version 1.", code=BAD_REQUEST
        )
    sha = persisted.get("sha256Hash")
    if not isinstance(sha, str) or not _SHA256.fullmatch(sha):
        raise RequestRefused(
            400, "persistedQuery.sha256Hash must be 64 lowercase hex digits.", code=BAD_REQUEST
        )
    return sha


def sends_query_and_hash(data: Mapping[str, Any]) -> bool:
    """Whether the request carries a query with its hash (a registration, or a client that
    always sends both): an answer to it must not be kept under its raw bytes, so that a
    repeat reaches `resolve`, should the cap have dropped the query since."""
    extensions = data.get("extensions")
    return (
        data.get("query") is not None
        and isinstance(extensions, dict)
        and extensions.get("persistedQuery") is not None
    )


def lookup(sha: str) -> str | None:
    """The query registered under `sha`: from the cache, else from the table (then cached)."""
    query = cache.get(_CACHE_PREFIX + sha)
    if query is None:
        query = PersistedQuery.objects.filter(sha256=sha).values_list("query", flat=True).first()
        if query is not None:
            cache.set(_CACHE_PREFIX + sha, query, timeout=_CACHE_SECONDS)
    return query


def register(sha: str, query: str, *, pinned: bool = False) -> None:
    """Keep `query` under `sha`; the caller has checked the hash and the document.

    `pinned`: loaded at deploy time, never dropped (an already registered query is pinned too).
    A new query a client registered may push the oldest ones past the cap out.
    """
    created = False
    try:
        # Its own savepoint: two clients registering one query at once is not an error.
        with transaction.atomic():
            row, created = PersistedQuery.objects.get_or_create(
                sha256=sha, defaults={"query": query, "pinned": pinned}
            )
            if pinned and not row.pinned:
                PersistedQuery.objects.filter(sha256=sha).update(pinned=True)
    except IntegrityError:
        pass
    cache.set(_CACHE_PREFIX + sha, query, timeout=_CACHE_SECONDS)
    if created and not pinned:
        drop_beyond_cap()


def drop_beyond_cap() -> None:
    """Drop the oldest queries clients registered beyond GRAPHQL_PERSISTED_QUERIES_MAX, from
    the table and the cache."""
    cap = max(0, int(getattr(settings, "GRAPHQL_PERSISTED_QUERIES_MAX", 5000)))
    newest_first = PersistedQuery.objects.filter(pinned=False).order_by("-created_at", "-sha256")
    dropped = list(newest_first.values_list("sha256", flat=True)[cap:])
    if dropped:
        PersistedQuery.objects.filter(sha256__in=dropped, pinned=False).delete()
        cache.delete_many([_CACHE_PREFIX + sha for sha in dropped])


def resolve(data: Mapping[str, Any]) -> tuple[dict[str, Any], tuple[str, str] | None]:
    """The request's parameters with the persisted query filled in, and what to register.

    Returns (parameters, (sha, query) to register once the document is checked, or None).
    Raises RequestRefused for an unknown hash (Apollo's PERSISTED_QUERY_NOT_FOUND, 200
    and not cacheable, so the client's retry with the query is not answered from a cache), a
    hash that does not match the query (400), and in allowlist mode for a query without a
    hash or one that is not on the list.
    """
    sha = requested_hash(data.get("extensions"))
    query = data.get("query")
    if sha is None:
        if allowlist_only() and query is not None:
            raise RequestRefused(
                400,
                "This server only runs persisted queries: send "
                "extensions.persistedQuery.sha256Hash of a registered query.",
                code=PERSISTED_QUERY_ID_REQUIRED,
            )
        return dict(data), None

    if query is None:
        stored = lookup(sha)
        if stored is None:
            raise RequestRefused(
                200,
                NOT_FOUND_MESSAGE,
                code=PERSISTED_QUERY_NOT_FOUND,
                headers={"Cache-Control": "private, no-cache, must-revalidate"},
            )
        return {**data, "query": stored}, None

    if not isinstance(query, str):
        return dict(data), None  # the view refuses a query that is not a string
    if sha256_of(query) != sha:
        raise RequestRefused(400, MISMATCH_MESSAGE, code=BAD_REQUEST)
    if lookup(sha) is not None:
        return dict(data), None
    if allowlist_only():
        raise RequestRefused(
            403,
            "This query is not on the server's list of persisted queries.",
            code=QUERY_NOT_IN_SAFELIST,
        )
    return dict(data), (sha, query)
