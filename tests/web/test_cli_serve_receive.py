"""`planbot serve` and `planbot receive`: start-up errors in one line, and a signed delivery end to end."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rq import Queue
from typer.testing import CliRunner
from webhook_client import FIXTURES, SECRET

from bot.cli import app
from tests.conftest import SETTING_NAMES
from tests.listening import stop_process
from bot.jobs import JobKind, JobRequest

ROOT = Path(__file__).resolve().parents[2]




def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_without_settings_fails_in_one_line(clean_env: pytest.MonkeyPatch) -> None:
    result = CliRunner().invoke(app, ["serve", "--port", str(_free_port())])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == ["planbot: APP_ID is not set"]


def test_serve_with_an_unreadable_key_fails_in_one_line(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean_env.setenv("APP_ID", "1")
    clean_env.setenv("WEBHOOK_SECRET", SECRET)
    clean_env.setenv("PRIVATE_KEY_PATH", str(tmp_path / "missing.pem"))
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("planbot: PRIVATE_KEY_PATH ") and line.endswith("No such file or directory")


def test_serve_with_an_unknown_log_level_fails_in_one_line(clean_env: pytest.MonkeyPatch, private_key_pem: str) -> None:
    clean_env.setenv("APP_ID", "1")
    clean_env.setenv("WEBHOOK_SECRET", SECRET)
    clean_env.setenv("PRIVATE_KEY", private_key_pem)
    clean_env.setenv("PLANBOT_LOG_LEVEL", "chatty")
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "planbot: PLANBOT_LOG_LEVEL: unknown log level 'chatty' (one of DEBUG, INFO, WARNING, ERROR, CRITICAL)"
    ]


def test_receive_needs_only_the_webhook_secret(clean_env: pytest.MonkeyPatch) -> None:
    payload = str(FIXTURES / "ping.json")
    result = CliRunner().invoke(app, ["receive", "--event", "ping", "--payload", payload])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == ["planbot: WEBHOOK_SECRET is not set"]


def test_receive_says_when_the_server_is_unreachable(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("WEBHOOK_SECRET", SECRET)
    url = f"http://127.0.0.1:{_free_port()}/api/github/webhooks"
    result = CliRunner().invoke(
        app, ["receive", "--event", "ping", "--payload", str(FIXTURES / "ping.json"), "--url", url]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(f"planbot: cannot post to {url}: ")


@pytest.fixture
def server(redis_url: str, private_key_pem: str, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`planbot serve` in a subprocess on a free port; yields its base URL and its log file."""
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if key not in SETTING_NAMES}
    env |= {
        "APP_ID": "4242",
        "PRIVATE_KEY": private_key_pem,
        "WEBHOOK_SECRET": SECRET,
        "REDIS_URL": redis_url,
        "PLANBOT_QUEUE": "planbot-e2e",
        "PYTHONPATH": str(ROOT),
    }
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--port", str(port)],
            cwd=tmp_path,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=0.5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"planbot serve did not start: {log_path.read_text()}")
            time.sleep(0.05)
        yield base, log_path
    finally:
        stop_process(process)


def test_receive_posts_a_signed_delivery_to_a_running_server(
    server: tuple[str, Path], clean_env: pytest.MonkeyPatch, redis_client, register_worker
) -> None:  # type: ignore[no-untyped-def]
    base, log_path = server
    clean_env.setenv("WEBHOOK_SECRET", SECRET)
    args = [
        "receive",
        "--event",
        "issues",
        "--payload",
        str(FIXTURES / "issues.labeled.json"),
        "--url",
        f"{base}/api/github/webhooks",
        "--delivery",
        "e2e-delivery-1",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    status, body = result.stdout.splitlines()
    assert status == "202 Accepted"
    assert json.loads(body)["jobs"] == ["start_plan-e2e-delivery-1"]

    [job] = Queue("planbot-e2e", connection=redis_client).get_jobs()
    assert JobRequest.model_validate(job.args[0]).kind is JobKind.START_PLAN

    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0
    assert json.loads(again.stdout.splitlines()[1])["status"] == "duplicate"

    clean_env.setenv("WEBHOOK_SECRET", "not the server's secret")
    refused = CliRunner().invoke(app, args)
    assert refused.exit_code == 1
    assert refused.stdout.splitlines()[0] == "401 Unauthorized"

    assert httpx.get(f"{base}/readyz").status_code == 503  # no worker yet
    register_worker("planbot-e2e")
    assert httpx.get(f"{base}/readyz").status_code == 200
    lines = [json.loads(line) for line in log_path.read_text().splitlines() if line.strip()]
    assert any(line.get("delivery_id") == "e2e-delivery-1" and line["message"] == "delivery enqueued" for line in lines)
    assert SECRET not in log_path.read_text()
