"""The planning workflow, whatever the front end: intake, context, analysis, decisions,
generation and validation. Pure: the workspace and the forum are passed in."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from pydantic import BaseModel, Field

import bot
from bot.planning.analysis import Analysis, analyse
from bot.planning.collector import fewer_collections
from bot.planning.conflicts import find_conflicts
from bot.planning.context import PlanningContext
from bot.planning.contracts import InterfaceKind, build_contracts
from bot.planning.datamodel import build_data_model
from bot.planning.decisions import DecisionChoice
from bot.planning.intake import read_spec
from bot.planning.layout import project_layout
from bot.planning.naming import plan_feature
from bot.planning.outcomes import settle
from bot.planning.plan import Plan
from bot.planning.ports import Analyst, FileSource, Researcher
from bot.planning.repo_context import load_context
from bot.planning.risk_assessment import assess_risks
from bot.planning.spec import Spec
from bot.planning.tasks import build_tasks
from bot.planning.timeline import milestones
from bot.planning.validation import Finding, has_errors, validate_plan
from bot.planning.writer import render_plan, updated_decision_log

# The phases a front end shows progress for, in order.
PHASES: tuple[str, ...] = (
    "Reading the spec",
    "Reading the repository",
    "Analysing decisions",
    "Collecting decisions",
    "Generating artifacts",
    "Validating the plan",
    "Writing the plan",
)

Progress = Callable[[str], None]


class PlanRequest(BaseModel):
    """What to plan: a spec or an issue's text, and where it came from."""

    text: str
    title: str | None = None  # an issue's title; a spec's own heading is used otherwise
    spec_path: str | None = None  # repository-relative path when the spec is a file in the repository
    spec_source: str  # what the artifact headers name: a path, or "issue #12"
    user_context: str | None = None
    private: bool = False
    team_size: int = 2
    specs_dir: str = "specs"  # where feature folders live (a repository may configure another)


class Prepared(BaseModel):
    context: PlanningContext
    analysis: Analysis


class PlanInvalidError(RuntimeError):
    """Generation produced a plan that fails validation; nothing is written."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = list(findings)
        lines = "\n".join(f.format() for f in self.findings if f.severity == "error")
        super().__init__(f"the generated plan fails validation:\n{lines}")


class GeneratedPlan(BaseModel):
    plan: Plan
    files: dict[str, str] = Field(repr=False)
    findings: list[Finding] = Field(default_factory=list)


def intake(request: PlanRequest) -> Spec:
    """The spec, or `ThinSpecError` naming what is missing."""
    return read_spec(request.text, title=request.title)


@fewer_collections()
def prepare(request: PlanRequest, source: FileSource, branches: Sequence[str], *,
            analyst: Analyst | None = None, researcher: Researcher | None = None) -> Prepared:
    """Everything up to the decisions people must take; an `analyst` (a model) rewrites the
    decisions' prose, the offline analysis standing wherever it cannot; a `researcher` adds what
    its tools find."""
    spec = intake(request)
    feature = plan_feature(spec.title, source, branches, spec_path=request.spec_path, specs_dir=request.specs_dir)
    context = load_context(
        source,
        spec,
        spec_source=request.spec_path or request.spec_source,
        feature=feature,
        user_context=request.user_context,
        private=request.private,
    )
    analysis = analyse(context)
    if analyst is not None:
        analysis = analyst.refine(context, analysis)
    if researcher is not None:
        analysis = researcher.research(context, analysis)
    return Prepared(context=context, analysis=analysis)


def decide(
    analysis: Analysis, choices: Iterable[DecisionChoice], now: datetime, *, close_window: bool = True
) -> Analysis:
    return settle(analysis, choices, now, close_window=close_window)


def build_plan(context: PlanningContext, analysis: Analysis, now: datetime, *, team_size: int = 2) -> Plan:
    """The whole plan for the decisions as they stand (pending ones read as their recommendation)."""
    decisions = analysis.decisions
    data_model = build_data_model(context, decisions)
    contracts = build_contracts(context, data_model, decisions)
    layout = project_layout(context, decisions, has_http=InterfaceKind.HTTP in contracts.kinds)
    tasks = build_tasks(context, analysis, data_model, contracts, layout)
    return Plan(
        context=context,
        analysis=analysis,
        conflicts=find_conflicts(decisions),
        data_model=data_model,
        contracts=contracts,
        layout=layout,
        tasks=tasks,
        risks=assess_risks(context, decisions),
        milestones=milestones(tasks, team_size),
        generated_at=now,
        planbot_version=bot.__version__,
        team_size=team_size,
    )


@fewer_collections()
def generate(
    prepared: Prepared,
    now: datetime,
    *,
    include_spec: bool,
    original_spec_text: str | None = None,
    team_size: int = 2,
) -> GeneratedPlan:
    """Every artifact, validated. Raises `PlanInvalidError` rather than return a failing plan."""
    plan = build_plan(prepared.context, prepared.analysis, now, team_size=team_size)
    files = render_plan(plan, include_spec=include_spec, original_spec_text=original_spec_text)
    log = updated_decision_log(plan)
    if log is not None:
        files[log[0]] = log[1]
    check = dict(files)
    spec_path = plan.feature.path("spec.md")
    if spec_path not in check and prepared.context.spec.raw:
        check[spec_path] = prepared.context.spec.raw
    findings = validate_plan(check, plan.feature.directory)
    if has_errors(findings):
        raise PlanInvalidError(findings)
    return GeneratedPlan(plan=plan, files=files, findings=findings)
