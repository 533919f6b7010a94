"""The executive summary's Go/No-Go recommendation."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from pydantic import BaseModel, Field

from bot.planning.decisions import DecisionStatus
from bot.planning.plan import Plan
from bot.planning.plan_document.constitution_check import Gate, GateVerdict, constitution_check
from bot.planning.plan_document.refs import decision_ref, people_decided


class Recommendation(StrEnum):
    GO = "GO"
    GO_WITH_CONDITIONS = "GO WITH CONDITIONS"
    NO_GO = "NO-GO"


class Verdict(BaseModel):
    recommendation: Recommendation
    blockers: list[str] = Field(default_factory=list)  # what makes it NO-GO
    conditions: list[str] = Field(default_factory=list)  # what must be settled along the way
    checks: list[str] = Field(default_factory=list)  # what was checked and found in order

    @property
    def reasons(self) -> list[str]:
        """What the recommendation rests on."""
        if self.recommendation is Recommendation.NO_GO:
            return self.blockers
        if self.recommendation is Recommendation.GO_WITH_CONDITIONS:
            return self.conditions
        return self.checks


def go_no_go(plan: Plan, gates: Sequence[Gate] | None = None) -> Verdict:
    """NO-GO on an error-severity conflict, an unjustified constitution violation or a blocked
    decision; GO WITH CONDITIONS on provisional or open decisions, justified departures from the
    constitution, warning conflicts, escalated risks or open business questions; else GO."""
    gates = constitution_check(plan) if gates is None else list(gates)
    blockers: list[str] = []
    conditions: list[str] = []
    checks: list[str] = []

    conflicts = [*plan.analysis.conflicts, *plan.conflicts]
    for conflict in conflicts:
        line = f"Conflict between {', '.join(conflict.decisions)}: {conflict.message}"
        (blockers if conflict.severity == "error" else conditions).append(line)
    if not conflicts:
        checks.append("No conflict among the chosen options or with earlier logged decisions.")

    for gate in gates:
        if gate.verdict is GateVerdict.VIOLATION:
            blockers.append(f"Constitution {gate.principle} is violated: {gate.reason} {gate.justification}".strip())
        elif gate.verdict is GateVerdict.PASS_WITH_JUSTIFICATION:
            conditions.append(
                f"Constitution {gate.principle}: a justified departure ({gate.justification}); "
                "record it in Complexity Tracking or amend the constitution."
            )
    if gates and all(g.verdict is GateVerdict.PASS for g in gates):
        checks.append(f"All {len(gates)} constitution gates pass.")

    for td in plan.decisions:
        if td.status is DecisionStatus.BLOCKED:
            blockers.append(f"{td.id} ({td.title}) is blocked by an objection: settle it with `/decide`.")
        elif td.provisional:
            conditions.append(f"Confirm or replace {decision_ref(td)}: nobody decided it.")
        elif not td.decided:
            conditions.append(f"Decide {td.id} ({td.title}): it is still open.")
    if plan.decisions and all(people_decided(td) for td in plan.decisions):
        checks.append(f"All {len(plan.decisions)} technical decisions were taken by people.")

    escalated = [r for r in plan.risks if r.escalate]
    conditions += [f"⚠️ Escalated {r.area} risk: {r.title}. Mitigation: {r.mitigation}" for r in escalated]
    if not escalated:
        checks.append("No performance or security risk needs escalation.")

    questions = plan.analysis.business_questions
    conditions += [f"Business input needed on {q.location}: {q.question}" for q in questions]
    if not questions:
        checks.append("No question is waiting for business input.")

    if blockers:
        recommendation = Recommendation.NO_GO
    elif conditions:
        recommendation = Recommendation.GO_WITH_CONDITIONS
    else:
        recommendation = Recommendation.GO
    return Verdict(recommendation=recommendation, blockers=blockers, conditions=conditions, checks=checks)
