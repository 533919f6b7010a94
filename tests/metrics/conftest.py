"""Fixtures for the metrics: the web app on the throw-away Redis, the fake GitHub, and a scrape."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import redis
from fastapi.testclient import TestClient

from bot.settings import Settings
from bot.web import create_app
from tests.fakegithub.fixtures import AppKey, app_key, fake_github, fake_github_server
from tests.metrics.scraping import Scrape, scrape_of
from tests.web.webhook_client import make_settings

__all__ = ["app_key", "fake_github", "fake_github_server"]


@pytest.fixture
def settings(redis_url: str, app_key: AppKey) -> Settings:
    return make_settings(redis_url, app_key.private_pem)


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


@pytest.fixture
def client(settings: Settings, redis_client: redis.Redis) -> Iterator[TestClient]:
    with TestClient(create_app(settings, redis_client)) as test_client:
        yield test_client


@pytest.fixture
def scrape(client: TestClient) -> Callable[[], Scrape]:
    return lambda: scrape_of(client)
