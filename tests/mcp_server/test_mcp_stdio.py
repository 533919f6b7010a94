"""`planbot mcp` over stdio, end to end: a real server process and the real `mcp` client."""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.types import CallToolResult, TextContent
from mcp_plans_repo import CLI_FEATURE, HAND_FEATURE, REFERENCE_FEATURE, ROOT

pytestmark = pytest.mark.e2e

Session = Callable[[ClientSession], Awaitable[Any]]


def talk(repo: Path, errlog: Path, conversation: Session, *extra: str) -> Any:
    """Start `planbot mcp --repo REPO` as a subprocess, run `conversation` on an initialized
    session, and stop the server."""

    async def run() -> Any:
        server = StdioServerParameters(
            command=sys.executable, args=["-m", "bot", "mcp", "--repo", str(repo), *extra], cwd=str(ROOT)
        )
        with errlog.open("w", encoding="utf-8") as log:
            async with stdio_client(server, errlog=log) as (read, write), ClientSession(read, write) as session:
                with anyio.fail_after(20):
                    await session.initialize()
                    return await conversation(session)

    return anyio.run(run)


def text_of(result: CallToolResult) -> str:
    return "".join(block.text for block in result.content if isinstance(block, TextContent))


def test_an_agent_lists_plans_reads_decisions_and_artifacts(planned_repo: Path, tmp_path: Path) -> None:
    async def conversation(session: ClientSession) -> dict[str, Any]:
        tools = await session.list_tools()
        return {
            "tools": {tool.name: tool for tool in tools.tools},
            "plans": await session.call_tool("list_plans", {}),
            "checked": await session.call_tool("list_plans", {"repository": str(planned_repo)}),
            "decisions": await session.call_tool("get_decisions", {"feature": "1"}),
            "artifact": await session.call_tool("get_artifact", {"feature": "001", "name": "tasks.md"}),
            "contract": await session.call_tool(
                "get_artifact", {"feature": CLI_FEATURE, "name": "contracts/openapi.yaml"}
            ),
        }

    got = talk(planned_repo, tmp_path / "server.log", conversation)

    assert set(got["tools"]) == {"list_plans", "get_decisions", "get_artifact"}
    for tool in got["tools"].values():
        assert tool.annotations is not None and tool.annotations.read_only_hint is True
        assert tool.annotations.destructive_hint is False
        assert tool.description
    assert "feature" in got["tools"]["get_artifact"].input_schema["properties"]

    plans = got["plans"]
    assert not plans.is_error
    listed = plans.structured_content["plans"]
    assert [p["feature"] for p in listed] == [CLI_FEATURE, REFERENCE_FEATURE, HAND_FEATURE]
    assert listed[0]["branch"] == CLI_FEATURE and listed[0]["title"] == "Field Service Work Orders"
    assert listed[0]["decisions"]["decided"] == 1 and "tasks.md" in listed[0]["files"]
    assert CLI_FEATURE in text_of(plans)  # the same answer as text, for clients that read only text
    assert not got["checked"].is_error

    decisions = got["decisions"].structured_content["decisions"]
    assert decisions[0]["id"] == "TD001" and decisions[0]["status"] == "DECIDED"
    assert decisions[0]["chosen_option"] == "B"
    assert {d["status"] for d in decisions[1:]} == {"PROVISIONAL"}

    artifact = got["artifact"]
    assert not artifact.is_error
    tasks = (planned_repo / "specs" / CLI_FEATURE / "tasks.md").read_text(encoding="utf-8")
    assert text_of(artifact) == tasks  # the file itself, not JSON around it
    assert artifact.structured_content["name"] == "tasks.md"
    assert artifact.structured_content["truncated"] is False
    assert "openapi:" in text_of(got["contract"])


def test_paths_out_of_the_plan_and_unknown_names_are_tool_errors(planned_repo: Path, tmp_path: Path) -> None:
    async def conversation(session: ClientSession) -> dict[str, CallToolResult]:
        return {
            "climb": await session.call_tool("get_artifact", {"feature": "1", "name": "../../README.md"}),
            "absolute": await session.call_tool("get_artifact", {"feature": "1", "name": "/etc/passwd"}),
            "missing": await session.call_tool("get_artifact", {"feature": "1", "name": "nope.md"}),
            "feature": await session.call_tool("get_decisions", {"feature": "099"}),
            "repository": await session.call_tool("list_plans", {"repository": str(tmp_path)}),
        }

    got = talk(planned_repo, tmp_path / "server.log", conversation)

    assert all(result.is_error for result in got.values())
    assert "leaves the plan folder" in text_of(got["climb"])
    assert "absolute path" in text_of(got["absolute"])
    assert "tasks.md" in text_of(got["missing"])  # the error names the files there are
    assert CLI_FEATURE in text_of(got["feature"]) and HAND_FEATURE in text_of(got["feature"])
    assert "reads the plans of" in text_of(got["repository"])
    assert "Traceback" not in (tmp_path / "server.log").read_text(encoding="utf-8")


def test_a_long_artifact_is_cut_with_a_note(repo_copy: Path, tmp_path: Path) -> None:
    (repo_copy / "specs" / CLI_FEATURE / "big.md").write_text("line of text\n" * 30_000, encoding="utf-8")

    async def conversation(session: ClientSession) -> CallToolResult:
        return await session.call_tool("get_artifact", {"feature": "1", "name": "big.md"})

    result = talk(repo_copy, tmp_path / "server.log", conversation)

    assert not result.is_error
    assert result.structured_content["truncated"] is True and result.structured_content["size"] == 390_000
    body, note = (block.text for block in result.content if isinstance(block, TextContent))
    assert len(body.encode("utf-8")) == 200_000
    assert "390,000 bytes" in note and "first 200,000" in note


def test_another_specs_dir(repo_copy: Path, tmp_path: Path) -> None:
    (repo_copy / "specs").rename(repo_copy / "docs-specs")

    async def conversation(session: ClientSession) -> CallToolResult:
        return await session.call_tool("list_plans", {})

    result = talk(repo_copy, tmp_path / "server.log", conversation, "--specs-dir", "docs-specs")
    assert result.structured_content["specs_dir"] == "docs-specs"
    assert len(result.structured_content["plans"]) == 3
