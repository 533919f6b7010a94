"""Helpers for the event tests: the webhook fixture payloads and test settings."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from bot.events.models import EventPayload, parse_event
from bot.settings import Settings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "webhooks"


@cache
def private_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")


def make_settings(**overrides: object) -> Settings:
    values: dict[str, object] = {
        "APP_ID": 1,
        "PRIVATE_KEY": private_key_pem(),
        "WEBHOOK_SECRET": "events-test",
        "PLANBOT_TRIGGER_LABEL": "needs-plan",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[arg-type,call-arg]


def raw_payload(name: str) -> bytes:
    """A fixture payload as GitHub sends it, e.g. `issues.labeled`."""
    return (FIXTURES / f"{name}.json").read_bytes()


def payload_dict(name: str) -> dict:  # type: ignore[type-arg]
    return json.loads(raw_payload(name))


def parsed(event: str, data: dict) -> EventPayload:  # type: ignore[type-arg]
    return parse_event(event, json.dumps(data).encode("utf-8"))
