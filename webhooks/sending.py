"""One HTTP POST to a receiver: the target checked, short timeouts, redirects not followed.

The host is resolved once, every address is checked (unless WEBHOOKS_ALLOW_PRIVATE_TARGETS),
and the connection goes to the checked address: a DNS answer that changes between the check
and the connection (DNS rebinding) cannot reach an internal service.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

import urllib3
from django.conf import settings

USER_AGENT = "efus-cms-webhooks/1"
# What is kept of an answer's body for the delivery log.
KEPT_BODY_BYTES = 500


class TargetRefused(Exception):
    """The URL cannot be sent to (scheme, or an address that is not public)."""


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str = ""
    retry: bool = True  # False: trying again cannot help (a refused target)

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


# IPv6 ranges that carry an IPv4 address in their last 32 bits and reach it: NAT64 (RFC 6052)
# and the deprecated IPv4-compatible form. Python's `is_global` calls them global whatever
# IPv4 address they carry (`::ffff:…` mapped and 6to4 `2002::/16` have their own accessors).
_EMBEDDING_IPV4 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("::/96"))
# Local-use NAT64 (RFC 8215): translated by the receiver's own network, never global.
_LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")


def is_public(address: str) -> bool:
    """Whether `address` is a global one, and so is any IPv4 address it wraps."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if not ip.is_global:
        return False
    if isinstance(ip, ipaddress.IPv4Address):
        return True
    if ip in _LOCAL_NAT64:
        return False
    embedded = ip.ipv4_mapped or ip.sixtofour
    if embedded is None and any(ip in network for network in _EMBEDDING_IPV4):
        embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return embedded is None or embedded.is_global


def resolve(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, address to connect to); TargetRefused when it may not be used."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        # Never the URL itself in a message: its path or query may carry a token.
        raise TargetRefused(f"Only http(s) URLs with a host can be sent to ({parts.scheme!r}).")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:  # Django's URLValidator lets a port over 65535 through
        raise TargetRefused(
            f"{parts.hostname} has an invalid port ({error}): use a port between 1 and 65535."
        ) from error
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise ConnectionError(f"{parts.hostname} does not resolve: {error}") from error
    addresses = [info[4][0] for info in infos]
    if not settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS:
        for address in addresses:
            if not is_public(address):
                raise TargetRefused(
                    f"{parts.hostname} resolves to {address}, a loopback, private or reserved "
                    "address: refused (WEBHOOKS_ALLOW_PRIVATE_TARGETS is off)."
                )
    return parts.scheme, parts.hostname, port, addresses[0]


def without_path(text: str, parts: SplitResult) -> str:
    """`text` with the URL's path and query taken out: they may carry the receiver's token."""
    for secret in (parts.query, parts.path):
        if secret and secret != "/":
            text = text.replace(secret, "…")
    return text


def check_target(url: str) -> None:
    """Raise TargetRefused if `url` may not be sent to (the admin's form asks too)."""
    # A name that does not resolve yet may later; the delivery log will say if it does not.
    with contextlib.suppress(ConnectionError):
        resolve(url)


def post(url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    """POST `body` to `url`; never raises for the receiver's faults, never follows a redirect."""
    try:
        scheme, host, port, address = resolve(url)
    except TargetRefused as error:
        return Outcome(None, str(error), retry=False)
    except ConnectionError as error:
        return Outcome(None, str(error))
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connect = settings.WEBHOOKS_CONNECT_TIMEOUT_SECONDS
    read = settings.WEBHOOKS_READ_TIMEOUT_SECONDS
    # `total` too: a receiver trickling a byte at a time cannot stretch the read timeout.
    timeout = urllib3.Timeout(connect=connect, read=read, total=connect + read)
    pool_class = urllib3.HTTPSConnectionPool if scheme == "https" else urllib3.HTTPConnectionPool
    options = {"server_hostname": host, "assert_hostname": host} if scheme == "https" else {}
    pool = pool_class(address, port, timeout=timeout, retries=False, maxsize=1, **options)
    headers = {
        **headers,
        "Host": parts.netloc.rsplit("@", 1)[-1],
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
    }
    try:
        response = pool.urlopen(
            "POST", path, body=body, headers=headers, redirect=False, preload_content=False
        )
        try:
            kept = response.read(KEPT_BODY_BYTES)
        finally:
            response.release_conn()
    except urllib3.exceptions.HTTPError as error:
        return Outcome(None, without_path(f"{type(error).__name__}: {error}", parts))
    finally:
        pool.close()
    if 300 <= response.status < 400:
        location = response.headers.get("Location", "")
        return Outcome(response.status, f"Redirect to {location!r} not followed.")
    if 200 <= response.status < 300:
        return Outcome(response.status)
    return Outcome(response.status, kept.decode("utf-8", "replace"))
