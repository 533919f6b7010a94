"""The `planbot` command line, end to end, in temporary git repositories."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"

pytestmark = pytest.mark.e2e


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def planbot(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    path = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "repo", path)
    (path / "README.md").write_text("# Demo\n", encoding="utf-8")
    git(path, "init", "--quiet", "--initial-branch=main")
    git(path, "config", "user.name", "Test Person")
    git(path, "config", "user.email", "test@example.invalid")
    git(path, "add", "-A")
    git(path, "commit", "--quiet", "-m", "initial")
    return path


def test_plan_commits_a_complete_valid_plan_in_one_commit(repo: Path) -> None:
    result = planbot("plan", str(EXAMPLES / "spec.md"), "--repo", str(repo), "--yes")
    assert result.returncode == 0, result.stderr + result.stdout

    branch = git(repo, "branch", "--show-current")
    assert branch == "001-field-service-work-orders"
    assert git(repo, "rev-list", "--count", "main..HEAD") == "1"
    changed = set(git(repo, "show", "--name-only", "--format=", "HEAD").splitlines())
    folder = f"specs/{branch}"
    for name in (
        "spec.md", "plan.md", "decisions.md", "research.md", "data-model.md", "tasks.md", "quickstart.md",
        "performance-plan.md", "security-plan.md", "testing-strategy.md", "executive-summary.md", "dependencies.md",
    ):
        assert f"{folder}/{name}" in changed, name
    assert any(path.startswith(f"{folder}/contracts/") for path in changed)
    assert ".specify/memory/technical-decisions-log.json" in changed
    assert git(repo, "status", "--porcelain", "--untracked-files=no") == ""

    state = json.loads((repo / ".specify" / "feature.json").read_text(encoding="utf-8"))
    assert state == {"feature_directory": folder}
    log = json.loads((repo / ".specify/memory/technical-decisions-log.json").read_text(encoding="utf-8"))
    assert log[-1]["branch"] == branch
    assert all(d["provisional"] for d in log[-1]["decisions"])  # --yes: every decision provisional

    assert branch in result.stdout and "Next steps" in result.stdout
    check = planbot("validate", str(repo / folder))
    assert check.returncode == 0, check.stdout + check.stderr


def test_json_report_names_branch_files_and_decisions(repo: Path) -> None:
    result = planbot("plan", str(EXAMPLES / "spec.md"), "--repo", str(repo), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["branch"] == "001-field-service-work-orders"
    assert report["commit"] == git(repo, "rev-parse", "HEAD")
    assert any(f.endswith("tasks.md") for f in report["files"])
    assert report["decisions"] and all(d["status"] == "PROVISIONAL" for d in report["decisions"])
    assert report["next_steps"]


def test_decide_settles_a_decision_up_front(repo: Path) -> None:
    result = planbot("plan", str(EXAMPLES / "spec.md"), "--repo", str(repo), "--yes", "--decide", "TD001=B", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    first = report["decisions"][0]
    assert first["id"] == "TD001" and first["option"] == "B" and first["status"] == "DECIDED"
    decisions = (repo / report["directory"] / "decisions.md").read_text(encoding="utf-8")
    card = decisions.split("### TD001:", 1)[1].split("\n### ", 1)[0]
    assert "**Final Decision**: Option B" in card
    assert "Test Person" in card


def test_unknown_decision_is_refused_and_nothing_written(repo: Path) -> None:
    result = planbot("plan", str(EXAMPLES / "spec.md"), "--repo", str(repo), "--yes", "--decide", "TD099=A")
    assert result.returncode == 1
    assert "TD099" in result.stderr
    assert git(repo, "branch", "--show-current") == "main"
    assert not (repo / "specs").exists()


def test_missing_file_is_an_error(repo: Path) -> None:
    result = planbot("plan", str(repo / "nope.md"), "--repo", str(repo), "--yes")
    assert result.returncode == 2
    assert "No such spec or issue file" in result.stderr


def test_dirty_work_tree_is_refused(repo: Path) -> None:
    (repo / "README.md").write_text("# Changed\n", encoding="utf-8")
    result = planbot("plan", str(EXAMPLES / "spec.md"), "--repo", str(repo), "--yes")
    assert result.returncode == 1
    assert "uncommitted changes" in result.stderr and "README.md" in result.stderr
    assert git(repo, "branch", "--show-current") == "main"


def test_existing_branch_of_the_feature_folder_is_refused(repo: Path) -> None:
    folder = repo / "specs" / "003-field-service-work-orders"
    folder.mkdir(parents=True)
    shutil.copy(EXAMPLES / "spec.md", folder / "spec.md")
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", "spec")
    git(repo, "branch", "003-field-service-work-orders")
    result = planbot("plan", str(folder / "spec.md"), "--repo", str(repo), "--yes")
    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert git(repo, "branch", "--show-current") == "main"


def test_a_branch_with_the_next_number_moves_numbering_on(repo: Path) -> None:
    git(repo, "branch", "001-something-else")
    result = planbot("plan", str(EXAMPLES / "spec.md"), "--repo", str(repo), "--yes", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["branch"] == "002-field-service-work-orders"


def test_thin_spec_is_refused_with_what_is_missing(repo: Path, tmp_path: Path) -> None:
    thin = tmp_path / "thin.md"
    thin.write_text("make it faster\n", encoding="utf-8")
    result = planbot("plan", str(thin), "--repo", str(repo), "--yes")
    assert result.returncode == 1
    assert "not planned" in result.stderr
    assert "requirement" in result.stderr.lower()
    assert git(repo, "branch", "--show-current") == "main"


def test_issue_text_outside_git_writes_the_folder_only(tmp_path: Path) -> None:
    issue = tmp_path / "issue.json"
    issue.write_text(
        json.dumps(
            {
                "title": "Show new support tickets live",
                "number": 12,
                "body": (
                    "## Requirements\n"
                    "- New tickets must appear on every open dashboard within 2 s.\n"
                    "- Agents can choose which queues notify them.\n"
                    "- Works for up to 800 agents online at once.\n"
                    "- Notifications must not reveal tickets of queues the agent cannot access.\n"
                ),
            }
        ),
        encoding="utf-8",
    )
    target = tmp_path / "plain"
    target.mkdir()
    result = planbot("plan", str(issue), "--repo", str(target), "--yes", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["branch"] is None and report["commit"] is None
    folder = Path(report["directory"])
    assert (folder / "spec.md").is_file() and (folder / "tasks.md").is_file()
    assert "FR-001" in (folder / "spec.md").read_text(encoding="utf-8")
    assert not (target / ".git").exists()
    check = planbot("validate", str(folder))
    assert check.returncode == 0, check.stdout + check.stderr


def test_spec_in_its_feature_folder_is_planned_there(repo: Path) -> None:
    folder = repo / "specs" / "007-field-service-work-orders"
    folder.mkdir(parents=True)
    shutil.copy(EXAMPLES / "spec.md", folder / "spec.md")
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", "spec")
    result = planbot("plan", str(folder / "spec.md"), "--repo", str(repo), "--yes", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["branch"] == "007-field-service-work-orders"
    assert "specs/007-field-service-work-orders/spec.md" not in report["files"]  # the spec is kept as written


def test_validate_reports_a_broken_plan(repo: Path) -> None:
    result = planbot("plan", str(EXAMPLES / "spec.md"), "--repo", str(repo), "--yes", "--json")
    assert result.returncode == 0, result.stderr
    folder = Path(json.loads(result.stdout)["directory"])
    tasks = folder / "tasks.md"
    kept = [line for line in tasks.read_text(encoding="utf-8").splitlines() if "FR-002" not in line]
    tasks.write_text("\n".join(kept) + "\n", encoding="utf-8")
    check = planbot("validate", str(folder))
    assert check.returncode == 1
    assert "spec.md:" in check.stdout and "FR-002" in check.stdout


def test_a_spec_too_large_is_refused_with_a_clear_message(repo: Path, tmp_path: Path) -> None:
    huge = tmp_path / "huge.md"
    huge.write_text("# Everything\n\n" + "- The system MUST do one more thing.\n" * 40_000, encoding="utf-8")
    result = planbot("plan", str(huge), "--repo", str(repo), "--yes")
    assert result.returncode == 2 and "planbot plans from specs of up to" in " ".join(result.stderr.split())
    assert git(repo, "branch", "--list") == "* main"  # nothing created
