"""A small real MCP server standing in for the research servers planbot calls while planning.

It offers what a web search server (tavily), a library documentation server (context7) and the
sequential-thinking server offer, with canned answers, so the research client can be tested
against a real process speaking the real protocol:

    python research_server.py                     # stdio (what the client spawns)
    python research_server.py --http 8123 --token secret   # streamable HTTP on 127.0.0.1:8123/mcp

Knobs, from the environment (so a test sets them in the server's config):

- `RESEARCH_SERVER_SLEEP`: seconds every tool sleeps before answering (a slow server);
  each tool also takes a `sleep` argument for the same purpose.
- `RESEARCH_SERVER_FAIL`: comma-separated tool names that raise instead of answering, or `all`.
- `RESEARCH_SERVER_NAMES=v1`: the tool names of older server releases (`tavily-search`,
  `get-library-docs` with `context7CompatibleLibraryID` and `topic`), to prove tools are picked by
  capability; search then answers in tavily's plain-text layout instead of JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.transport_security import TransportSecuritySettings

CANNED_RESULTS: list[dict[str, Any]] = [
    {
        "title": "FastAPI release notes",
        "url": "https://example.org/fastapi/release-notes",
        "content": "FastAPI 0.115 adds query parameter models.",
        "published_date": "2024-09-17",
    },
    {
        "title": "Pydantic 2 migration guide",
        "url": "https://example.org/pydantic/migration",
        "content": "Moving from pydantic 1 to 2: model_validate replaces parse_obj.",
    },
]
LIBRARY_IDS = {"fastapi": "/fastapi/fastapi", "pydantic": "/pydantic/pydantic"}


def _older_names() -> bool:
    return os.environ.get("RESEARCH_SERVER_NAMES", "") == "v1"


async def _behave(tool: str, sleep: float) -> None:
    """Sleep and fail the way the environment asks, before a tool answers."""
    delay = max(sleep, float(os.environ.get("RESEARCH_SERVER_SLEEP", "0") or 0))
    if delay > 0:
        await asyncio.sleep(delay)
    failing = {name.strip() for name in os.environ.get("RESEARCH_SERVER_FAIL", "").split(",") if name.strip()}
    if "all" in failing or tool in failing:
        raise RuntimeError(f"{tool} is configured to fail")


def _search_results(query: str, max_results: int, time_range: str | None) -> list[dict[str, Any]]:
    results = []
    for item in CANNED_RESULTS[: max(1, max_results)]:
        result = dict(item)
        result["content"] = f"{item['content']} (query: {query}; time_range: {time_range or 'any'})"
        results.append(result)
    return results


def _tavily_text(results: list[dict[str, Any]]) -> str:
    """Results laid out the way tavily's MCP server writes them as text."""
    blocks = ["Detailed Results:"]
    for result in results:
        lines = [f"Title: {result['title']}", f"URL: {result['url']}", f"Content: {result['content']}"]
        if result.get("published_date"):
            lines.append(f"Published Date: {result['published_date']}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def build_server() -> MCPServer:
    server = MCPServer(
        "research-test-server", instructions="Canned research answers for planbot's tests.", log_level="WARNING"
    )
    older = _older_names()

    async def web_search(
        query: str, max_results: int = 5, time_range: str | None = None, sleep: float = 0
    ) -> list[dict[str, Any]]:
        await _behave("search", sleep)
        return _search_results(query, max_results, time_range)

    async def web_search_text(
        query: str, max_results: int = 5, time_range: str | None = None, sleep: float = 0
    ) -> str:
        await _behave("search", sleep)
        return _tavily_text(_search_results(query, max_results, time_range))

    search_description = "Search the web for current information on any topic. Returns titles, URLs and snippets."
    if older:
        server.add_tool(web_search_text, name="tavily-search", description=search_description, structured_output=False)
    else:
        server.add_tool(web_search, name="search", description=search_description)

    async def extract(urls: list[str], sleep: float = 0) -> str:
        await _behave("extract", sleep)
        return "\n".join(f"{url}: page text" for url in urls)

    # a decoy: its description speaks of search, but it cannot take a query
    server.add_tool(extract, name="extract", description="Extract the raw content of pages found by a web search.")

    async def resolve_library_id(libraryName: str, query: str = "", sleep: float = 0) -> str:
        await _behave("resolve-library-id", sleep)
        library_id = LIBRARY_IDS.get(libraryName.lower(), f"/unknown/{libraryName.lower()}")
        return (
            "Available Libraries:\n\n"
            f"- Title: {libraryName}\n"
            f"- Context7-compatible library ID: {library_id}\n"
            "- Description: canned entry\n"
            "- Code Snippets: 42\n"
        )

    server.add_tool(
        resolve_library_id,
        name="resolve-library-id",
        description="Resolves a package name to a Context7-compatible library ID. Call it before fetching docs.",
    )

    async def query_docs(libraryId: str, query: str, sleep: float = 0) -> str:
        await _behave("query-docs", sleep)
        return f"# Docs for {libraryId}\n\nHow to {query}: use the documented API of {libraryId}."

    async def get_library_docs(
        context7CompatibleLibraryID: str, topic: str = "", tokens: int = 5000, sleep: float = 0
    ) -> str:
        await _behave("get-library-docs", sleep)
        return f"# Docs for {context7CompatibleLibraryID}\n\nTopic {topic}: use the documented API."

    if older:
        server.add_tool(
            get_library_docs,
            name="get-library-docs",
            description="Fetches up-to-date documentation for a library by its Context7-compatible library ID.",
        )
    else:
        server.add_tool(
            query_docs,
            name="query-docs",
            description="Retrieves up-to-date documentation and code examples for a library by its library ID.",
        )

    async def sequential_thinking(
        thought: str, nextThoughtNeeded: bool, thoughtNumber: int, totalThoughts: int, sleep: float = 0
    ) -> str:
        await _behave("sequentialthinking", sleep)
        return json.dumps(
            {
                "thoughtNumber": thoughtNumber,
                "totalThoughts": totalThoughts,
                "nextThoughtNeeded": nextThoughtNeeded,
                "thoughtHistoryLength": 1,
                "thought": thought,
            }
        )

    server.add_tool(
        sequential_thinking,
        name="sequentialthinking",
        description="A tool for dynamic and reflective problem-solving through a sequence of thoughts.",
    )
    return server


class _RequireToken:
    """ASGI middleware: every request must carry `Authorization: Bearer <token>`, else 401."""

    def __init__(self, app: Any, token: str) -> None:
        self.app = app
        self.expected = f"Bearer {token}".encode()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and dict(scope.get("headers") or []).get(b"authorization") != self.expected:
            await send({"type": "http.response.start", "status": 401, "headers": [(b"content-type", b"text/plain")]})
            await send({"type": "http.response.body", "body": b"missing or wrong token"})
            return
        await self.app(scope, receive, send)


async def _serve_http(server: MCPServer, port: int, token: str) -> None:
    import uvicorn

    security = TransportSecuritySettings(
        enable_dns_rebinding_protection=True, allowed_hosts=["127.0.0.1:*"], allowed_origins=["http://127.0.0.1:*"]
    )
    app = _RequireToken(server.streamable_http_app(transport_security=security), token)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    await uvicorn.Server(config).serve()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--http", type=int, metavar="PORT", help="serve streamable HTTP on 127.0.0.1:PORT/mcp")
    parser.add_argument("--token", default="test-token", help="the bearer token HTTP requests must carry")
    args = parser.parse_args()
    server = build_server()
    if args.http is None:
        server.run("stdio")
    else:
        asyncio.run(_serve_http(server, args.http, args.token))


if __name__ == "__main__":
    main()
