"""The target check: addresses that wrap an internal IPv4 address are refused too."""

from __future__ import annotations

import pytest

from webhooks import sending


@pytest.mark.parametrize(
    "address",
    [
        "::ffff:127.0.0.1",  # IPv4-mapped loopback
        "::ffff:169.254.169.254",  # IPv4-mapped cloud metadata
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "2002:a00:1::",  # 6to4 of 10.0.0.1
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
        "64:ff9b:1::a00:1",  # local-use NAT64
        "::7f00:1",  # IPv4-compatible 127.0.0.1
        "::c0a8:101",  # IPv4-compatible 192.168.1.1
    ],
)
def test_an_address_wrapping_an_internal_ipv4_is_refused(address, settings):
    assert not sending.is_public(address)
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    with pytest.raises(sending.TargetRefused, match="refused"):
        sending.resolve(f"http://[{address}]/hooks")


@pytest.mark.parametrize(
    "address", ["8.8.8.8", "::ffff:8.8.8.8", "2002:808:808::1", "64:ff9b::808:808", "2606:4700::1"]
)
def test_an_address_wrapping_a_public_ipv4_is_allowed(address):
    assert sending.is_public(address)
