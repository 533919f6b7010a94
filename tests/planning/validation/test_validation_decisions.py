"""decisions.md: title, card headings, ids, fields, options, reversibility, dependencies."""

from __future__ import annotations

import re


def _drop_line(plan, name: str, needle: str) -> None:
    lines = plan.text(name).splitlines(keepends=True)
    matching = [line for line in lines if needle in line]
    assert len(matching) == 1
    plan.write(name, "".join(line for line in lines if needle not in line))


def test_title_is_required(plan):
    plan.replace("decisions.md", "# TECHNICAL DECISIONS REQUIRED for Shared Reading Lists", "# Decisions")
    assert plan.found("decisions-title") == [(plan.path("decisions.md"), 1)]


def test_unknown_category_is_an_error(plan):
    plan.replace("decisions.md", "### TD003: Security - Invitation links", "### TD003: Cryptography - Invitation links")
    line = plan.line_of("decisions.md", "### TD003:")
    assert plan.found("td-category") == [(plan.path("decisions.md"), line)]


def test_heading_without_category_separator_is_an_error(plan):
    plan.replace("decisions.md", "### TD003: Security - Invitation links", "### TD003: Invitation links")
    line = plan.line_of("decisions.md", "### TD003:")
    assert plan.found("td-heading") == [(plan.path("decisions.md"), line)]


def test_heading_at_the_wrong_level_is_an_error(plan):
    plan.replace("decisions.md", "### TD003: Security - Invitation links", "## TD003: Security - Invitation links")
    line = plan.line_of("decisions.md", "## TD003:")
    assert (plan.path("decisions.md"), line) in plan.found("td-heading")


def test_gap_in_ids_is_reported_at_the_next_decision(plan):
    text = plan.text("decisions.md").replace("TD003", "TD004")
    plan.write("decisions.md", text)
    line = plan.line_of("decisions.md", "### TD004:")
    assert plan.found("td-gap") == [(plan.path("decisions.md"), line)]


def test_duplicate_id_is_an_error(plan):
    plan.replace("decisions.md", "### TD003: Security - Invitation links", "### TD002: Security - Invitation links")
    line = plan.line_of("decisions.md", "### TD002: Security")
    assert plan.found("td-duplicate") == [(plan.path("decisions.md"), line)]


def test_missing_field_is_reported_at_the_card(plan):
    _drop_line(plan, "decisions.md", "**Review Trigger**: A second way")
    line = plan.line_of("decisions.md", "### TD003:")
    found = [f for f in plan.validate() if f.code == "td-field-missing"]
    assert [(f.path, f.line) for f in found] == [(plan.path("decisions.md"), line)]
    assert "**Review Trigger**" in found[0].message


def test_settled_card_needs_its_outcome_fields(plan):
    _drop_line(plan, "decisions.md", "**Decided by**: carol")
    line = plan.line_of("decisions.md", "### TD003:")
    assert plan.found("td-field-missing") == [(plan.path("decisions.md"), line)]


def test_pending_card_needs_no_outcome_fields(plan):
    text = plan.text("decisions.md")
    start = text.index("### TD003:")
    card = text[start:]
    pending = re.sub(r"\*\*Status\*\*: DECIDED", "**Status**: PENDING", card)
    pending = re.sub(r"\*\*(Final Decision|Rationale|Decided by|Decided at)\*\*:.*\n", "", pending)
    plan.write("decisions.md", text[:start] + pending)
    codes = plan.codes()
    assert "td-field-missing" not in codes
    # A pending decision cannot be in the log entry as settled.
    assert plan.found("log-unsettled-decision") == [(plan.log, plan.line_of(plan.log, '"id": "TD003"'))]


def test_unknown_status_is_an_error(plan):
    plan.replace("decisions.md", "**Status**: PROVISIONAL DECISION", "**Status**: MAYBE")
    line = plan.line_of("decisions.md", "**Status**: MAYBE")
    assert (plan.path("decisions.md"), line) in plan.found("td-status")


def test_fewer_than_two_options_is_an_error(plan):
    text = plan.text("decisions.md")
    start = text.index("  - Option B: Signed stateless token")
    end = text.index("**Recommendation**: Option A, revocation")
    plan.write("decisions.md", text[:start] + text[end:])
    line = _nth_line(plan.text("decisions.md"), "**Options**:", 3)
    assert plan.found("td-options") == [(plan.path("decisions.md"), line)]


def test_option_without_cost_impact_is_an_error(plan):
    _drop_line(plan, "decisions.md", "Cost Impact: Connection-aware load balancing")
    line = plan.line_of("decisions.md", "- Option B: Server-Sent Events")
    found = [f for f in plan.validate() if f.code == "td-option-incomplete"]
    assert [(f.path, f.line) for f in found] == [(plan.path("decisions.md"), line)]
    assert "Cost Impact" in found[0].message


def test_reversibility_must_be_easy_medium_or_hard(plan):
    plan.replace("decisions.md", "**Reversibility**: Medium", "**Reversibility**: Somewhat")
    line = plan.line_of("decisions.md", "**Reversibility**: Somewhat")
    assert plan.found("td-reversibility") == [(plan.path("decisions.md"), line)]


def test_dependency_on_a_missing_decision_is_an_error(plan):
    plan.replace("decisions.md", "**Depends on**: TD001", "**Depends on**: TD001, TD009")
    line = plan.line_of("decisions.md", "TD009")
    assert plan.found("td-depends-unknown") == [(plan.path("decisions.md"), line)]


def test_recommendation_naming_an_unlisted_option_is_an_error(plan):
    plan.replace("decisions.md", "**Recommendation**: Option A, revocation", "**Recommendation**: Option C, revocation")
    line = plan.line_of("decisions.md", "**Recommendation**: Option C")
    assert plan.found("td-option-ref") == [(plan.path("decisions.md"), line)]


def test_options_may_be_bold_and_parts_bold(plan):
    plan.replace("decisions.md", "  - Option A: Polling every 4 seconds", "  - **Option A**: Polling every 4 seconds")
    plan.replace("decisions.md", "    - Pros: Works behind every proxy", "    - **Pros**: Works behind every proxy")
    assert plan.validate() == []


def _nth_line(text: str, needle: str, nth: int) -> int:
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return lines[nth - 1]
