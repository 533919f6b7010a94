"""Helpers shared by the GitHub adapter's tests."""

from __future__ import annotations

from bot.github.retry import RetryPolicy
from bot.settings import Settings
from tests.fakegithub import FakeGitHub
from tests.fakegithub.fixtures import APP_ID, AppKey

FAST_RETRY = RetryPolicy(base_delay=0.01, max_delay=0.05)  # retries without the production waits


def make_settings(fake: FakeGitHub, key: AppKey, redis_url: str, interval: float = 0.05) -> Settings:
    """Settings for the app against the fake, writes `interval` seconds apart."""
    return Settings(  # type: ignore[call-arg]
        APP_ID=APP_ID,
        PRIVATE_KEY=key.private_pem,
        WEBHOOK_SECRET="not-used-here",
        REDIS_URL=redis_url,
        GITHUB_API_URL=fake.url,
        PLANBOT_WRITE_INTERVAL_SECONDS=interval,
    )
