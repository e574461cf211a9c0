"""The rate limit of /graphql/: points per client IP and window, answered with 429."""

import json
import uuid
from collections.abc import Iterator

import pytest
from django.core.cache import cache, caches
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.test import Client, override_settings

from cms.api import ratelimit
from cms.api.context import api_context
from cms.api.ratelimit import RATE_LIMITED, request_cost
from cms.env import env_keys
from cms.security import client_ip
from publications.factories import PublicationPageFactory

pytestmark = pytest.mark.django_db

QUERY = json.dumps({"query": "{ __typename }"})
LIMITED = override_settings(GRAPHQL_RATE_LIMIT_POINTS=3, GRAPHQL_RATE_LIMIT_WINDOW=60)


class Clock:
    """A clock the tests move by hand; starts 10 s into a window."""

    def __init__(self) -> None:
        self.now = 6_000_010.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(ratelimit, "_now", clock)
    return clock


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def call(ip: str = "203.0.113.1", **extra: str):
    return Client(REMOTE_ADDR=ip).post("/graphql/", QUERY, content_type="application/json", **extra)


@LIMITED
def test_the_limit_trips_with_429_retry_after_and_a_coded_error(clock: Clock) -> None:
    for _ in range(3):
        assert call().status_code == 200

    refused = call()

    assert refused.status_code == 429
    assert refused["Retry-After"] == "50"
    assert refused["Content-Type"] == "application/json"
    error = refused.json()["errors"][0]
    assert error["extensions"]["code"] == RATE_LIMITED
    assert error["extensions"]["retryAfter"] == 50


@LIMITED
def test_another_client_is_unaffected(clock: Clock) -> None:
    for _ in range(4):
        call("203.0.113.1")

    assert call("203.0.113.1").status_code == 429
    assert call("203.0.113.2").status_code == 200


@LIMITED
def test_the_window_resets(clock: Clock) -> None:
    for _ in range(4):
        call()
    assert call().status_code == 429

    clock.now += 50

    assert call().status_code == 200


@LIMITED
def test_other_paths_are_not_limited(clock: Clock) -> None:
    for _ in range(4):
        call()

    assert Client(REMOTE_ADDR="203.0.113.1").get("/admin/login/").status_code == 200


