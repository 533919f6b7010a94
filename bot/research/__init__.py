"""Research during planning: sequential thinking, web search and library docs from MCP servers.

An adapter at the edge, like `bot.github`: `bot.planning` stays pure and receives what research
found (a `ResearchResult`) as data.
"""

from bot.research.client import ResearchTools, run_research
from bot.research.config import (
    ENV_VARIABLE,
    McpConfigError,
    McpServerConfig,
    parse_servers,
    servers_from_config,
    servers_from_env,
)
from bot.research.models import (
    DocSnippet,
    DocsRequest,
    Limitation,
    ResearchRequest,
    ResearchResult,
    SearchRequest,
    Source,
    ThinkRequest,
)

__all__ = [
    "ENV_VARIABLE",
    "DocSnippet",
    "DocsRequest",
    "Limitation",
    "McpConfigError",
    "McpServerConfig",
    "ResearchRequest",
    "ResearchResult",
    "ResearchTools",
    "SearchRequest",
    "Source",
    "ThinkRequest",
    "parse_servers",
    "run_research",
    "servers_from_config",
    "servers_from_env",
]
