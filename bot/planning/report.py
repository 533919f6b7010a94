"""The closing report of a plan: branch, files, key decisions, critical risks, next steps."""

from __future__ import annotations

from pydantic import BaseModel, Field

from bot.planning.plan import Plan
from bot.planning.validation import Finding


class DecisionLine(BaseModel):
    id: str
    category: str
    title: str
    option: str
    option_title: str
    status: str  # DECIDED, PROVISIONAL, PENDING, BLOCKED
    decided_by: list[str] = Field(default_factory=list)


class RiskLine(BaseModel):
    title: str
    impact: str
    likelihood: str
    mitigation: str
    escalate: bool


class PlanReport(BaseModel):
    feature: str
    branch: str | None  # None when the plan was written outside git
    directory: str  # where the plan is, as a path the user can open
    commit: str | None = None
    files: list[str] = Field(default_factory=list)
    decisions: list[DecisionLine] = Field(default_factory=list)
    settled: list[str] = Field(default_factory=list)  # decisions cited rather than asked
    conflicts: list[str] = Field(default_factory=list)
    critical_risks: list[RiskLine] = Field(default_factory=list)
    business_questions: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    effort_days: float = 0.0
    next_steps: list[str] = Field(default_factory=list)


def next_steps(plan: Plan, branch: str | None) -> list[str]:
    steps: list[str] = []
    provisional = [td.id for td in plan.decisions if td.provisional]
    if provisional:
        steps.append(
            f"Review the PROVISIONAL DECISIONS {', '.join(provisional)} with the people who own them; "
            "tasks.md holds a review checkpoint for each."
        )
    errors = [c for c in plan.conflicts if c.severity == "error"]
    if errors:
        steps.append(f"Resolve {len(errors)} conflicting choice(s) listed in decisions.md before implementation.")
    if plan.analysis.business_questions:
        steps.append(f"Get answers to {len(plan.analysis.business_questions)} question(s) that need business input.")
    if branch:
        steps.append(f"Push branch {branch} and open a pull request so the plan can be reviewed.")
    first = plan.tasks.phases[0] if plan.tasks.phases else None
    if first and first.tasks:
        steps.append(f"Start with {first.title}: {first.tasks[0].id}–{first.tasks[-1].id} in tasks.md.")
    steps.append(f"After editing the plan by hand, run: planbot validate {plan.feature.directory}")
    return steps


def build_report(
    plan: Plan,
    *,
    branch: str | None,
    directory: str,
    files: list[str],
    findings: list[Finding],
    commit: str | None = None,
) -> PlanReport:
    decisions = [
        DecisionLine(
            id=td.id,
            category=td.category.value,
            title=td.title,
            option=td.effective.key,
            option_title=td.effective.title,
            status=td.status.value,
            decided_by=td.outcome.decided_by if td.outcome else [],
        )
        for td in plan.decisions
    ]
    critical = [
        RiskLine(
            title=r.title,
            impact=r.impact,
            likelihood=r.likelihood,
            mitigation=r.mitigation,
            escalate=r.escalate,
        )
        for r in plan.risks
        if r.critical or r.escalate
    ]
    return PlanReport(
        feature=plan.spec.title,
        branch=branch,
        directory=directory,
        commit=commit,
        files=files,
        decisions=decisions,
        settled=[f"{s.title}: {s.decision} ({s.source})" for s in plan.analysis.settled],
        conflicts=[c.message for c in [*plan.analysis.conflicts, *plan.conflicts]],
        critical_risks=critical,
        business_questions=[f"{q.location}: {q.question}" for q in plan.analysis.business_questions],
        warnings=[f.format() for f in findings if f.severity == "warning"],
        effort_days=plan.tasks.effort_days,
        next_steps=next_steps(plan, branch),
    )
