"""The research client against real MCP server processes: every failure becomes a limitation."""

from __future__ import annotations

import asyncio
import shutil
import sys
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import pytest

from bot.research import (
    DocsRequest,
    McpServerConfig,
    ResearchTools,
    SearchRequest,
    ThinkRequest,
    run_research,
)
from tests.research.conftest import HttpServer, stdio_server

T = TypeVar("T")


def with_tools(servers: list[McpServerConfig], use: Callable[[ResearchTools], Awaitable[T]], *, private: bool = False) -> tuple[T, ResearchTools]:
    """Run `use` inside a ResearchTools block; returns its answer and the (closed) tools."""

    async def main() -> tuple[T, ResearchTools]:
        async with ResearchTools(servers, private=private) as tools:
            return await use(tools), tools

    return asyncio.run(main())


def test_each_role_finds_its_tool_by_capability() -> None:
    servers = [stdio_server("thinker", "thinking"), stdio_server("web", "search"), stdio_server("c7", "docs")]

    async def use(tools: ResearchTools) -> tuple[object, ...]:
        return (
            await tools.think("Which queue suits background jobs?"),
            await tools.search("fastapi background tasks"),
            await tools.library_docs("fastapi", "0.115", "background tasks"),
        )

    (note, sources, docs), tools = with_tools(servers, use)
    assert isinstance(note, str) and "Which queue suits background jobs?" in note
    assert [s.url for s in sources] == ["https://example.org/fastapi/release-notes", "https://example.org/pydantic/migration"]
    first = sources[0]
    assert (first.title, first.published, first.server, first.query) == (
        "FastAPI release notes", "2024-09-17", "web", "fastapi background tasks"
    )
    assert "time_range: year" in first.snippet  # recent results were asked for
    assert sources[1].published is None
    assert docs is not None and docs.library_id == "/fastapi/fastapi" and docs.server == "c7"
    assert "How to background tasks (version 0.115)" in docs.text
    assert tools.limitations == []


def test_older_tool_names_and_plain_text_answers_work_the_same() -> None:
    servers = [stdio_server("web", "search", RESEARCH_SERVER_NAMES="v1"), stdio_server("c7", "docs", RESEARCH_SERVER_NAMES="v1")]

    async def use(tools: ResearchTools) -> tuple[object, ...]:
        return await tools.search("pydantic", recent=False), await tools.library_docs("pydantic", None, "validators")

    (sources, docs), tools = with_tools(servers, use)
    assert [s.title for s in sources] == ["FastAPI release notes", "Pydantic 2 migration guide"]
    assert sources[0].published == "2024-09-17" and "time_range: any" in sources[0].snippet
    assert docs is not None and docs.text.startswith("# Docs for /pydantic/pydantic") and "Topic validators" in docs.text
    assert tools.limitations == []


def test_a_slow_server_times_out_quickly_and_is_not_asked_again() -> None:
    servers = [stdio_server("slow", "search", timeout_seconds=1.0, RESEARCH_SERVER_SLEEP="30")]

    async def use(tools: ResearchTools) -> tuple[list[object], float, list[object], float]:
        started = time.monotonic()
        first = await tools.search("anything")
        first_took = time.monotonic() - started
        started = time.monotonic()
        second = await tools.search("anything else")
        return list(first), first_took, list(second), time.monotonic() - started

    started = time.monotonic()
    (first, first_took, second, second_took), tools = with_tools(servers, use)
    assert first == [] and second == []
    assert first_took < 3.5  # the server's start plus the one-second timeout
    assert second_took < 0.1
    assert time.monotonic() - started < 8  # closing a stuck server is bounded too
    assert [(lim.server, lim.what, lim.reason) for lim in tools.limitations] == [
        ("slow", "search", "timed out after 1 s"),
        ("slow", "search", "skipped: it timed out after 1 s earlier"),
    ]


def test_a_server_that_cannot_start_is_a_limitation_not_an_error() -> None:
    missing = McpServerConfig(name="ghost", role="search", command=["planbot-no-such-mcp-server"], timeout_seconds=5)
    dying = McpServerConfig(
        name="dying",
        role="docs",
        command=[sys.executable, "-c", "import sys; print('no API key given', file=sys.stderr); sys.exit(3)"],
        timeout_seconds=5,
    )

    async def use(tools: ResearchTools) -> tuple[object, ...]:
        return await tools.search("x"), await tools.library_docs("fastapi", None, "auth"), await tools.think("y")

    (sources, docs, note), tools = with_tools([missing, dying], use)
    assert (sources, docs, note) == ([], None, None)
    by_server = {lim.server: lim for lim in tools.limitations}
    assert by_server["ghost"].reason == "did not start: command not found: planbot-no-such-mcp-server"
    assert by_server["dying"].what == "library docs for fastapi"
    assert by_server["dying"].reason.startswith("did not start: ") and "no API key given" in by_server["dying"].reason
    assert by_server["thinking"].reason == "no server with the thinking role is configured"


