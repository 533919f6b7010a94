"""Helpers for the web tests: test settings, fixture payloads, signed deliveries."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient
from httpx import Response

from bot.settings import Settings
from bot.web.headers import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, WEBHOOK_PATH
from bot.web.signature import sign

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "webhooks"
SECRET = "It's a Secret to Everybody"
INSTALLATION_ID = 957387  # the installation id in the fixture payloads


def generate_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")


def make_settings(redis_url: str, private_key_pem: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "APP_ID": 4242,
        "PRIVATE_KEY": private_key_pem,
        "WEBHOOK_SECRET": SECRET,
        "REDIS_URL": redis_url,
        "PLANBOT_TRIGGER_LABEL": "needs-plan",
        "PLANBOT_QUEUE": "planbot-test",
        "PLANBOT_MAX_PAYLOAD_BYTES": 64 * 1024,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[arg-type,call-arg]


def load_payload(name: str) -> dict:  # type: ignore[type-arg]
    """A fixture payload, e.g. `issues.labeled`, as a fresh dict to change."""
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def signed_headers(body: bytes, event: str, delivery: str | None = None, secret: str = SECRET) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        EVENT_HEADER: event,
        DELIVERY_HEADER: delivery or str(uuid.uuid4()),
        SIGNATURE_HEADER: sign(body, secret.encode("utf-8")),
    }


def post_to(test_client: TestClient, event: str, payload: dict | bytes, delivery: str | None = None) -> Response:  # type: ignore[type-arg]
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode("utf-8")
    return test_client.post(WEBHOOK_PATH, content=body, headers=signed_headers(body, event, delivery))
