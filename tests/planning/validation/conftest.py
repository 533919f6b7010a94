"""A valid plan folder (tests/fixtures/plans/valid) loaded as text, to break one way per test."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from bot.planning.decision_log import DECISION_LOG_PATH
from bot.planning.plan_files import load_plan_files
from bot.planning.validation import Finding, validate_plan

FIXTURE_ROOT = Path(__file__).resolve().parents[2] / "fixtures" / "plans" / "valid"
FEATURE_DIR = "specs/001-shared-reading-lists"


@cache
def _valid_files() -> tuple[tuple[str, str], ...]:
    return tuple(sorted(load_plan_files(FIXTURE_ROOT, FEATURE_DIR).items()))


class PlanFixture:
    """The valid plan's files, editable by name (`plan.md`, `contracts/openapi.yaml`, or the log)."""

    feature_dir = FEATURE_DIR
    log = DECISION_LOG_PATH

    def __init__(self) -> None:
        self.files: dict[str, str] = dict(_valid_files())

    def path(self, name: str) -> str:
        return name if name == self.log else f"{FEATURE_DIR}/{name}"

    def text(self, name: str) -> str:
        return self.files[self.path(name)]

    def write(self, name: str, text: str) -> None:
        self.files[self.path(name)] = text

    def delete(self, name: str) -> None:
        del self.files[self.path(name)]

    def replace(self, name: str, old: str, new: str) -> None:
        text = self.text(name)
        assert text.count(old) == 1, f"{old!r} must occur exactly once in {name}"
        self.write(name, text.replace(old, new))

    def line_of(self, name: str, needle: str) -> int:
        """The 1-based line of the one line of `name` that contains `needle`."""
        lines = [n for n, line in enumerate(self.text(name).splitlines(), start=1) if needle in line]
        assert len(lines) == 1, f"{needle!r} must be on exactly one line of {name}, found {lines}"
        return lines[0]

    def validate(self) -> list[Finding]:
        return validate_plan(self.files, FEATURE_DIR)

    def found(self, code: str) -> list[tuple[str, int]]:
        """(path, line) of every finding with `code`."""
        return [(f.path, f.line) for f in self.validate() if f.code == code]

    def codes(self) -> set[str]:
        return {f.code for f in self.validate()}


@pytest.fixture
def plan() -> PlanFixture:
    return PlanFixture()
