"""Decisions named where they must be, PROVISIONAL where (and only where) decisions.md says so."""

from __future__ import annotations

import pytest

from bot.planning.artifacts import DECISIONS, GENERATED


def test_decision_missing_from_research_is_an_error(plan):
    plan.replace("research.md", "| TD003 | Random single-use token stored hashed | DECIDED |\n", "")
    found = [f for f in plan.validate() if f.code == "td-not-mentioned"]
    assert [(f.path, f.line) for f in found] == [(plan.path("research.md"), 1)]
    assert "TD003" in found[0].message


@pytest.mark.parametrize(
    "artifact", [a for a in GENERATED if a.names_every_decision and a is not DECISIONS], ids=lambda a: a.name
)
def test_every_artifact_that_names_decisions_is_checked(plan, artifact):
    text = plan.text(artifact.name).replace("TD001", "the storage decision")
    plan.write(artifact.name, text)
    assert (plan.path(artifact.name), 1) in plan.found("td-not-mentioned")


def test_provisional_decision_named_without_the_mark_is_an_error(plan):
    plan.replace("plan.md", "Polling every 4 seconds — PROVISIONAL DECISION)", "Polling every 4 seconds)")
    line = plan.line_of("plan.md", "- TD002")
    assert plan.found("td-provisional-unmarked") == [(plan.path("plan.md"), line)]


def test_provisional_mark_in_the_same_table_row_counts(plan):
    assert "| TD002 | Polling every 4 seconds | PROVISIONAL DECISION |" in plan.text("research.md")
    plan.replace("research.md", "| TD002 | Polling every 4 seconds | PROVISIONAL DECISION |", "| TD002 | Polling | DECIDED |")
    line = plan.line_of("research.md", "| TD002 |")
    assert plan.found("td-provisional-unmarked") == [(plan.path("research.md"), line)]


def test_provisional_mark_on_a_continuation_line_of_the_bullet_counts(plan):
    plan.replace(
        "executive-summary.md",
        "- Freshness: TD002, polling every 4 seconds, a PROVISIONAL DECISION with a review task.",
        "- Freshness: TD002, polling every 4 seconds,\n  a PROVISIONAL DECISION with a review task.",
    )
    assert plan.validate() == []


def test_provisional_mark_in_another_bullet_does_not_count(plan):
    plan.replace(
        "executive-summary.md",
        "- Freshness: TD002, polling every 4 seconds, a PROVISIONAL DECISION with a review task.",
        "- Freshness: TD002, polling every 4 seconds.\n- This plan holds a PROVISIONAL DECISION.",
    )
    line = plan.line_of("executive-summary.md", "- Freshness: TD002")
    assert plan.found("td-provisional-unmarked") == [(plan.path("executive-summary.md"), line)]


def test_decided_decision_marked_provisional_is_an_error(plan):
    plan.replace("plan.md", "- TD003 (Security: Option A, Random single-use token stored hashed)",
                 "- TD003 (Security: Option A, Random single-use token stored hashed — PROVISIONAL DECISION)")
    line = plan.line_of("plan.md", "- TD003")
    found = [f for f in plan.validate() if f.code == "td-provisional-mismatch"]
    assert [(f.path, f.line) for f in found] == [(plan.path("plan.md"), line)]
    assert "DECIDED" in found[0].message


def test_provisional_mark_belongs_to_the_decision_named_before_it(plan):
    plan.write(
        "quickstart.md",
        plan.text("quickstart.md") + "\nDecisions: TD001 (PostgreSQL), TD002 (polling — PROVISIONAL DECISION), TD003.\n",
    )
    assert plan.found("td-provisional-mismatch") == []


def test_decision_marked_provisional_in_tasks_but_decided_is_an_error(plan):
    plan.replace("tasks.md", "(FR-003; TD003)", "(FR-003; TD003 PROVISIONAL)")
    line = plan.line_of("tasks.md", "TD003 PROVISIONAL")
    assert plan.found("td-provisional-mismatch") == [(plan.path("tasks.md"), line)]


def test_decision_that_decisions_md_does_not_hold_is_a_warning(plan):
    plan.replace("testing-strategy.md", "- Unit tests for models and token handling.", "- Unit tests for TD007.")
    found = [f for f in plan.validate() if f.code == "td-unknown"]
    assert [(f.path, f.line, f.severity) for f in found] == [
        (plan.path("testing-strategy.md"), plan.line_of("testing-strategy.md", "TD007"), "warning")
    ]


def test_decision_of_an_earlier_feature_is_not_unknown(plan):
    plan.write("research.md", plan.text("research.md") + "\nStorage follows TD004 of 000-accounts.\n")
    assert plan.found("td-unknown") == []
