"""Research in a plan: `planbot plan` with `PLANBOT_MCP_SERVERS` naming the canned MCP server cites
the sources web search found beside the decisions and keeps a failing server's limitation in
research.md; the plan is valid either way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.e2e.test_cli_plan import git, repo  # noqa: F401 - the temporary repository fixture
from tests.research.conftest import stdio_server

ROOT = Path(__file__).resolve().parents[2]
FOLDER = "specs/001-field-service-work-orders"


def plan_with(repo: Path, servers: list[dict[str, object]]) -> subprocess.CompletedProcess[str]:  # noqa: F811
    env = {**os.environ, "PLANBOT_MCP_SERVERS": json.dumps(servers)}
    env.pop("PLANBOT_MODEL", None)
    return subprocess.run([sys.executable, "-m", "bot", "plan", str(ROOT / "examples" / "spec.md"), "--repo",
                           str(repo), "--yes"], cwd=ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=180, env=env)


def test_sources_are_cited_beside_the_decisions(repo: Path) -> None:  # noqa: F811
    search = stdio_server("canned-search", "search").model_dump(mode="json", exclude_none=True)
    result = plan_with(repo, [search])
    assert result.returncode == 0, result.stderr
    research = (repo / FOLDER / "research.md").read_text(encoding="utf-8")
    assert "Sources (web search):" in research and "](http" in research
    assert "Research tools that answered: web search (canned-search)" in research
    assert subprocess.run([sys.executable, "-m", "bot", "validate", FOLDER], cwd=repo, capture_output=True).returncode == 0


def test_a_failing_server_is_a_limitation_and_the_plan_goes_on(repo: Path) -> None:  # noqa: F811
    broken = {"name": "gone", "role": "search", "command": ["planbot-no-such-server"], "timeout_seconds": 5}
    result = plan_with(repo, [broken])
    assert result.returncode == 0, result.stderr
    research = (repo / FOLDER / "research.md").read_text(encoding="utf-8")
    assert "(gone)" in research and "Sources (web search):" not in research
