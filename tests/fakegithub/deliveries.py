"""The app's webhook delivery log: how the fake records an attempt (the bytes sent, the headers
GitHub adds, the status text it shows), how the log is ordered and paged by cursor, and the views
tests read.

GitHub lists attempts newest first and pages them with an opaque cursor carried in the `Link`
header's `rel="next"` URL; a redelivery is a new attempt with the same `guid`.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tests.fakegithub.state import Delivery, Redelivery, World, now

HOOK_ID = 9_000_001  # the app's one webhook
USER_AGENT = "GitHub-Hookshot/fake"
CURSOR_PREFIX = "v1_"
REDELIVERY_WINDOW = timedelta(days=3)  # github.com redelivers attempts of the last three days
TIMEOUT_SECONDS = 10.0  # GitHub gives up on an answer after ten seconds
STATUS_TIMEOUT = "Timeout"
STATUS_UNREACHABLE = "Couldn't connect to server"


@dataclass(frozen=True)
class DeliveryView:
    """One attempt in the app's delivery log, as a test reads it.

    `body` and `headers` are exactly what GitHub POSTs to the app: a callback that redelivers
    sends `body` with `headers` (which carry `X-Hub-Signature-256` when the fake knows the
    webhook secret)."""

    id: int
    guid: str
    event: str
    action: str | None
    status_code: int  # 0 when the request never reached the app
    status: str
    redelivery: bool
    delivered_at: datetime
    duration: float
    installation_id: int | None
    repository_id: int | None
    payload: dict[str, Any]
    body: bytes
    headers: dict[str, str]

    @property
    def failed(self) -> bool:
        return self.status_code == 0 or self.status_code >= 400


@dataclass(frozen=True)
class RedeliveryView:
    """A redelivery the app asked for: which attempt, and the new attempt it made (None while
    the callback is still delivering)."""

    delivery_id: int
    guid: str
    requested_at: datetime
    attempt_id: int | None


Redeliver = Callable[[DeliveryView, dict[str, Any]], int]
"""`on_redeliver(item, payload) -> status`: delivers `payload` again (as `item` was delivered)
to the app under test and returns the HTTP status it answered."""


def status_text(status_code: int) -> str:
    """The `status` GitHub shows for an answer with this code (0: no answer came)."""
    if status_code == 0:
        return STATUS_TIMEOUT
    if status_code >= 400:
        return f"Invalid HTTP Response: {status_code}"
    return "OK"


def encode(payload: Mapping[str, Any]) -> bytes:
    """The body GitHub POSTs: compact JSON."""
    return json.dumps(payload, separators=(",", ":")).encode()


def request_headers(guid: str, event: str, body: bytes, app_id: int, secret: str | None) -> dict[str, str]:
    """The headers GitHub sends with a delivery; signed only when the webhook secret is known."""
    headers = {
        "Accept": "*/*",
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-GitHub-Delivery": guid,
        "X-GitHub-Event": event,
        "X-GitHub-Hook-ID": str(HOOK_ID),
        "X-GitHub-Hook-Installation-Target-ID": str(app_id),
        "X-GitHub-Hook-Installation-Target-Type": "integration",
    }
    if secret is not None:
        key = secret.encode()
        headers["X-Hub-Signature"] = "sha1=" + hmac.new(key, body, hashlib.sha1).hexdigest()
        headers["X-Hub-Signature-256"] = "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()
    return headers


def installation_of(payload: Mapping[str, Any]) -> int | None:
    found = payload.get("installation")
    return found.get("id") if isinstance(found, dict) and isinstance(found.get("id"), int) else None


def repository_of(world: World, payload: Mapping[str, Any]) -> int | None:
    """The repository a payload is about: its `repository.id`, else the fake's repository of
    that `full_name`."""
    found = payload.get("repository")
    if not isinstance(found, dict):
        return None
    if isinstance(found.get("id"), int):
        return int(found["id"])
    owner, _, name = str(found.get("full_name", "")).partition("/")
    repo = world.repo(owner, name) if name else None
    return repo.id if repo is not None else None


def record(world: World, *, app_id: int, secret: str | None, event: str, action: str | None,
           payload: Mapping[str, Any], status_code: int, status: str | None = None, guid: str | None = None,
           installation_id: int | None = None, delivered_at: datetime | None = None,
           duration: float | None = None) -> Delivery:
    """A first attempt at delivering `payload`, added to the log. The installation and the
    repository come from the payload unless given; the guid is a fresh UUID unless given."""
    if status_code != 0 and not 100 <= status_code <= 599:
        raise ValueError(f"status_code must be 0 (no answer) or an HTTP status, not {status_code}")
    body = encode(payload)
    ident = guid or str(uuid.uuid4())
    return append(world, Delivery(
        id=0, guid=ident, event=event, action=action, payload=json.loads(body), body=body,
        request_headers=request_headers(ident, event, body, app_id, secret),
        delivered_at=delivered_at or now(), status_code=status_code, status=status or status_text(status_code),
        duration=duration if duration is not None else (TIMEOUT_SECONDS if status_code == 0 else 0.05),
        redelivery=False,
        installation_id=installation_id if installation_id is not None else installation_of(payload),
        repository_id=repository_of(world, payload),
    ))


def append(world: World, template: Delivery) -> Delivery:
    """Add an attempt to the log under a fresh id (the template's id is ignored)."""
    delivery = copy.copy(template)
    delivery.id = world.next_id()
    world.deliveries[delivery.id] = delivery
    return delivery


def attempt_again(world: World, original: Delivery, status_code: int, status: str, duration: float) -> Delivery:
    """A redelivery of `original`: the same guid, payload and bytes, made now."""
    return append(world, Delivery(
        id=0, guid=original.guid, event=original.event, action=original.action,
        payload=copy.deepcopy(original.payload), body=original.body, request_headers=dict(original.request_headers),
        delivered_at=now(), status_code=status_code, status=status, duration=round(duration, 3),
        redelivery=True, installation_id=original.installation_id, repository_id=original.repository_id,
    ))


def newest_first(deliveries: Iterable[Delivery]) -> list[Delivery]:
    return sorted(deliveries, key=sort_key, reverse=True)


def sort_key(delivery: Delivery) -> tuple[datetime, int]:
    return delivery.delivered_at, delivery.id


def cursor_for(delivery: Delivery) -> str:
    return f"{CURSOR_PREFIX}{delivery.id}"


def older_than_cursor(listed: list[Delivery], cursor: str, log: Mapping[int, Delivery]) -> list[Delivery] | None:
    """The attempts of `listed` (newest first) after the one the cursor names; None for a
    cursor the log does not know."""
    raw = cursor.removeprefix(CURSOR_PREFIX)
    anchor = log.get(int(raw)) if cursor.startswith(CURSOR_PREFIX) and raw.isdigit() else None
    if anchor is None:
        return None
    key = sort_key(anchor)
    return [delivery for delivery in listed if sort_key(delivery) < key]


def view(delivery: Delivery) -> DeliveryView:
    return DeliveryView(
        id=delivery.id, guid=delivery.guid, event=delivery.event, action=delivery.action,
        status_code=delivery.status_code, status=delivery.status, redelivery=delivery.redelivery,
        delivered_at=delivery.delivered_at, duration=delivery.duration, installation_id=delivery.installation_id,
        repository_id=delivery.repository_id, payload=copy.deepcopy(delivery.payload), body=delivery.body,
        headers=dict(delivery.request_headers),
    )


def redelivery_view(request: Redelivery) -> RedeliveryView:
    return RedeliveryView(request.delivery_id, request.guid, request.requested_at, request.attempt_id)
