"""503 with Retry-After, not a 500, for any page (the admin, documents, previews) whose
request meets a database that does not answer; /graphql/ answers its own, in GraphQL's shape
(cms/api/view.py)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from cms.api.errors import RETRY_AFTER_SECONDS, is_database_outage, log_database_outage


class DatabaseOutageMiddleware:
    """Answers a view's database outage with 503 and Retry-After: load balancers and
    clients retry, monitoring does not page anyone for a bug."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_outage(exception):
            return None
        log_database_outage(exception)
        response = HttpResponse(
            f"The service is briefly unavailable: try again in {RETRY_AFTER_SECONDS} seconds.\n",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        add_never_cache_headers(response)
        # Logged above, once per outage window; Django would log each response.
        response._has_been_logged = True
        return response
