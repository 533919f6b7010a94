"""plan.md: the Technical Context, the Constitution Check and the rendered document."""

from __future__ import annotations

import re

from plan_document_factory import decided, decisions, layout, make_plan, metric_display, task_plan  # noqa: F401

from bot.planning.artifacts import GENERATED, PLAN
from bot.planning.constitution import Constitution, Principle
from bot.planning.plan import Plan
from bot.planning.plan_document import (
    CONSTITUTION_LOCATIONS,
    TECHNICAL_CONTEXT_FIELDS,
    GateVerdict,
    constitution_check,
    plan_md_values,
    technical_context,
)
from bot.planning.render import render_template


def render(plan: Plan) -> str:
    return render_template(PLAN.template, plan=plan, artifacts=GENERATED, **plan_md_values(plan))


def gate(plan: Plan, number: str):
    return next(g for g in constitution_check(plan) if g.principle.startswith(f"{number}. "))


def with_principles(plan: Plan, *principles: Principle) -> Plan:
    constitution = Constitution(path=".specify/memory/constitution.md", principles=list(principles))
    context = plan.context.model_copy(update={"constitution": constitution})
    return plan.model_copy(update={"context": context})


# --- Technical Context ------------------------------------------------------------------------


def test_every_field_is_filled_in_spec_kit_order():
    context = technical_context(make_plan(user_context="Runs on the team's Kubernetes cluster."))
    assert [(f.key, f.label) for f in context.fields] == list(TECHNICAL_CONTEXT_FIELDS)
    for item in context.fields:
        assert item.value.strip(), item.label
        assert not item.needs_clarification, item.label
        assert "NEEDS CLARIFICATION" not in item.value, item.label


def test_versions_are_the_manifests_or_to_be_verified():
    context = technical_context(make_plan())
    assert context.field("language_version").value.startswith("Python 3.12")
    assert "FastAPI 0.115.2" in context.field("primary_dependencies").value
    assert "pytest (version to be verified)" in context.field("testing").value
    assert "PostgreSQL (version to be verified" in context.field("storage").value


def test_decisions_in_force_are_named_with_provisional_marks():
    context = technical_context(make_plan())
    assert "TD001 (Data: Option A, Relational tables)" in context.field("storage").value
    assert "TD002 (Architecture: Option B, Message broker with workers — PROVISIONAL DECISION)" in context.field(
        "project_type"
    ).value
    assert "TD003 (Integration: Option B, Polling every few seconds)" in context.field("primary_dependencies").value
    every_value = " ".join(f.value for f in context.fields)
    assert all(td_id in every_value for td_id in ("TD001", "TD002", "TD003"))


def test_figures_come_from_the_spec_with_their_sources():
    context = technical_context(make_plan())
    performance = context.field("performance_goals").value
    assert "latency p95 ≤ " in performance and "(SC-001)" in performance
    assert "availability (SC-002)" in performance and "99.9%" in performance
    assert "(FR-002)" in performance
    scale = context.field("scale_scope").value
    assert "500" in scale and "(SC-001)" in scale
    assert "2 user stories, 5 functional requirements, 2 entities" in scale
    constraints = context.field("constraints").value
    assert "size " in constraints and "retention " in constraints and "(FR-005)" in constraints
    assert "Constitution III. Test-first (non-negotiable)" in constraints
    assert "Constitution: Security Requirements" in constraints and "Governance" not in constraints


def test_the_constitution_supplies_language_and_testing_rules():
    context = technical_context(make_plan(with_stack=False))
    assert context.field("language_version").value.startswith("Python 3.12 (Constitution I. Python services")
    assert context.field("testing").value == "tests first (Constitution III. Test-first)"


def test_needs_clarification_only_where_nothing_says():
    plan = make_plan(with_stack=False, with_constitution=False, plan_layout=layout(language="To be decided"))
    context = technical_context(plan)
    unknown = {f.key for f in context.fields if f.needs_clarification}
    assert unknown == {"language_version", "testing", "target_platform"}
    assert context.field("language_version").value.startswith("NEEDS CLARIFICATION (")
    assert not context.field("performance_goals").needs_clarification


