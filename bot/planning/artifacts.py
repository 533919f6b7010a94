"""The files a plan produces: the one list every part of planbot reads."""

from __future__ import annotations

from typing import NamedTuple


class Artifact(NamedTuple):
    name: str  # file name inside the feature folder
    template: str  # jinja2 template under templates/
    title: str
    # Every technical decision must be named in this file (and marked PROVISIONAL where it is).
    names_every_decision: bool


SPEC = Artifact("spec.md", "spec.md.j2", "Feature Specification", False)
DECISIONS = Artifact("decisions.md", "decisions.md.j2", "Technical Decisions", True)
PLAN = Artifact("plan.md", "plan.md.j2", "Implementation Plan", True)
RESEARCH = Artifact("research.md", "research.md.j2", "Research", True)
DATA_MODEL = Artifact("data-model.md", "data-model.md.j2", "Data Model", False)
TASKS = Artifact("tasks.md", "tasks.md.j2", "Tasks", False)
QUICKSTART = Artifact("quickstart.md", "quickstart.md.j2", "Quickstart", False)
PERFORMANCE = Artifact("performance-plan.md", "performance-plan.md.j2", "Performance Plan", False)
SECURITY = Artifact("security-plan.md", "security-plan.md.j2", "Security Plan", False)
TESTING = Artifact("testing-strategy.md", "testing-strategy.md.j2", "Testing Strategy", False)
SUMMARY = Artifact("executive-summary.md", "executive-summary.md.j2", "Executive Summary", True)
DEPENDENCIES = Artifact("dependencies.md", "dependencies.md.j2", "Dependencies", False)

# The artifacts generation writes, in the order they are presented. spec.md is written only when
# the plan was made from text that was not already a spec file in the feature folder; contracts/
# holds one or more files whose names depend on the interface (see bot.planning.contracts).
GENERATED: tuple[Artifact, ...] = (
    PLAN,
    DECISIONS,
    RESEARCH,
    DATA_MODEL,
    TASKS,
    QUICKSTART,
    PERFORMANCE,
    SECURITY,
    TESTING,
    SUMMARY,
    DEPENDENCIES,
)

CONTRACTS_DIR = "contracts"
FEATURE_STATE_PATH = ".specify/feature.json"


def by_name(name: str) -> Artifact | None:
    return next((a for a in (SPEC, *GENERATED) if a.name == name), None)
