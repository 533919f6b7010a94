"""The MCP server of `planbot mcp`: three read-only tools over a repository's plans.

- `list_plans(repository?)`: the plans of the working copy, with their decision counts and files;
- `get_decisions(feature)`: one plan's technical decisions and where each stands;
- `get_artifact(feature, name)`: the text of one file of a plan.

A feature is named by its folder (`001-login`) or its number (`001`, `1`). A name that matches
nothing, or a path that would leave the plan folder, is a tool error whose one line says what
exists. The tools only read files; they are annotated read-only so clients may call them
without asking. Transports: stdio, and streamable HTTP behind a bearer token (`auth`).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field
from starlette.types import ASGIApp

from bot import __version__
from bot.mcp_server.auth import BearerTokenGuard
from bot.mcp_server.plans import (
    MAX_ARTIFACT_BYTES,
    Artifact,
    DecisionList,
    PlanError,
    PlanList,
    RepositoryPlans,
)

SERVER_NAME = "planbot"
HTTP_PATH = "/mcp"
DEFAULT_HOST = "127.0.0.1"
LOCAL_HOSTS = frozenset({"localhost"})

READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)

INSTRUCTIONS = (
    "Read-only access to the implementation plans planbot wrote in this repository "
    "(specs/NNN-short-name/: plan.md, decisions.md, tasks.md, data-model.md, contracts/, …). "
    "Call list_plans first, then get_decisions to see which technical decisions are settled "
    "(a PROVISIONAL decision is the recommendation taken because nobody decided; it may still change), "
    "and get_artifact for a file such as tasks.md before implementing."
)

Feature = Annotated[
    str,
    Field(description="The plan: its folder name (001-login) or its number (001 or 1), as list_plans shows them."),
]
ArtifactName = Annotated[
    str,
    Field(description="A file of the plan, relative to its folder: plan.md, tasks.md, contracts/openapi.yaml, …"),
]
RepositoryName = Annotated[
    str | None,
    Field(description="Optional check: the repository you mean (its folder name or path); this server reads one."),
]


def build_server(plans: RepositoryPlans) -> MCPServer:
    """An MCP server whose tools read the plans of `plans`' repository and nothing else."""
    server: MCPServer = MCPServer(
        SERVER_NAME,
        title="planbot plans",
        description="The implementation plans of one repository, read-only.",
        instructions=INSTRUCTIONS,
        version=__version__,
        log_level="WARNING",
    )

    def list_plans(repository: RepositoryName = None) -> PlanList:
        with _as_tool_errors():
            if repository is not None and repository.strip():
                plans.check_repository(repository)
            return plans.plans()

    def get_decisions(feature: Feature) -> DecisionList:
        with _as_tool_errors():
            return plans.decisions(feature)

    def get_artifact(feature: Feature, name: ArtifactName) -> Annotated[CallToolResult, Artifact]:
        with _as_tool_errors():
            artifact = plans.artifact(feature, name)
        content = [TextContent(type="text", text=artifact.text)]
        if artifact.truncated:
            content.append(TextContent(type="text", text=cut_notice(artifact)))
        return CallToolResult(content=content, structured_content=artifact.model_dump(mode="json"))

    server.add_tool(
        list_plans,
        title="List plans",
        description=(
            "The plans in this repository's working copy: for each, its folder and branch, title, "
            "how many decisions are PENDING, DECIDED, PROVISIONAL or BLOCKED, and the files it holds."
        ),
        annotations=READ_ONLY,
    )
    server.add_tool(
        get_decisions,
        title="Get decisions",
        description=(
            "A plan's technical decisions (TD001, …): category, title, status "
            "(PENDING, DECIDED, PROVISIONAL or BLOCKED), the option in force and the rationale."
        ),
        annotations=READ_ONLY,
    )
    server.add_tool(
        get_artifact,
        title="Get artifact",
        description=(
            f"The text of one file of a plan (plan.md, tasks.md, contracts/openapi.yaml, …), "
            f"cut after {MAX_ARTIFACT_BYTES // 1000} KB with a note saying so."
        ),
        annotations=READ_ONLY,
    )
    return server


def cut_notice(artifact: Artifact) -> str:
    shown = len(artifact.text.encode("utf-8"))
    return (
        f"[planbot: {artifact.name} is {artifact.size:,} bytes; only the first {shown:,} are shown above. "
        "Read the file in the repository for the rest.]"
    )


@contextmanager
def _as_tool_errors() -> Iterator[None]:
    """A `PlanError` becomes a tool error the agent reads (its one line), not a crash."""
    try:
        yield
    except PlanError as exc:
        raise ToolError(str(exc)) from None


def serve_stdio(server: MCPServer) -> None:
    """Serve on stdin/stdout until the client closes them."""
    server.run("stdio")


def http_app(server: MCPServer, *, token: str, host: str = DEFAULT_HOST) -> ASGIApp:
    """The streamable HTTP app at `HTTP_PATH`, every request checked for the bearer token.
    On a local host the SDK also turns on its DNS-rebinding protection (Host and Origin checks)."""
    return BearerTokenGuard(server.streamable_http_app(streamable_http_path=HTTP_PATH, host=host), token)


def serve_http(server: MCPServer, *, host: str, port: int, token: str) -> None:
    """Serve streamable HTTP on host:port until interrupted."""
    import uvicorn

    uvicorn.run(
        http_app(server, token=token, host=host),
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        lifespan="on",
    )


def http_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}{HTTP_PATH}"


def is_local_host(host: str) -> bool:
    """Whether listening on `host` keeps the server reachable from this machine only."""
    if host.lower() in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
