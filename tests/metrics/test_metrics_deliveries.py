"""Deliveries: counted by event and outcome, and how long answering them took."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable

from fastapi.testclient import TestClient
from prometheus_client import CONTENT_TYPE_LATEST

from bot.settings import Settings
from bot.web import create_app
from bot.web.headers import WEBHOOK_PATH
from tests.metrics.scraping import Scrape, scrape_of
from tests.web.webhook_client import load_payload, make_settings, post_to, signed_headers


def deliveries(scrape: Scrape, event: str, outcome: str) -> float:
    return scrape.value("planbot_webhook_deliveries_total", event=event, outcome=outcome) or 0.0


def test_each_outcome_is_counted_with_its_event(client: TestClient, scrape: Callable[[], Scrape]) -> None:
    labeled = load_payload("issues.labeled")
    assert post_to(client, "issues", labeled, delivery="metrics-1").json()["status"] == "enqueued"
    assert post_to(client, "issues", labeled, delivery="metrics-1").json()["status"] == "duplicate"
    assert post_to(client, "ping", load_payload("ping")).json()["status"] == "ignored"
    body = json.dumps(labeled).encode()
    forged = signed_headers(body, "issues", secret="not the secret")
    assert client.post(WEBHOOK_PATH, content=body, headers=forged).status_code == 401
    unusable = b'{"action": "labeled", "issue": 7}'
    assert client.post(WEBHOOK_PATH, content=unusable, headers=signed_headers(unusable, "issues")).status_code == 400

    after = scrape()
    assert after.content_type == CONTENT_TYPE_LATEST
    assert deliveries(after, "issues", "accepted") == 1
    assert deliveries(after, "issues", "duplicate") == 1
    assert deliveries(after, "ping", "ignored") == 1
    assert deliveries(after, "unknown", "refused") == 1  # a bad signature: its event header is not trusted
    assert deliveries(after, "issues", "refused") == 1  # signed, but the payload was unusable


def test_the_ack_latency_histogram_observes_every_answer(client: TestClient, scrape: Callable[[], Scrape]) -> None:
    for delivery in ("latency-1", "latency-2"):
        post_to(client, "issues", load_payload("issues.labeled"), delivery=delivery)
    after = scrape()
    assert after.value("planbot_webhook_ack_seconds_count", outcome="accepted") == 2
    seconds = after.value("planbot_webhook_ack_seconds_sum", outcome="accepted")
    assert seconds is not None and 0 < seconds < 5
    assert after.value("planbot_webhook_ack_seconds_bucket", outcome="accepted", le="+Inf") == 2
    assert after.value("planbot_webhook_ack_seconds_bucket", outcome="accepted", le="10.0") == 2


def test_two_apps_keep_their_own_counts(settings: Settings, client: TestClient, scrape: Callable[[], Scrape]) -> None:
    post_to(client, "ping", load_payload("ping"))
    with TestClient(create_app(settings)) as other:
        assert deliveries(scrape_of(other), "ping", "ignored") == 0
    assert deliveries(scrape(), "ping", "ignored") == 1


def _unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_metrics_answer_without_redis(settings: Settings) -> None:
    """A scrape while Redis is down still shows the web process's own metrics (and nothing from Redis)."""
    down = make_settings(f"redis://127.0.0.1:{_unused_port()}/0", settings.private_key_pem())
    with TestClient(create_app(down)) as client:
        assert post_to(client, "ping", load_payload("ping")).status_code == 202
        scrape = scrape_of(client)
    assert deliveries(scrape, "ping", "ignored") == 1
    assert "planbot_jobs" not in scrape.names() and "planbot_plans" not in scrape.names()
    assert "process_cpu_seconds_total" in scrape.names()
