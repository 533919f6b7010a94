"""Real research servers for the client's tests: the canned MCP server, spawned over stdio or HTTP."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.research.config import McpServerConfig

SERVER_SCRIPT = Path(__file__).resolve().parent.parent / "mcp_servers" / "research_server.py"
HTTP_TOKEN = "test-token-5f2a"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stdio_server(name: str, role: str, timeout_seconds: float = 10.0, **env: str) -> McpServerConfig:
    """The canned server as a stdio command, its knobs (RESEARCH_SERVER_*) given as `env`."""
    return McpServerConfig(
        name=name,
        role=role,  # type: ignore[arg-type]
        command=[sys.executable, str(SERVER_SCRIPT)],
        env=env,
        timeout_seconds=timeout_seconds,
    )


class HttpServer:
    """The canned server on streamable HTTP, on a free local port, requiring a bearer token."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, str(SERVER_SCRIPT), "--http", str(self.port), "--token", HTTP_TOKEN],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("the HTTP research server exited at start")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("the HTTP research server did not start")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/mcp"

    def config(self, name: str, role: str, **overrides: Any) -> McpServerConfig:
        fields: dict[str, Any] = {"headers": {"Authorization": f"Bearer {HTTP_TOKEN}"}, "timeout_seconds": 10.0}
        fields = {"url": self.url} | fields | overrides
        return McpServerConfig(name=name, role=role, **fields)  # type: ignore[arg-type]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def http_server() -> Iterator[HttpServer]:
    server = HttpServer()
    try:
        yield server
    finally:
        server.stop()
