"""Who the client is, for the rate limit and the admin login lockout alike."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's IP address, as far as the trusted proxies tell it.

    With TRUSTED_PROXY_COUNT = 0 (the default) only REMOTE_ADDR counts: X-Forwarded-For is
    whatever the client chose to send. With N trusted proxies, each appends the address it
    saw, so the N-th entry from the right is the one the outermost proxy saw; entries to its
    left were written by the client and could be anything, a fresh one per request to dodge a
    rate limit. With a single proxy and a client that sends no header of its own, that entry
    is the first one.
    """
    remote_addr = request.META.get("REMOTE_ADDR", "") or ""
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies <= 0:
        return remote_addr
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if not forwarded:
        return remote_addr
    return forwarded[-min(proxies, len(forwarded))]
