"""`planbot mcp`: the plans of a local repository, served read-only to coding agents over MCP.

`plans` reads the feature folders of a working copy (no git, no network); `server` exposes them
as three MCP tools on stdio or streamable HTTP; `auth` guards the HTTP transport with a token.
"""

from bot.mcp_server.plans import (
    Artifact,
    DecisionList,
    DecisionSummary,
    PlanError,
    PlanList,
    PlanSummary,
    RepositoryPlans,
)

__all__ = [
    "Artifact",
    "DecisionList",
    "DecisionSummary",
    "PlanError",
    "PlanList",
    "PlanSummary",
    "RepositoryPlans",
]
