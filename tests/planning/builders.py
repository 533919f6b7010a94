"""Small building blocks for the hand-built specs, contexts, decisions and plans of the planning tests.

Each factory module keeps the data of its own domain (the spec's stories, the decisions' wording,
the entities); what every factory had to write the same way lives here: a feature from its
branch name, a context around a spec, a decision with its outcome, a plan from its parts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from bot.planning.analysis import Analysis
from bot.planning.constitution import Constitution, Principle
from bot.planning.context import PlanningContext
from bot.planning.contracts import ContractFile
from bot.planning.datamodel import EntityField
from bot.planning.decisions import (
    Category,
    DecisionStatus,
    Evidence,
    Impact,
    Option,
    Outcome,
    Reversibility,
    TechnicalDecision,
)
from bot.planning.feature import Feature
from bot.planning.layout import ProjectLayout
from bot.planning.plan import Plan
from bot.planning.spec import AcceptanceScenario, Metric, MetricKind, Spec
from bot.planning.stack import Dependency, Stack
from bot.planning.tasks import TaskPlan

CONSTITUTION_PATH = ".specify/memory/constitution.md"
PLANBOT_VERSION = "0.1.0"

# --- spec pieces --------------------------------------------------------------------------------


def metric(kind: MetricKind, value: float, unit: str, text: str, source: str, percentile: float | None = None) -> Metric:
    """A figure as the intake reads it: `value` in the kind's base unit, `text` the words it came from."""
    return Metric(kind=kind, value=value, unit=unit, text=text, source=source, percentile=percentile)


def scenario(given: str, when: str, then: str, text: str | None = None) -> AcceptanceScenario:
    """An acceptance scenario in its three parts; its text is the parts joined unless given as written."""
    return AcceptanceScenario(given=given, when=when, then=then, text=text or f"Given {given}, when {when}, then {then}.")


# --- the context around a spec ------------------------------------------------------------------


def feature(branch: str) -> Feature:
    """The feature of a numbered branch such as `004-approvals`, with its folder under `specs/`."""
    number, _, short_name = branch.partition("-")
    return Feature(number=number, short_name=short_name, branch=branch, directory=f"specs/{branch}")


def constitution(principles: Sequence[Principle], sections: dict[str, str] | None = None, **fields: Any) -> Constitution:
    """A constitution read from spec-kit's usual place."""
    return Constitution(path=CONSTITUTION_PATH, principles=list(principles), sections=sections or {}, **fields)


def context_around(spec: Spec, branch: str, /, *, spec_source: str | None = None, **fields: Any) -> PlanningContext:
    """A planning context for `spec` on feature branch `branch`; the spec is the branch folder's
    `spec.md` unless `spec_source` says where it came from. `fields` set (or override) the rest."""
    values: dict[str, Any] = {
        "spec": spec,
        "spec_source": spec_source or f"specs/{branch}/spec.md",
        "feature": feature(branch),
    }
    values.update(fields)
    return PlanningContext(**values)


def fastapi_stack(*packages: tuple[str, str | None], **fields: Any) -> Stack:
    """A Python 3.12 / FastAPI / PostgreSQL / pytest stack read from `pyproject.toml`, with the given
    `(name, pinned version)` dependencies; `fields` set (or override) the rest."""
    values: dict[str, Any] = {
        "languages": ["Python 3.12"],
        "frameworks": ["FastAPI"],
        "databases": ["PostgreSQL"],
        "test_tools": ["pytest"],
        "dependencies": [Dependency(name=name, version=version, source="pyproject.toml") for name, version in packages],
        "manifests": ["pyproject.toml"],
    }
    values.update(fields)
    return Stack(**values)


# --- decisions ----------------------------------------------------------------------------------


def outcome(
    option: str, rationale: str, at: datetime, *, by: Sequence[str] = (), provisional: bool = False,
    votes: dict[str, int] | None = None,
) -> Outcome:
    """How a decision ended: `option` chosen by the people in `by`, or by default when `provisional`."""
    return Outcome(option=option, rationale=rationale, decided_by=list(by), decided_at=at, provisional=provisional,
                   votes=votes or {})


def status_of(result: Outcome | None) -> DecisionStatus:
    """PENDING without an outcome, PROVISIONAL for a default, DECIDED for a choice."""
    if result is None:
        return DecisionStatus.PENDING
    return DecisionStatus.PROVISIONAL if result.provisional else DecisionStatus.DECIDED


def technical_decision(
    id: str, topic: str, category: Category, title: str, options: Sequence[Option], *, question: str,
    recommendation: str = "A", reasoning: str = "", context: str = "", evidence: Iterable[tuple[str, str]] = (),
    impact: Impact = Impact.HIGH, impact_on_implementation: str = "", reversibility: Reversibility = Reversibility.MEDIUM,
    review_trigger: str = "", depends_on: Sequence[str] = (), result: Outcome | None = None,
) -> TechnicalDecision:
    """A decision between `options`; `evidence` is `(source, quote)` pairs; its status follows `result`."""
    return TechnicalDecision(
        id=id, topic=topic, category=category, title=title, context=context,
        evidence=[Evidence(source=source, quote=quote) for source, quote in evidence], question=question,
        options=list(options), recommendation=recommendation, recommendation_reasoning=reasoning, impact=impact,
        impact_on_implementation=impact_on_implementation, reversibility=reversibility, depends_on=list(depends_on),
        review_trigger=review_trigger, status=status_of(result), outcome=result,
    )


def settle(td: TechnicalDecision, result: Outcome) -> TechnicalDecision:
    """`td` once it has ended with `result`."""
    return td.model_copy(update={"status": status_of(result), "outcome": result})


# --- plan parts ---------------------------------------------------------------------------------


def entity_field(name: str, type_: str, sql_type: str, **fields: Any) -> EntityField:
    return EntityField(name=name, type=type_, sql_type=sql_type, **fields)


def id_field() -> EntityField:
    """The usual primary key: a UUID named `id`."""
    return entity_field("id", "uuid", "uuid", primary_key=True)


def openapi_file() -> ContractFile:
    """A stub `contracts/openapi.yaml` for plans whose tests do not read the document itself."""
    return ContractFile(path="contracts/openapi.yaml", kind="openapi", content="openapi: 3.1.0\n")


def service_layout(
    source_root: str, *, language: str = "Python", project_type: str = "web service", test_root: str = "tests",
    **fields: Any,
) -> ProjectLayout:
    """A layout with models, services and an API folder under `source_root`; `fields` add the rest."""
    return ProjectLayout(
        language=language, project_type=project_type, source_root=source_root, test_root=test_root,
        models_dir=f"{source_root}/models", services_dir=f"{source_root}/services", api_dir=f"{source_root}/api",
        **fields,
    )


def assemble_plan(
    context: PlanningContext, analysis: Analysis | Sequence[TechnicalDecision], *, layout: ProjectLayout,
    generated_at: datetime, tasks: TaskPlan | None = None, planbot_version: str = PLANBOT_VERSION, **parts: Any,
) -> Plan:
    """A plan from the parts a test cares about: the analysis may be given as its decisions alone, and
    the tasks default to none. `parts` are the remaining Plan fields (data model, contracts, risks…)."""
    if not isinstance(analysis, Analysis):
        analysis = Analysis(decisions=list(analysis))
    return Plan(
        context=context, analysis=analysis, layout=layout, tasks=tasks if tasks is not None else TaskPlan(),
        generated_at=generated_at, planbot_version=planbot_version, **parts,
    )
