"""Secrets and signatures, as the Standard Webhooks specification says: secrets `whsec_`
+ base64 of random bytes; `webhook-signature` is `v1,<base64 HMAC-SHA256 of id.timestamp.body>`,
one per active secret, space-separated (both while a rotated secret's overlap lasts)."""

from __future__ import annotations

import base64
import datetime
import json
import secrets
from typing import Any

from standardwebhooks import Webhook

SECRET_BYTES = 32


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def body_of(payload: dict[str, Any]) -> bytes:
    """The exact bytes sent and signed."""
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()


def signed_headers(
    secrets_: list[str], message_id: str, moment: datetime.datetime, body: bytes
) -> dict[str, str]:
    signatures = [Webhook(secret).sign(message_id, moment, body) for secret in secrets_]
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": " ".join(signatures),
    }
