"""Tools are picked by what they do, whatever their servers name them, and their answers are read."""

from __future__ import annotations

from typing import Any

from mcp.types import CallToolResult, TextContent, Tool

from bot.research import capabilities
from bot.research.capabilities import build_arguments, pick
from bot.research.results import parse_library_id, parse_sources, result_text


def tool(name: str, description: str, properties: dict[str, Any], required: list[str]) -> Tool:
    return Tool(
        name=name,
        description=description,
        input_schema={"type": "object", "properties": properties, "required": required},
    )


TEXT = {"type": "string"}
# shaped like a current web search server: a search, a page reader, a crawler and a research agent
SEARCH_SERVER = [
    tool("site_reader", "Read the pages at the given URLs.", {"urls": {"type": "array"}, "query": TEXT}, ["urls"]),
    tool("web_research", "Runs a long research task over many sources.", {"input": TEXT}, ["input"]),
    tool(
        "tavily_search",
        "Search the web for up-to-date facts; answers with snippets and links.",
        {
            "query": TEXT,
            "max_results": {"type": "number", "minimum": 5},
            "time_range": {"type": "string", "enum": ["day", "week", "month", "year"]},
            "topic": {"type": "string", "enum": ["general"]},
        },
        ["query"],
    ),
]
DOCS_SERVER = [
    tool(
        "resolve-library-id",
        "Turns a package name into the library ID the docs tool needs.",
        {"libraryName": TEXT, "query": TEXT},
        ["libraryName", "query"],
    ),
    tool(
        "query-docs",
        "Up-to-date documentation and code examples for a library. Resolve the library ID first.",
        {"libraryId": TEXT, "query": TEXT},
        ["libraryId", "query"],
    ),
]
OLDER_DOCS_SERVER = [
    tool("resolve-library-id", "Finds a library ID.", {"libraryName": TEXT}, ["libraryName"]),
    tool(
        "getLibraryDocs",
        "Fetches documentation for a library.",
        {"context7CompatibleLibraryID": TEXT, "topic": TEXT, "tokens": {"type": "integer"}},
        ["context7CompatibleLibraryID"],
    ),
]
THINKING_SERVER = [
    tool(
        "sequentialthinking",
        "Step-by-step reflective problem-solving, one thought at a time.",
        {
            "thought": TEXT,
            "nextThoughtNeeded": {"type": "boolean"},
            "thoughtNumber": {"type": "integer", "minimum": 1},
            "totalThoughts": {"type": "integer", "minimum": 1},
        },
        ["thought", "nextThoughtNeeded", "thoughtNumber", "totalThoughts"],
    )
]


def test_the_search_tool_is_told_from_readers_and_research_agents() -> None:
    values = {"query": "fastapi background tasks", "max_results": 5}
    chosen = pick(SEARCH_SERVER, capabilities.SEARCH, values)
    assert chosen is not None and chosen.name == "tavily_search"
    assert build_arguments(chosen, values, recent=True) == {
        "query": "fastapi background tasks",
        "max_results": 5,
        "time_range": "year",
    }
    assert build_arguments(chosen, values) == {"query": "fastapi background tasks", "max_results": 5}


def test_docs_tools_are_found_under_either_generation_of_names() -> None:
    for tools, docs_name in ((DOCS_SERVER, "query-docs"), (OLDER_DOCS_SERVER, "getLibraryDocs")):
        resolver = pick(tools, capabilities.RESOLVE_LIBRARY, {"library_name": "fastapi", "topic": "auth"})
        assert resolver is not None and resolver.name == "resolve-library-id"
        values = {"library_id": "/fastapi/fastapi", "topic": "auth"}
        docs = pick(tools, capabilities.LIBRARY_DOCS, values, exclude=[resolver.name])
        assert docs is not None and docs.name == docs_name
    older_docs = OLDER_DOCS_SERVER[1]
    assert build_arguments(older_docs, {"library_id": "/a/b", "topic": "auth"}) == {
        "context7CompatibleLibraryID": "/a/b",
        "topic": "auth",
    }
    # a docs tool's description that mentions resolving does not make it the resolver
    assert pick(DOCS_SERVER[1:], capabilities.RESOLVE_LIBRARY, {"library_name": "x", "topic": "y"}) is None


def test_a_tool_whose_required_arguments_cannot_be_filled_is_not_used() -> None:
    values = {"thought": "Which queue?", "thought_number": 1, "total_thoughts": 1, "next_thought_needed": False}
    chosen = pick(THINKING_SERVER, capabilities.THINKING, values)
    assert chosen is not None
    assert build_arguments(chosen, values) == {
        "thought": "Which queue?",
        "nextThoughtNeeded": False,
        "thoughtNumber": 1,
        "totalThoughts": 1,
    }
    assert pick(THINKING_SERVER, capabilities.THINKING, {"thought": "Which queue?"}) is None
    assert pick(SEARCH_SERVER, capabilities.THINKING, values) is None


def result(*texts: str, structured: Any = None) -> CallToolResult:
    return CallToolResult(content=[TextContent(text=text) for text in texts], structured_content=structured)


def test_search_results_are_read_from_structured_json_and_plain_text() -> None:
    structured = result(structured={"results": [{"title": "A", "url": "https://a.example", "content": "aa", "published_date": "2025-01-02"}]})
    assert parse_sources(structured) == [{"title": "A", "url": "https://a.example", "snippet": "aa", "published": "2025-01-02"}]
    per_block = result('{"title": "B", "link": "https://b.example", "snippet": "bb"}', '{"note": "no url here"}')
    assert [s["url"] for s in parse_sources(per_block)] == ["https://b.example"]
    text = result(
        "Detailed Results:\n\nTitle: C\nURL: https://c.example\nContent: first line\ncontinued\n"
        "Published Date: 2024-05-06\n\nTitle: D\nURL: ftp://d.example\nContent: not a web page"
    )
    assert parse_sources(text) == [
        {"title": "C", "url": "https://c.example", "snippet": "first line continued", "published": "2024-05-06"}
    ]
    assert parse_sources(result("nothing to see")) == []
    assert result_text(result("one", " ", "two")) == "one\n\ntwo"


def test_a_library_id_is_read_from_a_lookup_and_pinned_to_a_listed_version() -> None:
    answer = (
        "Available Libraries:\n\n- Title: FastAPI\n- Context7-compatible library ID: /fastapi/fastapi\n"
        "- Versions: v0.110.0, v0.115.2\n----------\n- Title: Other\n- Context7-compatible library ID: /x/y\n"
    )
    assert parse_library_id(answer) == "/fastapi/fastapi"
    assert parse_library_id(answer, "0.115.2") == "/fastapi/fastapi/v0.115.2"
    assert parse_library_id(answer, "9.9") == "/fastapi/fastapi"
    assert parse_library_id("see /org/project for details") == "/org/project"
    assert parse_library_id("No library matches.") is None
