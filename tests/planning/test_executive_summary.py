"""executive-summary.md and the Go/No-Go verdict."""

from __future__ import annotations

import re

from plan_document_factory import (  # noqa: F401 - metric_display is an autouse fixture
    decided,
    decisions,
    escalated_risk,
    make_plan,
    metric_display,
    minor_risk,
)

from bot.planning.analysis import BusinessQuestion
from bot.planning.artifacts import GENERATED, SUMMARY
from bot.planning.decisions import Conflict, DecisionStatus
from bot.planning.plan import Plan
from bot.planning.plan_document import Recommendation, go_no_go, summary_values
from bot.planning.render import render_template

SECTIONS = [
    "Implementation Approach",
    "Technology Decisions",
    "Timeline and Milestones",
    "Resource Requirements",
    "Risk Summary and Mitigation",
    "Success Metrics and KPIs",
    "Questions for Business Input",
    "Go/No-Go Recommendation",
]


def render(plan: Plan) -> str:
    return render_template(SUMMARY.template, plan=plan, artifacts=GENERATED, **summary_values(plan))


def section(text: str, heading: str) -> str:
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    assert match, f"no ## {heading}"
    return match.group(1)


def all_decided_by_people() -> list:
    store, jobs, push = decisions()
    return [store, decided(jobs, "A", rationale="Keep it in the database."), push]


# --- Go / No-Go -------------------------------------------------------------------------------


def test_go_when_everything_is_settled_by_people():
    verdict = go_no_go(make_plan(tds=all_decided_by_people()))
    assert verdict.recommendation is Recommendation.GO
    assert verdict.blockers == [] and verdict.conditions == []
    assert "All 3 technical decisions were taken by people." in verdict.reasons
    assert "All 5 constitution gates pass." in verdict.reasons


def test_go_with_conditions_on_a_provisional_decision_escalated_risk_and_open_question():
    plan = make_plan(
        risks=[escalated_risk(), minor_risk()],
        questions=[BusinessQuestion(question="Which export formats?", location="FR-004")],
    )
    verdict = go_no_go(plan)
    assert verdict.recommendation is Recommendation.GO_WITH_CONDITIONS
    assert verdict.blockers == []
    joined = "\n".join(verdict.reasons)
    assert "TD002 (Architecture: Option B, Message broker with workers — PROVISIONAL DECISION)" in joined
    assert "⚠️ Escalated security risk: Assignment endpoint open to other teams" in joined
    assert "Business input needed on FR-004: Which export formats?" in joined
    assert "Slow export" not in joined


def test_each_condition_alone_is_enough_for_conditions():
    people = all_decided_by_people()
    assert go_no_go(make_plan(tds=people, risks=[escalated_risk()])).recommendation is Recommendation.GO_WITH_CONDITIONS
    question = [BusinessQuestion(question="Who approves?", location="FR-001")]
    assert go_no_go(make_plan(tds=people, questions=question)).recommendation is Recommendation.GO_WITH_CONDITIONS
    warning = [Conflict(decisions=["TD001", "TD003"], message="Minor clash.", severity="warning")]
    assert go_no_go(make_plan(tds=people, conflicts=warning)).recommendation is Recommendation.GO_WITH_CONDITIONS
    assert go_no_go(make_plan(tds=people)).recommendation is Recommendation.GO


def test_no_go_on_an_error_conflict():
    conflict = Conflict(decisions=["TD002", "TD003"], message="Workers cannot run where polling is served.", severity="error")
    verdict = go_no_go(make_plan(conflicts=[conflict]))
    assert verdict.recommendation is Recommendation.NO_GO
    assert verdict.reasons == ["Conflict between TD002, TD003: Workers cannot run where polling is served."]
    assert any("PROVISIONAL" in line for line in verdict.conditions)


def test_no_go_on_an_unjustified_constitution_violation():
    store, jobs, push = decisions()
    store = store.model_copy(
        update={"recommendation": "B", "status": jobs.status, "outcome": jobs.outcome.model_copy(update={"option": "B"})}
    )
    verdict = go_no_go(make_plan(tds=[store, jobs, push]))
    assert verdict.recommendation is Recommendation.NO_GO
    assert len(verdict.blockers) == 1
    assert verdict.blockers[0].startswith("Constitution II. PostgreSQL is the system of record is violated:")