def test_target_platform_from_the_user_context():
    value = technical_context(make_plan(user_context="We deploy to Kubernetes.")).field("target_platform").value
    assert value == "Kubernetes (user-supplied context)"


# --- Constitution Check -----------------------------------------------------------------------


def test_all_gates_pass_with_reasons_from_decisions_layout_and_tasks():
    gates = constitution_check(make_plan())
    assert [g.principle for g in gates] == [
        "I. Python services",
        "II. PostgreSQL is the system of record",
        "III. Test-first",
        "IV. Simplicity",
        "V. Observability",
    ]
    assert all(g.verdict is GateVerdict.PASS for g in gates)
    plan = make_plan()
    assert "Python under `src/team_inbox`" in gate(plan, "I").reason
    assert "TD001" in gate(plan, "II").reason
    assert gate(plan, "III").tasks == ["T002", "T004"]
    simplicity = gate(plan, "IV")
    assert simplicity.decisions == ["TD002"]
    assert "TD002 (Architecture: Option B, Message broker with workers — PROVISIONAL DECISION)" in simplicity.reason
    assert gate(plan, "V").tasks == ["T006"]


def test_a_provisional_document_store_violates_a_postgresql_principle():
    store, jobs, push = decisions()
    store = store.model_copy(update={"recommendation": "B"})  # the provisional default is the document store
    provisional = store.model_copy(update={"status": jobs.status, "outcome": jobs.outcome.model_copy(update={"option": "B"})})
    result = gate(make_plan(tds=[provisional, jobs, push]), "II")
    assert result.verdict is GateVerdict.VIOLATION
    assert result.decisions == ["TD001"]
    assert "TD001 (Data: Option B, Document store — PROVISIONAL DECISION) departs from it" in result.reason
    assert "Option A (Relational tables)" in result.alternative


def test_a_document_store_chosen_by_people_is_a_justified_departure():
    store, jobs, push = decisions()
    chosen = decided(store, "B", rationale="Thread documents are read whole.")
    result = gate(make_plan(tds=[chosen, jobs, push]), "II")
    assert result.verdict is GateVerdict.PASS_WITH_JUSTIFICATION
    assert "dana: Thread documents are read whole." in result.justification


def test_a_non_negotiable_principle_cannot_be_justified():
    store, jobs, push = decisions()
    chosen = decided(store, "B", rationale="Thread documents are read whole.")
    strict = Principle(number="II", name="PostgreSQL only", text="All data lives in PostgreSQL.", non_negotiable=True)
    result = gate(with_principles(make_plan(tds=[chosen, jobs, push]), strict), "II")
    assert result.verdict is GateVerdict.VIOLATION
    assert "NON-NEGOTIABLE" in result.justification


def test_test_first_fails_when_implementation_comes_before_tests():
    result = gate(make_plan(tasks=task_plan(tests_first=False)), "III")
    assert result.verdict is GateVerdict.VIOLATION
    assert "T003 come before the first test task T002" in result.reason


def test_a_language_principle_is_violated_by_another_layout_language():
    result = gate(make_plan(plan_layout=layout(language="Go")), "I")
    assert result.verdict is GateVerdict.VIOLATION
    assert "in Go under `src/team_inbox`" in result.reason


def test_no_new_infrastructure_passes_without_infrastructure_decisions():
    store, jobs, push = decisions()
    in_process = decided(jobs, "A")
    result = gate(make_plan(tds=[store, in_process, push]), "IV")
    assert result.verdict is GateVerdict.PASS
    assert result.decisions == []
    assert "no decision in force adds any" in result.reason


