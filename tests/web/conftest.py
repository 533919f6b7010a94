"""Fixtures for the web side: settings, the app on the throw-away Redis, signed deliveries."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import redis
from fastapi.testclient import TestClient
from httpx import Response
from rq import Queue, SimpleWorker
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


@pytest.fixture
def register_worker(redis_url: str) -> Iterator[Callable[[str], SimpleWorker]]:
    """Register an RQ worker on a queue, as `planbot worker` does on start: its birth is the
    heartbeat `/readyz` looks for. It runs no jobs; it is unregistered at the end of the test."""
    connection = redis.Redis.from_url(redis_url)  # its own: a worker raises its client's socket timeout
    workers: list[SimpleWorker] = []

    def register(queue_name: str) -> SimpleWorker:
        worker = SimpleWorker([Queue(queue_name, connection=connection)], connection=connection)
        worker.register_birth()
        workers.append(worker)
        return worker

    yield register
    for worker in workers:
        worker.register_death()
    connection.close()


@pytest.fixture
def worker_heartbeat(register_worker: Callable[[str], SimpleWorker], settings: Settings) -> SimpleWorker:
    """A worker of the test queue, alive for the test."""
    return register_worker(settings.queue_name)
