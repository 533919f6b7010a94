"""Fixtures for the web side: settings, the app on the throw-away Redis, signed deliveries."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import redis
from fastapi.testclient import TestClient
from httpx import Response
from rq import Queue
from webhook_client import generate_pem, make_settings, post_to

from bot.settings import Settings
from bot.web import create_app


@pytest.fixture(scope="session")
def private_key_pem() -> str:
    return generate_pem()


@pytest.fixture
def settings(redis_url: str, private_key_pem: str) -> Settings:
    return make_settings(redis_url, private_key_pem)


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


@pytest.fixture
def queue(settings: Settings, redis_client: redis.Redis) -> Queue:
    return Queue(settings.queue_name, connection=redis_client)


@pytest.fixture
def client(settings: Settings, redis_client: redis.Redis) -> Iterator[TestClient]:
    with TestClient(create_app(settings, redis_client)) as test_client:
        yield test_client


@pytest.fixture
def post_webhook(client: TestClient) -> Callable[..., Response]:
    """Post a correctly signed delivery: `post_webhook("issues", payload, delivery="…")`."""

    def post(event: str, payload: dict | bytes, delivery: str | None = None) -> Response:  # type: ignore[type-arg]
        return post_to(client, event, payload, delivery)

    return post
