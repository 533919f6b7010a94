"""Real research servers for the client's tests: the canned MCP server, spawned over stdio or HTTP."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.research.config import McpServerConfig
from tests.listening import LocalServer, free_port

SERVER_SCRIPT = Path(__file__).resolve().parent.parent / "mcp_servers" / "research_server.py"
HTTP_TOKEN = "test-token-5f2a"


def stdio_server(name: str, role: str, timeout_seconds: float = 10.0, **env: str) -> McpServerConfig:
    """The canned server as a stdio command, its knobs (RESEARCH_SERVER_*) given as `env`."""
    return McpServerConfig(
        name=name,
        role=role,  # type: ignore[arg-type]
        command=[sys.executable, str(SERVER_SCRIPT)],
        env=env,
        timeout_seconds=timeout_seconds,
    )


class HttpServer(LocalServer):
    """The canned server on streamable HTTP, on a free local port, requiring a bearer token."""

    def __init__(self) -> None:
        port = free_port()
        super().__init__([sys.executable, str(SERVER_SCRIPT), "--http", str(port), "--token", HTTP_TOKEN], port,
                         seconds=15, what="the HTTP research server")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/mcp"

    def config(self, name: str, role: str, **overrides: Any) -> McpServerConfig:
        fields: dict[str, Any] = {"headers": {"Authorization": f"Bearer {HTTP_TOKEN}"}, "timeout_seconds": 10.0}
        fields = {"url": self.url} | fields | overrides
        return McpServerConfig(name=name, role=role, **fields)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def http_server() -> Iterator[HttpServer]:
    server = HttpServer()
    try:
        yield server
    finally:
        server.stop()