@LIMITED
def test_a_request_costs_its_query_cost(clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    original = ratelimit.request_cost
    monkeypatch.setattr(ratelimit, "request_cost", lambda request: 3 * original(request))

    assert call().status_code == 200
    assert call().status_code == 429


def test_request_cost_reads_graphql_cost() -> None:
    request = HttpRequest()
    assert request_cost(request) == 1
    api_context(request).cost = 41.2
    assert request_cost(request) == 42
    api_context(request).cost = 0
    assert request_cost(request) == 1


@LIMITED
def test_forwarded_for_is_ignored_without_trusted_proxies(clock: Clock) -> None:
    for n in range(4):
        call(HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")

    assert call(HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429


def test_client_ip_behind_trusted_proxies() -> None:
    request = HttpRequest()
    request.META = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "1.1.1.1, 2.2.2.2"}

    assert client_ip(request) == "10.0.0.1"
    with override_settings(TRUSTED_PROXY_COUNT=1):
        # The entry the proxy appended; 1.1.1.1 is what the client claimed.
        assert client_ip(request) == "2.2.2.2"
    with override_settings(TRUSTED_PROXY_COUNT=2):
        assert client_ip(request) == "1.1.1.1"
    request.META = {"REMOTE_ADDR": "10.0.0.1"}
    with override_settings(TRUSTED_PROXY_COUNT=1):
        assert client_ip(request) == "10.0.0.1"


def test_cors_preflight_is_not_counted(clock: Clock) -> None:
    with override_settings(GRAPHQL_RATE_LIMIT_POINTS=1):
        for _ in range(3):
            preflight = Client(REMOTE_ADDR="203.0.113.1").options(
                "/graphql/",
                HTTP_ORIGIN="http://localhost:3000",
                HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
            )
            assert preflight.status_code == 200
        assert call().status_code == 200


def _redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.exceptions.RedisError:
        return False


REDIS_URL = "redis://127.0.0.1:6379/0"


def _delete_prefixed(prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def test_the_limit_holds_on_redis(clock: Clock) -> None:
    if not _redis_answers(REDIS_URL):
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    prefix = f"cms-test-{uuid.uuid4().hex}"
    redis_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Unique per run: never touches (or is touched by) another run's counters.
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(CACHES=redis_cache, GRAPHQL_RATE_LIMIT_POINTS=2):
        assert "Redis" in type(caches["default"]).__name__
        try:
            assert call().status_code == 200
            assert call().status_code == 200
            refused = call()
            assert refused.status_code == 429
            assert refused["Retry-After"] == "50"
            assert call("203.0.113.2").status_code == 200
            clock.now += 60
            assert call().status_code == 200
        finally:
            # Not cache.clear(): on Redis that is FLUSHDB, everyone's keys.
            _delete_prefixed(prefix)


@LIMITED
def test_a_cache_outage_counts_per_process(
    clock: Clock, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A cache that fails (one without the project's breaker) is not the end of the limit:
    the process counts in memory, and logs a line without a traceback."""

    def down(*args: object, **kwargs: object) -> None:
        raise ConnectionError("cache down")

    monkeypatch.setattr(ratelimit.cache, "get", down)
    monkeypatch.setattr(ratelimit.cache, "add", down)
    monkeypatch.setattr(ratelimit, "local_windows", ratelimit.LocalWindows())

    assert [call().status_code for _ in range(4)] == [200, 200, 200, 429]
    assert call("203.0.113.2").status_code == 200  # another client, another count
    assert "Rate limit cache unavailable (cache down)" in caplog.text
    assert not any(record.exc_info for record in caplog.records)


def test_the_fallback_windows_are_bounded() -> None:
    windows = ratelimit.LocalWindows(size=3)
    for client in "abcd":
        windows.charge(client, 1)
    windows.charge("b", 1)
    windows.charge("e", 1)

    assert [windows.spent(client) for client in "abcde"] == [0, 2, 0, 1, 1]


@override_settings(GRAPHQL_RATE_LIMIT_POINTS=50, GRAPHQL_RATE_LIMIT_WINDOW=60)
def test_a_costly_query_spends_its_cost_not_one_point(clock: Clock) -> None:
    costly = json.dumps({"query": "{ publications(perPage: 100) { items { title } } }"})
    client = Client(REMOTE_ADDR="203.0.113.9")

    first = client.post("/graphql/", costly, content_type="application/json")
    second = client.post("/graphql/", QUERY, content_type="application/json")

    assert first.status_code == 200  # let in: the window had points left
    assert second.status_code == 429  # the first one's cost (over 50) spent them


WEBSITE_KEY = "w" * 40
KEYED = override_settings(
    GRAPHQL_RATE_LIMIT_POINTS=3,
    GRAPHQL_RATE_LIMIT_WINDOW=60,
    GRAPHQL_CLIENT_KEYS={"website": WEBSITE_KEY, "conference": "c" * 40},
    GRAPHQL_CLIENT_RATE_LIMIT_POINTS=6,
)


@KEYED
def test_a_front_end_with_its_key_has_a_budget_of_its_own(clock: Clock) -> None:
    for _ in range(4):
        call()
    assert call().status_code == 429  # its address is spent, by its visitors' browsers say

    answers = [call(HTTP_X_API_KEY=WEBSITE_KEY).status_code for _ in range(7)]

    assert answers == [200] * 6 + [429]
    assert call(HTTP_X_API_KEY="c" * 40).status_code == 200  # the other front end's budget


@KEYED
def test_an_unknown_key_is_refused_not_counted_by_address(clock: Clock) -> None:
    refused = call(HTTP_X_API_KEY="w" * 39 + "x")

    assert refused.status_code == 401
    assert refused["WWW-Authenticate"] == 'ApiKey header="X-Api-Key"'
    assert refused.json()["errors"][0]["extensions"]["code"] == "INVALID_API_KEY"
    assert "no-store" in refused["Cache-Control"]


@KEYED
def test_a_key_shows_nothing_more_than_anonymous_clients_see(
    clock: Clock, publication_index
) -> None:
    PublicationPageFactory(parent=publication_index, title="Published report")
    PublicationPageFactory(parent=publication_index, title="A draft nobody may see", live=False)
    query = "{ publications(perPage: 50) { items { title } } }"
    payload = json.dumps({"query": query})

    def titles(**extra: str) -> list[str]:
        response = Client().post("/graphql/", payload, content_type="application/json", **extra)
        return [item["title"] for item in response.json()["data"]["publications"]["items"]]

    assert titles(HTTP_X_API_KEY=WEBSITE_KEY) == titles() == ["Published report"]


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("website=short", "shorter than 32"),
        ("website", "is not name=key"),
        (f"website={'a' * 32},website={'b' * 32}", "given twice"),
    ],
)
def test_client_keys_are_checked_at_start_up(monkeypatch, value: str, problem: str) -> None:
    monkeypatch.setenv("GRAPHQL_CLIENT_KEYS", value)
    with pytest.raises(ImproperlyConfigured, match=problem):
        env_keys("GRAPHQL_CLIENT_KEYS")


@KEYED
def test_an_empty_key_header_counts_as_no_key(clock: Clock) -> None:
    assert call(HTTP_X_API_KEY="").status_code == 200
    for _ in range(3):
        call(HTTP_X_API_KEY=" ")
    assert call().status_code == 429  # charged to the address


def test_two_front_ends_cannot_share_a_key(monkeypatch) -> None:
    monkeypatch.setenv("GRAPHQL_CLIENT_KEYS", f"website={'a' * 32},conference={'a' * 32}")
    with pytest.raises(ImproperlyConfigured, match="another front end's key"):
        env_keys("GRAPHQL_CLIENT_KEYS")
