"""`/readyz` needs a worker's recent heartbeat (RQ's own), and `planbot worker` keeps one fresh."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import redis
from fastapi.testclient import TestClient
from rq import Queue, SimpleWorker
from rq.utils import utcformat

from bot.cli.worker import worker_ttl
from bot.settings import Settings
from tests.metrics.scraping import Scrape

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker_connection(redis_url: str) -> Iterator[redis.Redis]:
    connection = redis.Redis.from_url(redis_url)  # a worker raises its client's socket timeout: its own
    yield connection
    connection.close()


def test_ready_only_with_a_fresh_worker_heartbeat(
    client: TestClient, settings: Settings, worker_connection: redis.Redis, scrape: Callable[[], Scrape]
) -> None:
    alone = client.get("/readyz")
    assert alone.status_code == 503
    assert alone.json() == {"status": "unavailable", "detail": "no worker is registered on queue 'planbot-test'"}

    worker = SimpleWorker([Queue(settings.queue_name, connection=worker_connection)], connection=worker_connection,
                          name="metrics-beat")
    worker.register_birth()
    assert client.get("/readyz").json() == {"status": "ready"}
    assert scrape().value("planbot_workers") == 1

    stale = datetime.now(UTC) - timedelta(seconds=settings.worker_stale_seconds + 60)
    worker_connection.hset(worker.key, "last_heartbeat", utcformat(stale))  # it stopped beating
    late = client.get("/readyz")
    assert late.status_code == 503
    detail = late.json()["detail"]
    assert "in the last 120 s" in detail and "from metrics-beat, was 180 s ago" in detail
    assert scrape().value("planbot_workers") == 0

    worker.heartbeat()
    assert client.get("/readyz").status_code == 200
    worker.register_death()  # a worker that stops cleanly leaves the registry
    assert client.get("/readyz").status_code == 503


def test_a_worker_on_another_queue_does_not_count(
    client: TestClient, worker_connection: redis.Redis
) -> None:
    other = SimpleWorker([Queue("another-queue", connection=worker_connection)], connection=worker_connection)
    other.register_birth()
    assert client.get("/readyz").status_code == 503
    other.register_death()


def test_the_idle_heartbeat_comes_well_within_the_stale_limit() -> None:
    for stale in (20, 120, 3600):
        idle_beat = worker_ttl(stale) - 15  # RQ's blocking-pop timeout: an idle worker beats this often
        assert 0 < idle_beat <= stale / 3


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_a_running_planbot_worker_makes_the_app_ready(
    client: TestClient, settings: Settings, redis_client: redis.Redis, scrape: Callable[[], Scrape], tmp_path: Path
) -> None:
    """A real `planbot worker --burst` on a queue holding one slow job: ready and the job started
    while it runs; it unregisters when the queue is empty, and the app is not ready any more."""
    Queue(settings.queue_name, connection=redis_client).enqueue("time.sleep", 1.5)
    env = {key: value for key, value in os.environ.items() if not key.startswith("PLANBOT_")}
    env |= {
        "APP_ID": str(settings.app_id),
        "PRIVATE_KEY": settings.private_key_pem(),
        "WEBHOOK_SECRET": settings.webhook_secret.get_secret_value(),
        "REDIS_URL": settings.redis_url,
        "PLANBOT_QUEUE": settings.queue_name,
        "PYTHONPATH": str(ROOT),
    }
    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen([sys.executable, "-m", "bot", "worker", "--burst", "--name", "metrics-worker"],
                                   cwd=tmp_path, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: client.get("/readyz").status_code == 200, 15, "the worker's first heartbeat")
        wait_for(lambda: scrape().value("planbot_jobs", state="started") == 1, 10, "the job to start")
        assert scrape().value("planbot_workers") == 1
        ttl = redis_client.ttl("rq:worker:metrics-worker")
        assert 0 < ttl <= worker_ttl(settings.worker_stale_seconds) + 60  # planbot's worker_ttl, not RQ's 420
        assert process.wait(timeout=15) == 0, log_path.read_text()
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)
    assert client.get("/readyz").status_code == 503
    assert scrape().value("planbot_jobs", state="finished") == 1
