"""Commands and tools per language and manifests."""

from __future__ import annotations

import pytest
from artifact_plan_factory import cli_plan, web_plan

from bot.planning.stack import Stack
from bot.planning.content.toolchain import TO_VERIFY, language_tools, performance_tool, toolchain


@pytest.mark.parametrize(
    ("manifests", "expected"),
    [
        (["pyproject.toml"], "pip install -e '.[dev]'"),
        (["requirements.txt"], "pip install -r requirements.txt"),
        (["backend/poetry.lock", "backend/pyproject.toml"], "poetry install"),
        (["uv.lock", "pyproject.toml"], "uv sync"),
    ],
)
def test_python_setup_follows_the_manifests(manifests, expected):
    plan = web_plan()
    plan.context.stack = Stack(languages=["Python"], manifests=manifests)
    assert expected in toolchain(plan).setup


def test_python_without_manifest_says_so():
    plan = web_plan()
    plan.context.stack = Stack()
    tools = toolchain(plan)
    assert "pip install -e '.[dev]'" not in tools.setup
    assert "No Python manifest" in tools.setup_note


@pytest.mark.parametrize(
    ("manifests", "expected"),
    [(["package-lock.json", "package.json"], "npm ci"), (["yarn.lock"], "yarn install --frozen-lockfile"),
     (["pnpm-lock.yaml"], "pnpm install --frozen-lockfile"), (["package.json"], "npm install")],
)
def test_node_setup_follows_the_lock_file(manifests, expected):
    plan = web_plan()
    plan.layout = plan.layout.model_copy(update={"language": "TypeScript"})
    plan.context.stack = Stack(manifests=manifests)
    assert toolchain(plan).setup == [expected]


def test_versions_come_from_the_stack_or_constitution_or_are_to_verify():
    assert toolchain(web_plan()).runtime_version == "3.12"
    plan = web_plan()
    plan.context.stack = Stack(languages=["Python"])
    tools = toolchain(plan)
    assert (tools.runtime_version, tools.runtime_version_source) == ("3.12", "Constitution I. Python services")
    plan.context.constitution = None
    assert toolchain(plan).runtime_version == TO_VERIFY


def test_go_cli_commands_and_tools():
    tools = toolchain(cli_plan())
    assert tools.setup == ["go mod download"]
    assert tools.test_story.format(story="US1") == "go test ./... -run US1"
    assert tools.test_tool_from_stack
    assert performance_tool(cli_plan(), tools) == "hyperfine"
    assert performance_tool(web_plan(), toolchain(web_plan())) == "Locust"


def test_unknown_language():
    plan = cli_plan()
    plan.layout = plan.layout.model_copy(update={"language": "To be decided"})
    tools = toolchain(plan)
    assert not tools.known and tools.setup == [] and tools.load_tool == "k6"
    assert language_tools("golang").language == "Go"
    assert language_tools("Python 3.12").language == "Python"