def test_a_principle_several_checks_recognise_takes_the_worst_verdict():
    store, jobs, push = decisions()
    mixed = Principle(
        number="VI", name="Lean stack", text="Use PostgreSQL for all data. No new infrastructure without a decision record."
    )
    provisional_store = store.model_copy(
        update={"recommendation": "B", "status": jobs.status, "outcome": jobs.outcome.model_copy(update={"option": "B"})}
    )
    result = gate(with_principles(make_plan(tds=[provisional_store, jobs, push]), mixed), "VI")
    assert result.verdict is GateVerdict.VIOLATION
    assert "decision record" in result.reason and "relational" in result.reason


def test_no_constitution_no_gates():
    assert constitution_check(make_plan(with_constitution=False)) == []


# --- the rendered plan.md --------------------------------------------------------------------


def test_header_summary_and_every_field_render():
    text = render(make_plan(user_context="Runs on the team's Kubernetes cluster.\nKeep costs flat."))
    assert text.startswith("# Implementation Plan: Team Inbox Triage\n")
    assert "**Branch**: `007-team-inbox-triage` | **Date**: 2026-11-05 | **Spec**: [spec.md](spec.md)" in text
    assert "**Input**: Feature specification from `specs/007-team-inbox-triage/spec.md`, written from issue #42" in text
    assert "Support agents share one inbox" in text.split("## Summary", 1)[1].split("##", 1)[0]
    for _, label in TECHNICAL_CONTEXT_FIELDS:
        line = re.search(rf"^\*\*{re.escape(label)}\*\*: (.+)$", text, re.MULTILINE)
        assert line and line.group(1).strip(), label
    assert "**User-supplied context**:\n\n> Runs on the team's Kubernetes cluster.\n> Keep costs flat.\n" in text


def test_spec_link_points_at_the_spec_in_the_feature_folder():
    # the plan folder always holds spec.md: the spec itself, or the copy written with the plan
    text = render(make_plan(spec_source="docs/requests/inbox.md"))
    assert "**Spec**: [spec.md](spec.md)" in text
    assert "**Input**: Feature specification from `docs/requests/inbox.md`" in text


def test_gates_table_structure_decisions_phases_and_links():
    text = render(make_plan())
    assert "| II. PostgreSQL is the system of record | PASS |" in text
    assert "No constitution gate is departed from" in text
    assert "```text\nsrc/team_inbox/\n├── models/" in text
    assert "└── contracts/\n    └── openapi.yaml" in text
    assert "| TD002 (Architecture: Option B, Message broker with workers — PROVISIONAL DECISION) | How notifications are sent | PROVISIONAL DECISION |" in text
    assert "| Phase 2: User Story 1 - Assign a message (Priority: P1) | 2 | 2.5d |" in text
    assert "| **Total** | 6 | 7d |" in text
    for artifact in GENERATED:
        assert f"]({artifact.name})" in text, artifact.name
    assert "[Implementation Plan](plan.md) (this file)" in text


def test_violations_are_tracked_with_justification_and_alternative():
    store, jobs, push = decisions()
    store = store.model_copy(update={"recommendation": "B", "status": jobs.status, "outcome": jobs.outcome.model_copy(update={"option": "B"})})
    text = render(make_plan(tds=[store, jobs, push]))
    assert "| II. PostgreSQL is the system of record | VIOLATION |" in text
    tracking = text.split("## Complexity Tracking", 1)[1].split("\n## ", 1)[0]
    assert "| Violation | Why Needed | Simpler Alternative Rejected Because |" in tracking
    assert "VIOLATION: Constitution II. PostgreSQL is the system of record." in tracking
    assert "Not justified:" in tracking and "Option A (Relational tables) keeps to it" in tracking


def test_without_a_constitution_says_what_was_checked():
    text = render(make_plan(with_constitution=False))
    assert "No constitution found in the repository" in text
    for path in CONSTITUTION_LOCATIONS:
        assert f"`{path}`" in text


def test_no_template_placeholder_is_left():
    text = render(make_plan(user_context="Deployed as containers."))
    assert not re.search(r"\[(?:FEATURE|DATE|link|###-feature(?:-name)?)\]|\[e\.g\.|ACTION REQUIRED|NEEDS CLARIFICATION", text)
