"""`planbot plan --model …` end to end against the fake OpenAI-compatible server: the model
writes the decision cards, the plan is validated and committed as usual; a model that answers
garbage still gives a complete plan, whose research.md says what happened."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.test_cli_plan import git, repo  # noqa: F401 - the temporary repository fixture
from tests.fakemodel import FakeModelServer
from tests.model.test_model_analyst import respond

ROOT = Path(__file__).resolve().parents[2]
FOLDER = "specs/001-field-service-work-orders"


@pytest.fixture
def server() -> Iterator[FakeModelServer]:
    with FakeModelServer(answer=respond) as fake:
        yield fake


def plan_with_model(repo: Path, server: FakeModelServer) -> subprocess.CompletedProcess[str]:  # noqa: F811
    env = {**os.environ, "PLANBOT_MODEL_BASE_URL": server.base_url, "PLANBOT_MODEL_MAX_RETRIES": "0"}
    env.pop("PLANBOT_MODEL", None)
    return subprocess.run([sys.executable, "-m", "bot", "plan", str(ROOT / "examples" / "spec.md"), "--repo", str(repo),
                           "--yes", "--model", "fake-planner"], cwd=ROOT, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=120, env=env)


def test_the_model_writes_the_decision_cards(repo: Path, server: FakeModelServer) -> None:  # noqa: F811
    result = plan_with_model(repo, server)
    assert result.returncode == 0, result.stderr
    decisions = (repo / FOLDER / "decisions.md").read_text(encoding="utf-8")
    research = (repo / FOLDER / "research.md").read_text(encoding="utf-8")
    assert "Model context for TD001" in decisions
    security = (repo / FOLDER / "security-plan.md").read_text(encoding="utf-8")
    assert "## Overview\n\nModel overview of security-plan.md." in security
    assert "written by the model fake-planner" in research and "model finding on TD001" in research
    assert subprocess.run([sys.executable, "-m", "bot", "validate", FOLDER], cwd=repo, capture_output=True).returncode == 0


def test_a_model_answering_garbage_still_gives_a_complete_plan(repo: Path, server: FakeModelServer) -> None:  # noqa: F811
    server.then("malformed", target="decisions").then("malformed", target="decisions")
    result = plan_with_model(repo, server)
    assert result.returncode == 0, result.stderr
    research = (repo / FOLDER / "research.md").read_text(encoding="utf-8")
    assert "could not write the decision cards" in research and "offline analysis stands" in research
