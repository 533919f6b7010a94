"""Which MCP servers planbot may call while planning, and what each one is for.

The operator lists them in the environment, as a JSON list in `PLANBOT_MCP_SERVERS`:

    [{"name": "thinking", "role": "thinking",
      "command": ["npx", "-y", "@modelcontextprotocol/server-sequential-thinking"]},
     {"name": "tavily", "role": "search", "command": ["npx", "-y", "tavily-mcp"],
      "env": {"TAVILY_API_KEY": "..."}},
     {"name": "context7", "role": "docs", "url": "https://mcp.context7.com/mcp",
      "headers": {"CONTEXT7_API_KEY": "..."}}]

A repository's config may list servers too, in the same shape. Only URLs are taken from there
unless the caller allows commands (the local CLI, where the repository is the user's own): on the
bot's host, a command from a repository's config would let any repository run programs there.

A bad entry raises `McpConfigError`, whose one-line message names the entry and what is wrong.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

ENV_VARIABLE = "PLANBOT_MCP_SERVERS"
CONFIG_KEY = "mcp_servers"  # where a repository's config mapping lists its servers
MAX_TIMEOUT_SECONDS = 600.0

Role = Literal["thinking", "search", "docs"]
ROLES: tuple[Role, ...] = ("thinking", "search", "docs")


class McpConfigError(ValueError):
    """The MCP server list cannot be used; the message is one line naming the bad entry."""


class McpServerConfig(BaseModel):
    """One MCP server: how to reach it (a command over stdio, or a streamable-HTTP URL) and its role.

    `role` says what planbot asks of it: "thinking" (sequential thinking), "search" (web search,
    e.g. tavily) or "docs" (library documentation, e.g. context7). `headers` go with every HTTP
    request and `env` is added to a command's environment (a command inherits only the basic
    variables, like PATH and HOME, so an API key must be given here); both may hold secrets and
    are kept out of the model's repr.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    role: Role
    command: list[str] | None = None
    url: str | None = None
    headers: dict[str, str] = Field(default_factory=dict, repr=False)
    env: dict[str, str] = Field(default_factory=dict, repr=False)
    timeout_seconds: float = Field(default=20.0, gt=0, le=MAX_TIMEOUT_SECONDS)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = value.strip()
        if not value or len(value) > 64:
            raise ValueError("a name has 1 to 64 characters")
        return value

    @field_validator("command")
    @classmethod
    def _command(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and (not value or not value[0].strip()):
            raise ValueError("a command is a non-empty list whose first item is the program")
        return value

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if not value.startswith(("http://", "https://")) or len(value) <= len("https://"):
            raise ValueError("a url starts with http:// or https://")
        return value

    @model_validator(mode="after")
    def _one_transport(self) -> McpServerConfig:
        if (self.command is None) == (self.url is None):
            raise ValueError("give either command or url, not both and not neither")
        if self.env and self.command is None:
            raise ValueError("env applies to a command only; a url server takes headers")
        return self

    @property
    def transport(self) -> Literal["stdio", "http"]:
        return "stdio" if self.command is not None else "http"


def _problem(error: ValidationError) -> str:
    """The first problem pydantic found, as `field: message`."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    message = str(first["msg"]).removeprefix("Value error, ")
    if first["type"] == "literal_error" and where == "role":
        message = f"must be one of {', '.join(ROLES)}"
    elif first["type"] == "extra_forbidden":
        message = "unknown key"
    return f"{where}: {message}" if where else message


def _entry_label(index: int, entry: object) -> str:
    name = entry.get("name") if isinstance(entry, Mapping) else None
    return f"entry {index}" + (f" ({name})" if isinstance(name, str) and name.strip() else "")


def parse_servers(entries: object, *, source: str, allow_commands: bool = True) -> list[McpServerConfig]:
    """Validate a list of server entries (dicts) read from `source` (named in every error).

    Raises `McpConfigError` for the first bad entry (counted from 1), a repeated name, or a
    command when `allow_commands` is False.
    """
    if entries is None:
        return []
    if not isinstance(entries, Sequence) or isinstance(entries, str | bytes):
        raise McpConfigError(f"{source}: expected a list of MCP servers, got {type(entries).__name__}")
    servers: list[McpServerConfig] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        label = _entry_label(index, entry)
        if not isinstance(entry, Mapping):
            raise McpConfigError(f"{source}: {label}: expected a mapping, got {type(entry).__name__}")
        try:
            server = McpServerConfig.model_validate(dict(entry))
        except ValidationError as exc:
            raise McpConfigError(f"{source}: {label}: {_problem(exc)}") from None
        if server.command is not None and not allow_commands:
            raise McpConfigError(
                f"{source}: {label}: command servers are allowed only in {ENV_VARIABLE}; give a url here"
            )
        if server.name.lower() in seen:
            raise McpConfigError(f"{source}: {label}: the name {server.name!r} is used twice")
        seen.add(server.name.lower())
        servers.append(server)
    return servers


def servers_from_env(environ: Mapping[str, str] | None = None) -> list[McpServerConfig]:
    """The servers the operator configured in `PLANBOT_MCP_SERVERS` (none when unset or blank)."""
    text = (os.environ if environ is None else environ).get(ENV_VARIABLE, "").strip()
    if not text:
        return []
    try:
        entries: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise McpConfigError(f"{ENV_VARIABLE}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    return parse_servers(entries, source=ENV_VARIABLE)


def servers_from_config(
    config: Mapping[str, Any], *, source: str = "repository config", allow_commands: bool = False
) -> list[McpServerConfig]:
    """The servers a repository's config mapping lists under `mcp_servers` (none when absent).

    Commands are refused unless `allow_commands`: pass True only where the repository is trusted
    as much as the machine (the local CLI planning the user's own checkout).
    """
    return parse_servers(config.get(CONFIG_KEY), source=f"{source}: {CONFIG_KEY}", allow_commands=allow_commands)
