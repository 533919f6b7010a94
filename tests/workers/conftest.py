"""The GitHub App end to end: real webhook payloads into the web app, a real RQ worker in burst
mode with a throw-away Redis, and the fake GitHub as the other side."""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient
from rq import Queue, SimpleWorker

from bot.settings import Settings
from bot.web import create_app
from bot.web.headers import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, WEBHOOK_PATH
from bot.web.signature import sign
from tests.fakegithub import FakeGitHub
from tests.fakegithub.fixtures import APP_ID, INSTALLATION_ID, OWNER, REPO, AppKey, app_key, fake_github, fake_github_server
from tests.github.support import FAST_RETRY
from workers import runtime as runtime_module
from workers.runtime import Runtime
from bot.github.client import GitHubApp
from bot.plan_state import StateStore

__all__ = ["app_key", "fake_github", "fake_github_server"]

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "webhooks"
SECRET = "a webhook secret for tests"
ROOT = Path(__file__).resolve().parents[2]


def payload(name: str, **changes: Any) -> dict[str, Any]:
    """A real webhook payload (from @octokit/webhooks-examples), pointed at the fake's repository."""
    data = copy.deepcopy(json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8")))
    data["installation"]["id"] = INSTALLATION_ID
    data["repository"]["name"] = REPO
    data["repository"]["full_name"] = f"{OWNER}/{REPO}"
    data["repository"]["owner"]["login"] = OWNER
    for path, value in changes.items():
        target = data
        *parents, last = path.split("__")
        for part in parents:
            target = target[part]
        target[last] = value
    return data


@dataclass
class Bot:
    """The web app and a worker wired to the fake GitHub and a throw-away Redis."""

    settings: Settings
    client: TestClient
    queue: Queue
    redis: redis.Redis
    fake: FakeGitHub

    @property
    def rt_retry_attempts(self) -> int:
        return FAST_RETRY.attempts

    def deliver(self, event: str, body: dict[str, Any], delivery: str | None = None) -> Any:
        raw = json.dumps(body).encode()
        response = self.client.post(
            WEBHOOK_PATH,
            content=raw,
            headers={
                EVENT_HEADER: event,
                DELIVERY_HEADER: delivery or str(uuid.uuid4()),
                SIGNATURE_HEADER: sign(raw, SECRET.encode()),
                "Content-Type": "application/json",
            },
        )
        assert response.status_code == 202, response.text
        return response.json()

    def environment(self) -> dict[str, str]:
        """The same settings as environment variables, for a worker in another process."""
        s = self.settings
        return {
            "APP_ID": str(s.app_id),
            "PRIVATE_KEY": s.private_key_pem(),
            "WEBHOOK_SECRET": SECRET,
            "REDIS_URL": s.redis_url,
            "GITHUB_API_URL": s.github_api_url,
            "PLANBOT_WRITE_INTERVAL_SECONDS": "0",
            "PLANBOT_QUEUE": s.queue_name,
            "PLANBOT_LOCK_TTL_SECONDS": str(s.lock_ttl_seconds),
            "PLANBOT_JOB_RETRIES": str(s.job_retries),
            "PLANBOT_JOB_RETRY_SECONDS": str(s.job_retry_seconds),
        }

    def work(self, *, failures: int = 0) -> None:
        """Run every queued job in a real RQ worker (burst mode); `failures` jobs may fail."""
        worker = SimpleWorker([self.queue], connection=self.redis)
        worker.work(burst=True)
        failed = self.queue.failed_job_registry
        assert failed.count == failures, [self.queue.fetch_job(i).exc_info for i in failed.get_job_ids()]


@contextmanager
def running_bot(fake_github: FakeGitHub, app_key: AppKey, redis_url: str, **overrides: Any) -> Iterator[Bot]:
    """A `Bot` whose settings are the tests' defaults with `overrides` (settings by their variable names)."""
    settings = Settings(**{  # type: ignore[arg-type]
        "APP_ID": APP_ID,
        "PRIVATE_KEY": app_key.private_pem,
        "WEBHOOK_SECRET": SECRET,
        "REDIS_URL": redis_url,
        "GITHUB_API_URL": fake_github.url,
        "PLANBOT_WRITE_INTERVAL_SECONDS": 0.0,
        "PLANBOT_QUEUE": "planbot-test",
        "PLANBOT_LOCK_TTL_SECONDS": 2.0,
        "PLANBOT_JOB_RETRIES": 0,  # a failed job fails at once; tests/workers/test_job_retries.py covers retries
        **overrides,
    })
    connection = redis.Redis.from_url(redis_url)
    rt = Runtime(settings=settings, redis=connection, app=GitHubApp(settings, connection, retry=FAST_RETRY),
                 states=StateStore(connection))
    runtime_module.install(rt)
    try:
        with TestClient(create_app(settings, connection)) as client:
            yield Bot(settings, client, Queue(settings.queue_name, connection=connection), connection, fake_github)
    finally:
        runtime_module.install(None)
        connection.close()


@pytest.fixture
def bot(fake_github: FakeGitHub, app_key: AppKey, redis_url: str) -> Iterator[Bot]:
    with running_bot(fake_github, app_key, redis_url) as running:
        yield running
