"""Fixtures for `planbot setup`: the fake GitHub (which converts manifest codes), an environment
without planbot settings, and credentials like those a conversion returns."""

from __future__ import annotations


import pytest
from pydantic import SecretStr

from bot.setup.exchange import AppCredentials
from tests.fakegithub.fixtures import AppKey, app_key, fake_github, fake_github_server

__all__ = ["app_key", "fake_github", "fake_github_server"]





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
