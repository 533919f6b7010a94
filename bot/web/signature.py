"""`X-Hub-Signature-256`: `sha256=` and the hex HMAC-SHA256 of the raw body with the webhook secret."""

from __future__ import annotations

import hashlib
import hmac

PREFIX = "sha256="


def sign(body: bytes, secret: bytes) -> str:
    """The header value GitHub sends for this body."""
    return PREFIX + hmac.new(secret, body, hashlib.sha256).hexdigest()


def signature_matches(body: bytes, secret: bytes, header: str | None) -> bool:
    """Whether `header` signs `body`; compared in constant time. Any other algorithm fails."""
    if not header or not header.startswith(PREFIX):
        return False
    return hmac.compare_digest(sign(body, secret).encode("ascii"), header.encode("utf-8", "replace"))
