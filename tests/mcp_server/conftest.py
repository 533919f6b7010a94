"""Fixtures for `planbot mcp`: a repository with real plans (see mcp_plans_repo)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from mcp_plans_repo import build_planned_repo


@pytest.fixture(scope="session")
def planned_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Shared by the session: tests must not change it (use `repo_copy`)."""
    repo = tmp_path_factory.mktemp("mcp") / "repo"
    build_planned_repo(repo)
    return repo


@pytest.fixture
def repo_copy(planned_repo: Path, tmp_path: Path) -> Path:
    """A private copy of the planned repository, for tests that add links or files."""
    copy = tmp_path / "repo"
    shutil.copytree(planned_repo, copy, symlinks=True)
    return copy
