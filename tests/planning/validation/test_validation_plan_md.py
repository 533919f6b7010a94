"""plan.md: Technical Context fields, template placeholders, Constitution Check."""

from __future__ import annotations

import pytest

TEMPLATE_LEFTOVERS = [
    ("**Storage**: PostgreSQL (TD001)", "**Storage**: [e.g., PostgreSQL, CoreData, files or N/A]"),
    ("# Implementation Plan: Shared Reading Lists", "# Implementation Plan: [FEATURE]"),
    ("**Branch**: `001-shared-reading-lists`", "**Branch**: `[###-feature-name]`"),
    ("## Summary", "## Summary\n<!-- ACTION REQUIRED: replace this with the summary -->"),
]


@pytest.mark.parametrize(("old", "new"), TEMPLATE_LEFTOVERS)
def test_template_placeholder_left_is_an_error(plan, old, new):
    plan.replace("plan.md", old, new)
    line = plan.line_of("plan.md", new.splitlines()[-1])
    assert plan.found("plan-placeholder") == [(plan.path("plan.md"), line)]


def test_missing_technical_context_field_is_reported_at_the_section(plan):
    plan.replace("plan.md", "**Scale/Scope**: a few thousand readers\n", "")
    line = plan.line_of("plan.md", "## Technical Context")
    found = [f for f in plan.validate() if f.code == "plan-field-missing"]
    assert [(f.path, f.line) for f in found] == [(plan.path("plan.md"), line)]
    assert "Scale/Scope" in found[0].message


def test_empty_technical_context_field_is_an_error(plan):
    plan.replace("plan.md", "**Testing**: pytest", "**Testing**:")
    line = plan.line_of("plan.md", "**Testing**:")
    assert plan.found("plan-placeholder") == [(plan.path("plan.md"), line)]


def test_technical_context_as_a_table_is_read(plan):
    text = plan.text("plan.md")
    start = text.index("**Language/Version**")
    end = text.index("## Decisions in force")
    rows = []
    for line in text[start:end].strip().splitlines():
        name, value = line.split(":", 1)
        rows.append(f"| {name} | {value.strip()} |")
    table = "| Field | Value |\n|---|---|\n" + "\n".join(rows) + "\n\n"
    plan.write("plan.md", text[:start] + table + text[end:])
    assert plan.validate() == []


def test_needs_clarification_is_a_warning(plan):
    plan.replace("plan.md", "**Scale/Scope**: a few thousand readers", "**Scale/Scope**: NEEDS CLARIFICATION")
    line = plan.line_of("plan.md", "NEEDS CLARIFICATION")
    found = [f for f in plan.validate() if f.code == "needs-clarification"]
    assert [(f.path, f.line, f.severity) for f in found] == [(plan.path("plan.md"), line, "warning")]
    assert found[0].format() == f"{plan.path('plan.md')}:{line}: warning: NEEDS CLARIFICATION left in plan.md"


def test_constitution_check_section_is_required(plan):
    plan.replace("plan.md", "## Constitution Check", "## Principles")
    assert plan.found("plan-section-missing") == [(plan.path("plan.md"), 1)]


def test_a_repository_label_for_a_field_counts_for_that_field(plan):
    # a repository's own plan template may call Primary Dependencies "Primary Frameworks"
    plan.replace("plan.md", "**Primary Dependencies**:", "**Primary Frameworks**:")
    assert plan.found("plan-field-missing") == []
    plan.replace("plan.md", "**Primary Frameworks**:", "**Favourite Colour**:")
    assert [code for code in (f.code for f in plan.validate()) if code == "plan-field-missing"] == ["plan-field-missing"]
