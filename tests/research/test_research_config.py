"""The MCP server list: from PLANBOT_MCP_SERVERS and from a repository's config, with one-line errors."""

from __future__ import annotations

import json

import pytest

from bot.research.config import (
    ENV_VARIABLE,
    McpConfigError,
    McpServerConfig,
    parse_servers,
    servers_from_config,
    servers_from_env,
)

THINKING = {"name": "thinking", "role": "thinking", "command": ["npx", "-y", "some-thinking-server"]}
DOCS = {"name": "context7", "role": "docs", "url": "https://docs.example.org/mcp", "headers": {"X-Key": "k-123456"}}


def env_error(entries: object) -> str:
    with pytest.raises(McpConfigError) as caught:
        servers_from_env({ENV_VARIABLE: json.dumps(entries)})
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_the_operator_lists_servers_as_json_in_the_environment() -> None:
    servers = servers_from_env({ENV_VARIABLE: json.dumps([THINKING, DOCS | {"timeout_seconds": 5}])})
    assert [(s.name, s.role, s.transport) for s in servers] == [("thinking", "thinking", "stdio"), ("context7", "docs", "http")]
    assert servers[0].timeout_seconds == 20 and servers[1].timeout_seconds == 5
    assert servers_from_env({}) == [] and servers_from_env({ENV_VARIABLE: "  "}) == []


def test_secrets_stay_out_of_the_repr() -> None:
    server = McpServerConfig.model_validate(DOCS)
    assert "k-123456" not in repr(server) and "k-123456" not in str(server)


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        ([THINKING, DOCS | {"command": ["x"]}], "entry 2 (context7): give either command or url, not both"),
        ([{"name": "bare", "role": "docs"}], "entry 1 (bare): give either command or url"),
        ([THINKING | {"role": "search engine"}], "entry 1 (thinking): role: must be one of thinking, search, docs"),
        ([THINKING | {"comand": ["x"]}], "entry 1 (thinking): comand: unknown key"),
        ([THINKING | {"command": []}], "entry 1 (thinking): command: a command is a non-empty list"),
        ([DOCS | {"url": "docs.example.org/mcp"}], "entry 1 (context7): url: a url starts with http:// or https://"),
        ([DOCS | {"timeout_seconds": 0}], "entry 1 (context7): timeout_seconds: "),
        ([DOCS | {"env": {"A": "b"}}], "entry 1 (context7): env applies to a command only"),
        ([THINKING, THINKING | {"name": "Thinking"}], "entry 2 (Thinking): the name 'Thinking' is used twice"),
        ([THINKING, "tavily"], "entry 2: expected a mapping, got str"),
        ({"name": "x"}, "expected a list of MCP servers, got dict"),
    ],
)
def test_a_bad_entry_is_named_in_one_line(entries: object, expected: str) -> None:
    message = env_error(entries)
    assert message.startswith(f"{ENV_VARIABLE}: ") and expected in message


def test_broken_json_says_where() -> None:
    with pytest.raises(McpConfigError, match=rf"^{ENV_VARIABLE}: not valid JSON \(.* line 1, column \d+\)$"):
        servers_from_env({ENV_VARIABLE: '[{"name": "x",'})


def test_a_repository_config_lists_url_servers_only() -> None:
    assert [s.name for s in servers_from_config({"mcp_servers": [DOCS]})] == ["context7"]
    assert servers_from_config({"labels": {}}) == []
    with pytest.raises(McpConfigError) as caught:
        servers_from_config({"mcp_servers": [DOCS, THINKING]}, source=".github/planbot.yml")
    assert str(caught.value) == (
        ".github/planbot.yml: mcp_servers: entry 2 (thinking): command servers are allowed only in "
        f"{ENV_VARIABLE}; give a url here"
    )


def test_the_local_cli_may_allow_commands_from_its_own_repository() -> None:
    servers = servers_from_config({"mcp_servers": [THINKING]}, allow_commands=True)
    assert servers[0].command == ["npx", "-y", "some-thinking-server"]
    assert parse_servers(None, source="x") == []
