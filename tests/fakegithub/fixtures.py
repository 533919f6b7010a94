"""pytest fixtures around the fake: an app key pair and a running `FakeGitHub`.

Import them into a `conftest.py` (`from tests.fakegithub.fixtures import app_key, fake_github`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from githubkit import AppAuthStrategy, AppInstallationAuthStrategy, GitHub
from githubkit.exception import RequestFailed
from githubkit.cache import MemCacheStrategy

from tests.fakegithub.server import FakeGitHub

Client = GitHub[AppInstallationAuthStrategy]

APP_ID = 4242
APP_SLUG = "planbot"
OWNER = "acme"
REPO = "widgets"
INSTALLATION_ID = 77
# githubkit opens a new httpx client per request; building an SSL context for each costs ~50 ms
SSL_CONTEXT = httpx.create_ssl_context()


@dataclass(frozen=True)
class AppKey:
    private_pem: str
    public_pem: str


def make_app_key() -> AppKey:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return AppKey(private, public)


def app_client(fake: FakeGitHub, key: AppKey, *, auto_retry: bool = False,
               timeout: float | None = None) -> GitHub[AppAuthStrategy]:
    """A plain githubkit client of the app against the fake (its own token cache, no retries)."""
    return GitHub(AppAuthStrategy(fake.app.id, key.private_pem), base_url=fake.url, http_cache=False,
                  cache_strategy=MemCacheStrategy(), auto_retry=auto_retry, timeout=timeout,
                  ssl_verify=SSL_CONTEXT)


def installation_client(fake: FakeGitHub, key: AppKey, installation_id: int = INSTALLATION_ID, *,
                        auto_retry: bool = False, timeout: float | None = None) -> GitHub[AppInstallationAuthStrategy]:
    gh = app_client(fake, key, auto_retry=auto_retry, timeout=timeout)
    return gh.with_auth(gh.auth.as_installation(installation_id))


@pytest.fixture(scope="session")
def app_key() -> AppKey:
    """One RSA key for the test session (generating one takes a noticeable moment)."""
    return make_app_key()


@pytest.fixture(scope="session")
def fake_github_server(app_key: AppKey) -> Iterator[FakeGitHub]:
    """One fake server for the session (starting and stopping uvicorn costs ~0.2 s)."""
    with FakeGitHub(app_id=APP_ID, app_public_key_pem=app_key.public_pem, app_slug=APP_SLUG) as fake:
        yield fake


@pytest.fixture
def fake_github(fake_github_server: FakeGitHub) -> Iterator[FakeGitHub]:
    """The fake, emptied, with the app installed on `acme` and a repository `acme/widgets`."""
    fake = fake_github_server
    fake.reset()
    fake.install(OWNER, INSTALLATION_ID)
    fake.add_repo(OWNER, REPO, files={"README.md": "# widgets\n"})
    yield fake
    assert not fake.internal_errors, "the fake GitHub failed:\n" + "\n".join(fake.internal_errors)


def status_of(call: Callable[[], object]) -> int:
    """The HTTP status of a request the fake refuses."""
    with pytest.raises(RequestFailed) as failure:
        call()
    return failure.value.response.status_code


@pytest.fixture
def gh(fake_github: FakeGitHub, app_key: AppKey) -> Client:
    """githubkit as the app's installation, against the fake."""
    return installation_client(fake_github, app_key)
