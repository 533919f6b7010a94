"""`planbot mcp --http`, end to end: a real server on a free local port, the real `mcp` client
with the token, and plain HTTP requests without it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client
from mcp.types import TextContent
from mcp_plans_repo import CLI_FEATURE, ROOT

from bot.mcp_server.server import http_url, is_local_host
from tests.listening import free_port, stop_process, wait_until_listening

pytestmark = pytest.mark.e2e

TOKEN = "test-token-5f1c0a"
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "raw-http-test", "version": "1"},
    },
}
STREAM_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


@contextmanager
def http_server(repo: Path, log: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """`planbot mcp --http` on a free port; yields its URL once it accepts connections."""
    port = free_port()
    environment = {key: value for key, value in os.environ.items() if key != "PLANBOT_MCP_TOKEN"}
    environment.update(env or {})
    with log.open("w", encoding="utf-8") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "mcp", "--repo", str(repo), "--http", "--port", str(port), *args],
            cwd=ROOT,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        try:
            try:
                wait_until_listening(port, process, seconds=20, what="planbot mcp --http")
            except RuntimeError as exc:
                raise AssertionError(f"{exc}: {log.read_text(encoding='utf-8')}") from None
            yield http_url("127.0.0.1", port)
        finally:
            stop_process(process)


def test_the_client_with_the_token_talks_and_requests_without_it_get_401(planned_repo: Path, tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    with http_server(planned_repo, log, env={"PLANBOT_MCP_TOKEN": TOKEN}) as url:

        async def conversation() -> dict[str, Any]:
            client = create_mcp_http_client(headers={"Authorization": f"Bearer {TOKEN}"})
            async with (
                client,
                streamable_http_client(url, http_client=client) as (read, write),
                ClientSession(read, write) as session,
            ):
                with anyio.fail_after(20):
                    await session.initialize()
                    return {
                        "tools": await session.list_tools(),
                        "plans": await session.call_tool("list_plans", {}),
                        "decisions": await session.call_tool("get_decisions", {"feature": CLI_FEATURE}),
                        "plan": await session.call_tool("get_artifact", {"feature": "1", "name": "plan.md"}),
                        "escape": await session.call_tool(
                            "get_artifact", {"feature": "1", "name": "../../.git/config"}
                        ),
                    }

        got = anyio.run(conversation)

        with httpx.Client(timeout=5) as plain:
            missing = plain.post(url, json=INITIALIZE, headers=STREAM_HEADERS)
            wrong = plain.post(url, json=INITIALIZE, headers={**STREAM_HEADERS, "Authorization": "Bearer nope"})
            basic = plain.post(url, json=INITIALIZE, headers={**STREAM_HEADERS, "Authorization": f"Basic {TOKEN}"})
            elsewhere = plain.get(url.removesuffix("/mcp") + "/")

    assert {tool.name for tool in got["tools"].tools} == {"list_plans", "get_decisions", "get_artifact"}
    assert all(tool.annotations and tool.annotations.read_only_hint for tool in got["tools"].tools)
    assert got["plans"].structured_content["plans"][0]["feature"] == CLI_FEATURE
    assert got["decisions"].structured_content["decisions"][0]["status"] == "DECIDED"
    plan_text = "".join(b.text for b in got["plan"].content if isinstance(b, TextContent))
    assert "# Implementation Plan: Field Service Work Orders" in plan_text
    assert got["escape"].is_error

    for response in (missing, wrong, basic, elsewhere):
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert TOKEN not in log.read_text(encoding="utf-8")


def test_the_token_may_come_from_the_option(planned_repo: Path, tmp_path: Path) -> None:
    with http_server(planned_repo, tmp_path / "server.log", "--token", TOKEN) as url, httpx.Client(timeout=5) as plain:
        accepted = plain.post(url, json=INITIALIZE, headers={**STREAM_HEADERS, "Authorization": f"Bearer {TOKEN}"})
        refused = plain.post(url, json=INITIALIZE, headers=STREAM_HEADERS)
    assert accepted.status_code == 200, accepted.text
    assert refused.status_code == 401


def test_http_without_a_token_refuses_to_start(planned_repo: Path) -> None:
    environment = {key: value for key, value in os.environ.items() if key != "PLANBOT_MCP_TOKEN"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "mcp", "--repo", str(planned_repo), "--http", "--port", str(free_port())],
        cwd=ROOT,
        env=environment,
        check=False,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=30,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "needs a token" in result.stderr and "PLANBOT_MCP_TOKEN" in result.stderr


def test_bad_repository_or_specs_dir_is_one_line(tmp_path: Path) -> None:
    for args in (["--repo", str(tmp_path / "missing")], ["--repo", str(tmp_path), "--specs-dir", "../up"]):
        result = subprocess.run(
            [sys.executable, "-m", "bot", "mcp", *args],
            cwd=ROOT,
            check=False,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=30,
        )
        assert result.returncode == 2, result.stderr
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("planbot: ")


@pytest.mark.parametrize(
    ("host", "local"),
    [("127.0.0.1", True), ("localhost", True), ("::1", True), ("127.0.0.2", True), ("0.0.0.0", False),
     ("192.168.1.5", False), ("example.org", False)],
)
def test_which_hosts_are_local(host: str, local: bool) -> None:
    assert is_local_host(host) is local


def test_the_url_brackets_ipv6_hosts() -> None:
    assert http_url("::1", 8765) == "http://[::1]:8765/mcp"
    assert http_url("127.0.0.1", 9000) == "http://127.0.0.1:9000/mcp"
