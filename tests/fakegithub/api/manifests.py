"""GitHub App manifest conversions: the code the manifest flow hands back, traded for a new app.

On GitHub, a person confirms a posted manifest on a web page, and GitHub redirects with a code.
The fake has no web pages: a test records the manifest with `FakeGitHub.manifest_code()` and
gets the code the redirect would carry. `POST /app-manifests/{code}/conversions` needs no
authentication, answers once per code (for an hour), and creates an app with a fresh RSA key.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.fakegithub.api.base import Handlers
from tests.fakegithub.routing import Call, Reply, Router, not_found
from tests.fakegithub.state import App, now

CODE_LIFETIME = timedelta(hours=1)
PERMISSION_LEVELS = ("read", "write", "admin")


@dataclass
class PendingManifest:
    """A manifest a person confirmed, waiting for its code to be converted."""

    code: str
    manifest: dict[str, Any]
    owner: str
    created_at: datetime
    converted: bool = False


@dataclass
class CreatedApp:
    """An app a conversion created, with the secrets GitHub hands out that one time."""

    id: int
    slug: str
    owner: str
    manifest: dict[str, Any]
    pem: str
    public_key_pem: str
    webhook_secret: str | None
    client_id: str
    client_secret: str


@dataclass
class ManifestStore:
    pending: dict[str, PendingManifest] = field(default_factory=dict)
    created: list[CreatedApp] = field(default_factory=list)


def check_manifest(manifest: Mapping[str, Any]) -> None:
    """ValueError naming the first thing GitHub would refuse in `manifest`."""
    if not isinstance(manifest.get("url"), str) or not manifest["url"]:
        raise ValueError("url is required")
    name = manifest.get("name")
    if name is not None and (not isinstance(name, str) or not 1 <= len(name) <= 34):
        raise ValueError("name must be 1 to 34 characters")
    hook = manifest.get("hook_attributes")
    if hook is not None and (not isinstance(hook, dict) or not isinstance(hook.get("url"), str)):
        raise ValueError("hook_attributes.url is required")
    events = manifest.get("default_events", [])
    if not isinstance(events, list) or not all(isinstance(e, str) for e in events):
        raise ValueError("default_events must be a list of event names")
    permissions = manifest.get("default_permissions", {})
    if not isinstance(permissions, dict) or any(v not in PERMISSION_LEVELS for v in permissions.values()):
        raise ValueError("default_permissions must map permissions to read, write or admin")


def slug_of(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "app"


def new_key() -> tuple[str, str]:
    """A private key as GitHub hands it out (PKCS#1 PEM), and its public key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return private, public


class ManifestRoutes(Handlers):
    """`POST /app-manifests/{code}/conversions`, and the test side that issues codes."""

    store: ManifestStore

    def register(self, router: Router) -> None:
        self.store = ManifestStore()
        router.add("POST", "/app-manifests/{code}/conversions", self.convert, auth="none")

    def issue_code(self, manifest: Mapping[str, Any], owner: str) -> str:
        """Record a confirmed manifest; returns the code GitHub's redirect would carry."""
        check_manifest(manifest)
        code = secrets.token_hex(10)
        self.store.pending[code] = PendingManifest(code, dict(manifest), owner, now())
        return code

    def convert(self, call: Call) -> Reply:
        pending = self.store.pending.get(call.args["code"])
        if pending is None or pending.converted or now() - pending.created_at > CODE_LIFETIME:
            raise not_found()
        pending.converted = True
        manifest = pending.manifest
        name = str(manifest.get("name") or "app")
        taken = {app.slug for app in self.store.created} | {self.world.app.slug if self.world.app else ""}
        slug = slug_of(name)
        while slug in taken:
            slug = f"{slug_of(name)}-{secrets.token_hex(2)}"
        private, public = new_key()
        owner = self.world.user(pending.owner, "User")
        created = CreatedApp(
            id=self.world.next_id(), slug=slug, owner=owner.login, manifest=manifest, pem=private,
            public_key_pem=public,
            webhook_secret=secrets.token_hex(20) if manifest.get("hook_attributes") else None,
            client_id=f"Iv23{secrets.token_hex(8)}", client_secret=secrets.token_hex(20),
        )
        self.store.created.append(created)
        bot = self.world.user(f"{slug}[bot]", "Bot")
        body = self.shapes.app(App(created.id, slug, name, owner, public, bot))
        body.update({
            "name": name,
            "description": manifest.get("description"),
            "external_url": manifest["url"],
            "events": list(manifest.get("default_events", [])),
            "permissions": dict(manifest.get("default_permissions", {})),
            "client_id": created.client_id,
            "client_secret": created.client_secret,
            "webhook_secret": created.webhook_secret,
            "pem": created.pem,
        })
        return Reply(201, body)