def test_a_justified_departure_is_a_condition_not_a_blocker():
    store, jobs, push = all_decided_by_people()
    verdict = go_no_go(make_plan(tds=[decided(store, "B", rationale="Read whole."), jobs, push]))
    assert verdict.recommendation is Recommendation.GO_WITH_CONDITIONS
    assert any("justified departure" in line for line in verdict.conditions)


def test_no_go_on_a_blocked_decision():
    store, jobs, push = decisions(stage="branch")
    blocked = store.model_copy(update={"status": DecisionStatus.BLOCKED})
    verdict = go_no_go(make_plan(tds=[blocked, *all_decided_by_people()[1:]]))
    assert verdict.recommendation is Recommendation.NO_GO
    assert "TD001 (Where messages are stored) is blocked by an objection" in verdict.blockers[0]


# --- the rendered summary ---------------------------------------------------------------------


def test_every_section_in_order_ending_with_the_recommendation():
    text = render(make_plan(risks=[minor_risk(), escalated_risk()]))
    assert text.startswith("# Executive Summary: Team Inbox Triage\n")
    assert re.findall(r"^## (.+)$", text, re.MULTILINE) == SECTIONS
    final = section(text, "Go/No-Go Recommendation")
    assert final.strip().startswith("**GO WITH CONDITIONS**")
    assert "Conditions:" in final


def test_decisions_are_named_with_rationale_and_provisional_mark():
    decisions_text = section(render(make_plan()), "Technology Decisions")
    assert "- TD001 (Data: Option A, Relational tables): 2 eligible votes for A; relational fits the thread model." in decisions_text
    assert "- TD002 (Architecture: Option B, Message broker with workers — PROVISIONAL DECISION): No vote before the deadline" in decisions_text
    assert "- TD003 (Integration: Option B, Polling every few seconds): The corporate proxy cuts idle connections." in decisions_text
    assert "Already settled and not asked again: PostgreSQL." in decisions_text


def test_timeline_uses_milestones_total_effort_and_team_size():
    timeline = section(render(make_plan()), "Timeline and Milestones")
    assert "| MVP: User Story 1 | setup, us1 | 3.5d | end of week 1 |" in timeline
    assert "| Complete | us2, polish | 3.5d | end of week 2 |" in timeline
    assert "Total effort: **7d** over 6 tasks (milestones sum to 7d), for a team of 2 engineers: about 2 weeks" in timeline


def test_resources_come_from_layout_stack_and_decisions():
    resources = section(render(make_plan()), "Resource Requirements")
    assert "**2 engineers (web service)** — Python, FastAPI, pytest" in resources
    assert "**Data modelling and database administration** — Relational tables" in resources
    assert "**Senior engineer for architecture review** — Message broker with workers" in resources
    assert "**Privacy / compliance review**: personal data is kept in Message." in resources


def test_risks_put_critical_first_and_flag_escalations():
    risks = section(render(make_plan(risks=[minor_risk(), escalated_risk()])), "Risk Summary and Mitigation")
    lines = [line for line in risks.splitlines() if line.startswith("- ")]
    assert lines[0].startswith("- ⚠️ **ESCALATED** **Assignment endpoint open to other teams** (security; likelihood Medium, impact High; critical)")
    assert "Mitigation: Check team membership on every assignment." in lines[0]
    assert lines[1].startswith("- **Slow export**") and "⚠️" not in lines[1]


def test_success_metrics_carry_their_figures():
    metrics = section(render(make_plan()), "Success Metrics and KPIs")
    assert re.search(r"- \*\*SC-001\*\*: .+ Target: latency p95 ≤ 300 ms; 500", metrics)
    assert re.search(r"- \*\*SC-002\*\*: .+ Target: 99\.9% availability\.", metrics)


def test_business_questions_are_listed():
    question = BusinessQuestion(question="Which export formats?", location="FR-004", why_it_matters="Shapes the export.")
    text = render(make_plan(questions=[question]))
    assert "- **FR-004**: Which export formats? — Shapes the export." in section(text, "Questions for Business Input")
    assert "No question needs business input." in section(render(make_plan()), "Questions for Business Input")


def test_no_go_lists_blockers_first():
    conflict = Conflict(decisions=["TD002", "TD003"], message="They clash.", severity="error")
    final = section(render(make_plan(conflicts=[conflict])), "Go/No-Go Recommendation")
    assert final.strip().startswith("**NO-GO**")
    assert final.index("Blocking:") < final.index("- Conflict between TD002, TD003: They clash.") < final.index(
        "Also to settle once unblocked:"
    )
