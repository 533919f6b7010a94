"""A delivery without a valid `X-Hub-Signature-256` gets 401 and touches nothing."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
import redis
from fastapi.testclient import TestClient
from webhook_client import SECRET, load_payload, signed_headers

from bot.web.headers import SIGNATURE_HEADER, WEBHOOK_PATH
from bot.web.signature import sign, signature_matches

BODY = json.dumps(load_payload("issues.labeled")).encode()


def test_sign_is_github_s_format() -> None:
    # The example from GitHub's documentation on validating webhook deliveries.
    assert sign(b"Hello, World!", SECRET.encode()) == (
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    )


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "sha256=",
        "sha256=" + "0" * 64,
        sign(BODY, b"another secret"),
        sign(BODY + b" ", SECRET.encode()),
        "sha1=" + hmac.new(SECRET.encode(), BODY, hashlib.sha1).hexdigest(),
        sign(BODY, SECRET.encode()).removeprefix("sha256="),  # no algorithm prefix
        sign(BODY, SECRET.encode()).upper(),
        "sha256=ünïcödé",
    ],
)
def test_bad_signatures_do_not_match(header: str | None) -> None:
    assert not signature_matches(BODY, SECRET.encode(), header)


def test_good_signature_matches() -> None:
    assert signature_matches(BODY, SECRET.encode(), sign(BODY, SECRET.encode()))


@pytest.mark.parametrize(
    "signature",
    [
        None,
        "sha256=" + "f" * 64,
        "sha1=" + hmac.new(SECRET.encode(), BODY, hashlib.sha1).hexdigest(),
        sign(BODY, b"not the app's secret"),
    ],
    ids=["missing", "wrong", "sha1-prefix", "other-secret"],
)
def test_unsigned_or_badly_signed_delivery_is_refused_and_touches_nothing(
    client: TestClient, redis_client: redis.Redis, signature: str | None
) -> None:
    headers = signed_headers(BODY, "issues")
    if signature is None:
        del headers[SIGNATURE_HEADER]
    else:
        headers[SIGNATURE_HEADER] = signature
    response = client.post(WEBHOOK_PATH, content=BODY, headers=headers)
    assert response.status_code == 401
    assert SIGNATURE_HEADER in response.json()["detail"]
    assert redis_client.dbsize() == 0


def test_signature_is_checked_before_the_payload(client: TestClient, redis_client: redis.Redis) -> None:
    """Malformed JSON with a bad signature is a 401, not a 400: nothing is read before the check."""
    headers = signed_headers(b"{not json", "issues")
    headers[SIGNATURE_HEADER] = "sha256=" + "0" * 64
    response = client.post(WEBHOOK_PATH, content=b"{not json", headers=headers)
    assert response.status_code == 401
    assert redis_client.dbsize() == 0