def test_a_server_that_echoes_its_key_does_not_put_it_in_a_limitation() -> None:
    leaky = McpServerConfig(
        name="leaky",
        role="search",
        command=[sys.executable, "-c",
                 "import os, sys; print('bad key ' + os.environ['SEARCH_KEY'], file=sys.stderr); sys.exit(3)"],
        env={"SEARCH_KEY": "tvly-9f8e7d6c5b4a"},
        timeout_seconds=5,
    )

    _, tools = with_tools([leaky], lambda tools: tools.search("fastapi"))

    [limitation] = [lim for lim in tools.limitations if lim.server == "leaky"]
    assert "bad key [redacted]" in limitation.reason and "tvly-9f8e7d6c5b4a" not in limitation.reason


def test_a_failing_tool_is_recorded_and_the_next_server_of_the_role_answers() -> None:
    servers = [stdio_server("broken", "search", RESEARCH_SERVER_FAIL="search"), stdio_server("spare", "search")]
    sources, tools = with_tools(servers, lambda tools: tools.search("fastapi"))
    assert sources and {s.server for s in sources} == {"spare"}
    [limitation] = tools.limitations
    assert (limitation.server, limitation.what) == ("broken", "search")
    assert limitation.reason.startswith("the tool search failed: ")


def test_a_private_repository_is_never_searched() -> None:
    # the search server would not even start: it is never tried
    servers = [McpServerConfig(name="tavily", role="search", command=["planbot-no-such-mcp-server"])]
    sources, tools = with_tools(servers, lambda tools: tools.search("our secret feature"), private=True)
    assert sources == []
    assert [str(lim) for lim in tools.limitations] == ["search skipped: private repository (tavily)"]


def test_run_research_answers_a_batch_from_sync_code() -> None:
    servers = [stdio_server("thinker", "thinking"), stdio_server("web", "search"), stdio_server("c7", "docs")]
    requests = [
        ThinkRequest(prompt="Is a queue needed?"),
        SearchRequest(query="rq retries"),
        SearchRequest(query="rq scheduling"),
        DocsRequest(library="pydantic", version="2.7", topic="validators"),
        DocsRequest(library="nosuchlib", topic="anything"),
    ]
    found = run_research(servers, False, requests)
    assert len(found.notes) == 1 and "Is a queue needed?" in found.notes[0]
    assert [s.query for s in found.sources] == ["rq retries", "rq retries"]  # one source per URL
    assert [d.library_id for d in found.docs] == ["/pydantic/pydantic", "/unknown/nosuchlib"]
    assert found.limitations == []
    assert run_research(servers, True, [SearchRequest(query="x")]).limitations[0].what == "search skipped"


def test_streamable_http_servers_carry_their_headers(http_server: HttpServer) -> None:
    good = http_server.config("remote", "docs")
    docs, tools = with_tools([good], lambda tools: tools.library_docs("fastapi", None, "auth"))
    assert docs is not None and docs.library_id == "/fastapi/fastapi" and tools.limitations == []

    wrong = http_server.config(
        "remote", "search", url=f"{http_server.url}?apiKey=k-secret-1", headers={"Authorization": "Bearer s3cret-wrong"}
    )
    sources, tools = with_tools([wrong], lambda tools: tools.search("x"))
    assert sources == []
    [limitation] = tools.limitations
    assert limitation.reason == "did not start: server error: HTTP 401 Unauthorized"

    unreachable = McpServerConfig(name="down", role="search", url="http://127.0.0.1:9/mcp?key=k-secret-2", timeout_seconds=5)
    sources, tools = with_tools([unreachable], lambda tools: tools.search("x"))
    assert sources == [] and tools.limitations[0].reason.startswith("did not start: could not reach the server")
    assert "k-secret" not in repr(tools.limitations)


@pytest.mark.skipif(shutil.which("npx") is None, reason="node/npx is not installed")
def test_the_published_sequential_thinking_server_is_used_when_npx_can_fetch_it() -> None:
    server = McpServerConfig(
        name="sequential-thinking",
        role="thinking",
        command=["npx", "-y", "@modelcontextprotocol/server-sequential-thinking"],
        timeout_seconds=60,
    )
    note, tools = with_tools([server], lambda tools: tools.think("Pick a queue for background jobs."))
    if note is None:
        pytest.skip(f"the sequential-thinking server is unavailable: {tools.limitations}")
    assert "thoughtNumber" in note
