"""Fixtures for `planbot setup`: the fake GitHub (which converts manifest codes), an environment
without planbot settings, and credentials like those a conversion returns."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.setup.exchange import AppCredentials
from tests.fakegithub.fixtures import AppKey, app_key, fake_github, fake_github_server

__all__ = ["app_key", "fake_github", "fake_github_server"]

SETTING_NAMES = (
    "APP_ID",
    "PRIVATE_KEY",
    "PRIVATE_KEY_PATH",
    "WEBHOOK_SECRET",
    "GITHUB_API_URL",
    "GHE_HOST",
    "GITHUB_CLIENT_ID",
    "GITHUB_CLIENT_SECRET",
    "REDIS_URL",
)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No app setting in the environment, and the working folder a fresh one (no stray `.env`)."""
    for name in SETTING_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return monkeypatch


@pytest.fixture
def credentials(app_key: AppKey) -> AppCredentials:
    """Credentials as a manifest conversion hands them out, with a real RSA key."""
    return AppCredentials(
        id=9001,
        slug="planbot-acme",
        html_url="https://github.com/apps/planbot-acme",
        client_id="Iv23abcdef0123456789",
        client_secret=SecretStr("c" * 40),
        webhook_secret=SecretStr("w" * 40),
        pem=SecretStr(app_key.private_pem),
    )
