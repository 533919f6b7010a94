"""A repository with real plans in it, for `planbot mcp`, and the names the tests look for.

Plan 001 is made by running the offline planner (`planbot plan examples/spec.md --yes
--decide TD001=B`) in a temporary git repository, so the server reads what planbot really
writes. Beside it, left uncommitted in the working copy:

- 002: the validator's reference plan (decisions written `Option A: Title`, one PROVISIONAL);
- 003: a plan at branch time written by hand: a PENDING decision, a BLOCKED one, and one
  whose card has no status line but names its final decision;
- 004: a folder holding only spec.md, which is not a plan;
- specs/README.md: a file, not a folder.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
REFERENCE_PLAN = ROOT / "tests" / "fixtures" / "plans" / "valid" / "specs" / "001-shared-reading-lists"

CLI_FEATURE = "001-field-service-work-orders"
REFERENCE_FEATURE = "002-shared-reading-lists"
HAND_FEATURE = "003-offline-sync"
NOT_A_PLAN = "004-notes"

HAND_DECISIONS = """\
# TECHNICAL DECISIONS REQUIRED for Offline Sync

## Critical Technical Decisions

### TD001: Data - Where offline changes wait

**Status**: PENDING
**Context**: Technicians edit visits without a network.
**Decision Required**: Where do changes wait until the device is online?
**Options**:
  - Option A: IndexedDB queue
  - Option B: Service worker cache
**Recommendation**: Option A, a queue keeps the order of changes.
**Reversibility**: Medium

### TD002: Architecture - Resolving conflicting edits

**Status**: BLOCKED (objection by dana)
**Context**: Two people may edit one visit offline.
**Decision Required**: Which edit wins?
**Options**:
  - Option A: Last write wins
  - Option B: Field-level merge
**Recommendation**: Option B, fewer lost edits.
**Reversibility**: Hard

### TD003: Integration - Sync trigger

**Context**: The device must learn it is online.
**Decision Required**: What starts a sync?
**Options**:
  - Option A: Background sync API
  - Option B: Polling
**Recommendation**: Option A.
**Final Decision**: **Option B** — Polling every minute
**Rationale**: Background sync is missing on the devices in use.
**Decided by**: erin
"""


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def build_planned_repo(repo: Path) -> None:
    """Fill `repo` (a folder that does not exist yet) as the module docstring describes."""
    shutil.copytree(EXAMPLES / "repo", repo)
    git(repo, "init", "--quiet", "--initial-branch=main")
    git(repo, "config", "user.name", "Test Person")
    git(repo, "config", "user.email", "test@example.invalid")
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", "initial")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "plan", str(EXAMPLES / "spec.md"), "--repo", str(repo), "--yes",
         "--decide", "TD001=B"],
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    if result.returncode != 0:
        raise RuntimeError(f"planbot plan failed: {result.stderr}{result.stdout}")
    specs = repo / "specs"
    shutil.copytree(REFERENCE_PLAN, specs / REFERENCE_FEATURE)
    hand = specs / HAND_FEATURE
    hand.mkdir()
    (hand / "decisions.md").write_text(HAND_DECISIONS, encoding="utf-8")
    (hand / "spec.md").write_text("# Feature Specification: Offline Sync\n\nText.\n", encoding="utf-8")
    (specs / NOT_A_PLAN).mkdir()
    (specs / NOT_A_PLAN / "spec.md").write_text("# Notes\n", encoding="utf-8")
    (specs / "README.md").write_text("# Specs\n", encoding="utf-8")
