"""The response cache of /graphql/: anonymous answers kept until published content changes.

An answer is keyed by everything it depends on: the normalized document (printed from its
syntax tree, so spacing and comments do not matter), the variables, the operation name, the
host and scheme the request came to (the Wagtail site, and the absolute URLs in the answer),
the active language (rich-text links follow it) and the negotiated media type. Only queries
are cached, only answers without errors, never an answer to a preview token or to a logged-in
user; the view decides that, this module keeps the entries.

Invalidation is coarse on purpose: any publish, unpublish, delete, move, privacy change, or
change of a taxonomy, document or image replaces a generation id that is part of every key,
so every cached answer is dropped at once (lists, counts and links make almost any answer
depend on almost any page). The entries of older generations are never read again and expire
with GRAPHQL_CACHE_TIMEOUT. A CDN in front of the API can be told too (GRAPHQL_CDN_PURGE_URLS,
through Wagtail's frontend cache backends).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import math
import uuid
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.db.models import Min
from django.http import HttpRequest
from django.utils import timezone, translation
from graphql import ArgumentNode, GraphQLError, OperationType, get_operation_ast, print_ast
from graphql.language import Visitor, visit
from wagtail.models import Page

from cms import cache_breaker

from .context import api_context
from .limits import limits, parsed_document

logger = logging.getLogger("cms.api")

GENERATION_KEY = "graphql-response:generation"
_ENTRY_PREFIX = "graphql-response:"
# The argument item fields take a preview token in (cms/api/catalogue.py): an answer to a
# draft must never be kept or served from the cache.
PREVIEW_ARGUMENT = "token"


# --- Keys and entries --------------------------------------------------------------------------


def is_anonymous(request: HttpRequest) -> bool:
    """No login and no credentials: the only requests the shared cache serves.

    The session is read only when the request has a session cookie, so an ordinary API call
    costs no query and gets no `Vary: Cookie`.
    """
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


class _PreviewArgumentFinder(Visitor):
    found = False

    def enter_argument(self, node: ArgumentNode, *_args: Any) -> Any:
        if node.name.value == PREVIEW_ARGUMENT:
            self.found = True
            return self.BREAK
        return None


def response_key(
    request: HttpRequest,
    query: str,
    variables: Mapping[str, Any] | None,
    operation_name: str | None,
    media_type: str,
) -> str | None:
    """The cache key of this request's answer; None when the answer may not be shared.

    Not shared: a logged-in or credentialed request, a preview (any `token` argument), a
    document that does not parse (the view answers the error), anything but a query.
    """
    if not is_anonymous(request):
        return None
    normalized = _shareable_document(query, operation_name, limits()["MAX_TOKENS"])
    if normalized is None:
        return None
    material = json.dumps(
        [
            normalized,
            variables or {},
            operation_name,
            request.scheme,
            request.get_host().lower(),
            translation.get_language(),
            media_type,
        ],
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=512)
def _shareable_document(query: str, operation_name: str | None, max_tokens: int) -> str | None:
    """The normalized text of a query whose answer may be shared, else None.

    Memoized: front ends send the same few documents over and over, and parsing one costs
    more than serving its cached answer.
    """
    try:
        document = parsed_document(query, max_tokens)
    except (GraphQLError, RecursionError):
        return None
    operation = get_operation_ast(document, operation_name)
    if operation is None or operation.operation != OperationType.QUERY:
        return None
    finder = _PreviewArgumentFinder()
    visit(document, finder)
    if finder.found:
        return None
    return print_ast(document)


def etag_for(body: str, media_type: str) -> str:
    """A strong ETag for one representation (the same data as JSON or GraphQL JSON differs)."""
    digest = hashlib.sha256(f"{media_type}\n{body}".encode()).hexdigest()
    return f'"{digest[:40]}"'


def _timeout() -> int:
    return int(getattr(settings, "GRAPHQL_CACHE_TIMEOUT", 0))


def _generation(current: Any = None) -> str | None:
    """The current generation id; None when the cache cannot say (Redis away)."""
    generation = current if current is not None else cache.get(GENERATION_KEY)
    if generation is None:
        # A random id, not a counter: should the key be evicted, a new count could reach a
        # number some older entries were stored under.
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY)
    return None if generation is None else str(generation)


def raw_key(request: HttpRequest, media_type: str) -> str | None:
    """A key for the request exactly as it came (query string or body), or None.

    A front end repeats its requests byte for byte: the answer is also kept under this key,
    so a repeat is found before the request is even decoded. Two spellings of one query get
    two raw keys, and one normalized key (`response_key`) that finds the same answer.
    """
    if not is_anonymous(request):
        return None
    max_bytes = limits()["MAX_BODY_BYTES"]
    try:
        if int(request.META.get("CONTENT_LENGTH") or 0) > max_bytes:
            return None  # not read here: the view refuses it (413)
    except ValueError:
        return None
    try:
        raw = (
            request.META.get("QUERY_STRING", "").encode()
            if request.method == "GET"
            else request.body
        )
    except RequestDataTooBig:
        return None  # the view answers 413
    if len(raw) > max_bytes:
        return None  # the view refuses it
    digest = hashlib.sha256(raw)
    for part in (
        request.method,
        request.content_type or "",
        request.scheme,
        request.get_host().lower(),
        translation.get_language() or "",
        media_type,
    ):
        digest.update(b"\0" + part.encode())
    return "raw:" + digest.hexdigest()


def cached_response(key: str, request: HttpRequest) -> dict[str, str] | None:
    """The entry stored under `key` in the current generation: {"body", "etag"}, or None.

    One round trip to the cache: the entry keeps the generation it was stored in, which
    must still be the current one. The generation seen first is remembered on the request:
    its answer is stored under it (`store_response`), so an answer computed while content
    changed is stored under a generation already dropped, never under the new one.
    """
    if _timeout() <= 0:
        return None
    entry_key = f"{_ENTRY_PREFIX}{key}"
    # A cache outage makes every request a miss, not an error. The project's Redis cache
    # degrades by itself (cms/cache_breaker.py, one log line per outage); any other cache
    # that raises gets a line per request, without a traceback.
    try:
        found = cache.get_many([GENERATION_KEY, entry_key])
        if not cache_breaker.available(cache):
            return None  # no generation either: nothing is kept from this request
        entry = found.get(entry_key)
        generation = found.get(GENERATION_KEY)
        context = api_context(request)
        if context.cache_generation is None:
            context.cache_generation = _generation(generation)
    except Exception as error:
        logger.warning("GraphQL response cache unavailable (%s); query run", error)
        return None
    if entry is None or generation is None or entry.get("generation") != generation:
        return None
    return entry


def store_response(keys: list[str], body: str, etag: str, request: HttpRequest) -> None:
    """Keep an answer under each of `keys`, in the generation its request first saw."""
    generation = api_context(request).cache_generation
    if _timeout() <= 0 or generation is None:
        return
    timeout = min(_timeout(), _seconds_to_next_expiry(generation))
    if timeout <= 0:
        return
    try:
        entry = {"body": body, "etag": etag, "generation": generation}
        cache.set_many({f"{_ENTRY_PREFIX}{key}": entry for key in keys}, timeout=timeout)
    except Exception as error:
        logger.warning("GraphQL response cache unavailable (%s); answer not kept", error)


def _seconds_to_next_expiry(generation: str) -> int:
    """Seconds until the next live page expires: the API hides it then, before the cron job
    unpublishes it, so no answer is kept past that moment.

    Looked up once per generation: an expiry date changes only with a publish, which starts
    a new one.
    """
    now = timezone.now()
    key = f"{_ENTRY_PREFIX}next-expiry:{generation}"
    found = cache.get(key)
    if found is None:
        soonest = Page.objects.filter(live=True, expire_at__gt=now).aggregate(Min("expire_at"))
        found = {"at": soonest["expire_at__min"]}
        cache.set(key, found, timeout=_timeout())
    moment = found["at"]
    if moment is None:
        return _timeout()
    return math.ceil((moment - now).total_seconds())


# --- Invalidation ------------------------------------------------------------------------------


def _new_generation() -> None:
    # While Redis is away this set is dropped: on_cache_recovered makes up for it.
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def _purge_cdn() -> None:
    """Ask the CDN in front of the API to drop its copies, if one is configured."""
    urls = getattr(settings, "GRAPHQL_CDN_PURGE_URLS", [])
    if not urls:
        return
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    try:
        purge_urls_from_cache(urls)
    except Exception:
        # The content is published either way; the CDN's copies expire after max-age.
        logger.exception("CDN purge of %s failed", urls)


def _after_commit() -> None:
    # Again after the commit: a request that read the old rows between the first change of
    # generation and the commit may have stored them under the new one.
    _new_generation()
    _purge_cdn()


def invalidate_responses(*, purge_cdn: bool = True) -> None:
    """Drop every cached answer: content that answers may contain has changed.

    The generation changes at once (so the change shows inside the transaction, and in
    tests) and once more after the commit, when the CDN is purged too: once per transaction,
    however many pages an import publishes in it. `purge_cdn=False` (the search worker, once
    per page it indexes) leaves the CDN's copies to expire after their max-age.
    """
    try:
        _new_generation()
    except Exception as error:
        # Publishing must not fail because the cache is down; answers expire on their own.
        logger.warning("GraphQL response cache unavailable (%s); not invalidated", error)
    if not purge_cdn:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _purge_cdn()
        return
    # Django keeps (savepoint ids, callback, robust) for each on_commit callback.
    if not any(entry[1] is _after_commit for entry in connection.run_on_commit):
        transaction.on_commit(_after_commit, robust=True)


# Fields Wagtail fills in on a document or image it reads (the size, the hash of the file):
# saving them changes nothing an answer shows.
_METADATA_FIELDS = frozenset({"file_size", "file_hash"})


def content_changed(sender: Any = None, **kwargs: Any) -> None:
    """Signal receiver for every change of published content (connected in cms/apps.py)."""
    update_fields = kwargs.get("update_fields")
    if update_fields and set(update_fields) <= _METADATA_FIELDS:
        return
    invalidate_responses()


def on_search_index_changed(sender: Any = None, **kwargs: Any) -> None:
    """Receiver of `cms.signals.search_index_changed` (connected in cms/apps.py): search
    answers cached between a publish and the index update are stale now. A CDN's copies
    expire after their max-age: one purge per indexed page would be a storm."""
    invalidate_responses(purge_cdn=False)


def on_cache_recovered(sender: Any = None, **kwargs: Any) -> None:
    """Receiver of `cms.cache_breaker.redis_recovered` (connected in cms/apps.py): content
    may have changed while Redis was away, and its invalidation was dropped with every other
    write. Every process whose breaker saw the outage starts a new generation, among them the
    one that published (its breaker probes Redis until it is back)."""
    try:
        _new_generation()
    except Exception as error:
        logger.warning("GraphQL response cache unavailable (%s); not invalidated", error)
