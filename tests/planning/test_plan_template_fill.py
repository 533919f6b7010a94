"""Filling a repository's own spec-kit-style plan template, as plain Markdown."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from plan_document_factory import make_plan, metric_display  # noqa: F401 - metric_display is an autouse fixture

from bot.planning.plan_document import TECHNICAL_CONTEXT_FIELDS, fill_plan_template

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "plan_templates" / "plan-template.md"
PLACEHOLDER = re.compile(r"\[(?:FEATURE|FEATURE NAME|DATE|link|###-feature(?:-name)?)\]|\[e\.g\.|ACTION REQUIRED|REMOVE IF UNUSED")


@pytest.fixture
def filled() -> str:
    return fill_plan_template(FIXTURE.read_text(encoding="utf-8"), make_plan(user_context="Runs on Kubernetes."))


def section(text: str, heading: str) -> str:
    """The body under `## heading`, up to the next `## ` heading outside fenced code."""
    start = text.index(f"\n## {heading}\n") + len(heading) + 5
    fenced = False
    lines = text[start:].split("\n")
    for index, line in enumerate(lines):
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("## "):
            return "\n".join(lines[:index])
    return "\n".join(lines)


def headings(text: str) -> list[str]:
    outside_code = re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)
    return re.findall(r"^## (.+)$", outside_code, re.MULTILINE)


def test_placeholders_comments_and_front_matter_are_gone(filled: str):
    assert not PLACEHOLDER.search(filled)
    assert "<!--" not in filled
    assert not filled.startswith("---")
    assert "scripts:" not in filled
    assert filled.startswith("# Implementation Plan: Team Inbox Triage\n")
    assert "**Branch**: `007-team-inbox-triage` | **Date**: 2026-11-05 | **Spec**: [spec.md](spec.md)" in filled
    assert "**Input**: Feature specification from `specs/007-team-inbox-triage/spec.md`, written from issue #42" in filled


def test_technical_context_keeps_the_templates_labels(filled: str):
    context = section(filled, "Technical Context")
    assert "**Primary Frameworks**: FastAPI 0.115.2" in context
    assert "**Primary Dependencies**" not in context
    for label in [label for _, label in TECHNICAL_CONTEXT_FIELDS if label != "Primary Dependencies"]:
        value = re.search(rf"^\*\*{re.escape(label)}\*\*: (.+)$", context, re.MULTILINE)
        assert value and "[" not in value.group(1) and "NEEDS CLARIFICATION" not in value.group(1), label
    assert "**On-call Team**: NEEDS CLARIFICATION (" in context
    assert "**User-supplied context**:\n\n> Runs on Kubernetes." in context
    assert "TD002 (Architecture: Option B, Message broker with workers — PROVISIONAL DECISION)" in context


def test_constitution_check_structure_and_complexity_are_replaced(filled: str):
    check = section(filled, "Constitution Check")
    assert "*GATE: has to pass before research starts; check it again once the design is done.*" in check
    assert "Gates taken from the constitution file" not in check
    assert "| III. Test-first | PASS |" in check
    structure = section(filled, "Project Structure")
    assert "Option 1" not in structure and "Option 2" not in structure
    assert "src/team_inbox/\n├── models/" in structure
    assert "specs/007-team-inbox-triage/\n├── spec.md" in structure
    assert "**Structure Decision**: a web service" in structure
    assert "### Shared Libraries\n\nChanges to `libs/` need a review from the platform team." in structure
    tracking = section(filled, "Complexity Tracking")
    assert "a fourth project" not in tracking
    assert "No constitution gate is departed from" in tracking


def test_sections_the_repository_added_are_kept_verbatim(filled: str):
    notes = section(filled, "Rollout Notes")
    assert "Every feature ships behind a flag and is enabled region by region." in notes
    assert "```text\n## Not a heading: this line sits inside a code block\n{{ 7 * 7 }}\n```" in notes
    assert "49" not in notes
    assert "**Note**: The planning command fills this file in" in filled


def test_decisions_phases_and_links_are_appended_once(filled: str):
    assert headings(filled) == [
        "Summary",
        "Technical Context",
        "Constitution Check",
        "Project Structure",
        "Rollout Notes",
        "Complexity Tracking",
        "Decisions",
        "Phases",
        "Generated Artifacts",
    ]
    assert "TD001 (Data: Option A, Relational tables)" in section(filled, "Decisions")
    assert "| **Total** | 6 | 7d |" in section(filled, "Phases")
    assert "Support agents share one inbox" in section(filled, "Summary")
    assert "Take from the feature spec" not in filled


def test_a_decisions_section_of_the_template_is_filled_not_duplicated():
    template = (
        "# Implementation Plan: [FEATURE]\n\n## Technical Context\n\n**Language/Version**: [e.g., Go]\n\n"
        "## Decisions\n\nRecord every choice in the ADR folder too.\n\n[List the decisions]\n"
    )
    filled = fill_plan_template(template, make_plan())
    assert filled.count("## Decisions") == 1
    decisions = section(filled, "Decisions")
    assert decisions.index("Record every choice in the ADR folder too.") < decisions.index("TD001")
    assert "[List the decisions]" not in decisions
    assert "## Constitution Check" in filled and "## Phases" in filled
    for _, label in TECHNICAL_CONTEXT_FIELDS:
        assert f"**{label}**: " in filled, label


def test_the_repository_template_is_never_executed():
    template = "# Plan {{ plan.spec.title }} [FEATURE]\n\n{% for x in range(3) %}loop{% endfor %}\n"
    filled = fill_plan_template(template, make_plan())
    assert filled.startswith("# Plan {{ plan.spec.title }} Team Inbox Triage\n")
    assert "{% for x in range(3) %}loop{% endfor %}" in filled
