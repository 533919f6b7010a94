"""Hand-built plans for the plan.md, decisions.md, spec.md and executive-summary.md tests.

A small team-inbox feature with three decisions: TD001 (Data, high impact) decided by a vote,
TD002 (Architecture) left to its provisional default, TD003 (Integration) decided with `/decide`.
`stage="branch"` gives the same decisions as they are when the branch is made: no outcomes.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Literal

import pytest

from builders import (assemble_plan, context_around, fastapi_stack, id_field, metric, openapi_file, outcome, scenario,
                      service_layout, settle, technical_decision)
from builders import constitution as make_constitution

from bot.planning.analysis import Analysis, BusinessQuestion
from bot.planning.constitution import Constitution, Principle
from bot.planning.context import PlanTemplate
from bot.planning.contracts import Contracts, Operation
from bot.planning.datamodel import DataModel, EntityModel
from bot.planning.decisions import Category, Conflict, Impact, Option, Reversibility, SettledDecision, TechnicalDecision
from bot.planning.layout import ProjectLayout
from bot.planning.plan import Milestone, Plan
from bot.planning.risks import Risk
from bot.planning.spec import (AcceptanceScenario, Attribute, Clarification, Entity, Metric, MetricKind, OpenQuestion,
                               Requirement, Spec, SuccessCriterion, UserStory)
from bot.planning.stack import Stack
from bot.planning.tasks import Phase, Task, TaskPlan

GENERATED_AT = datetime(2026, 11, 5, 9, 30, tzinfo=UTC)
_UNITS = {"ms": " ms", "/s": "/s", "B": " B", "days": " days", "%": "%", "count": ""}


def _display(metric: Metric) -> str:
    """Test-only stand-in for `Metric.display()` while the intake package cannot be imported."""
    value = f"{metric.value:,.0f}" if metric.value == int(metric.value) else f"{metric.value:g}"
    return value + _UNITS.get(metric.unit, f" {metric.unit}")


def intake_importable() -> bool:
    try:
        import bot.planning.intake.figures  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(autouse=True)
def metric_display(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Metrics display through the intake package when it imports, else through `_display`."""
    if not intake_importable():
        monkeypatch.setattr(Metric, "display", _display)
    yield
VOTED_AT = datetime(2026, 11, 4, 16, 0, tzinfo=UTC)
Stage = Literal["branch", "final"]


def _option(key: str, title: str, traits: list[str], reversibility: Reversibility) -> Option:
    return Option(
        key=key,
        title=title,
        summary=f"{title}, set up for the inbox.",
        pros=[f"{title} is well understood"],
        cons=[f"{title} needs care under load"],
        cost_impact="Low: a few days of setup",
        reversibility=reversibility,
        traits=traits,
    )


def decisions(stage: Stage = "final") -> list[TechnicalDecision]:
    store = technical_decision(
        "TD001", "primary-store", Category.DATA, "Where messages are stored",
        [
            _option("A", "Relational tables", ["needs-relational-database"], Reversibility.HARD),
            _option("B", "Document store", ["non-relational-store"], Reversibility.HARD),
        ],
        context="Messages must survive restarts and be searchable by thread (FR-001, SC-001).",
        evidence=[("FR-001", "System MUST keep every message of a thread")],
        question="Which store holds the messages?",
        reasoning="Threads and assignments are relational; the team already runs it.",
        impact_on_implementation="Shapes the data model, migrations and every query.",
        reversibility=Reversibility.HARD,
        review_trigger="When a thread exceeds 10,000 messages",
    )
    jobs = technical_decision(
        "TD002", "background-processing", Category.ARCHITECTURE, "How notifications are sent",
        [
            _option("A", "In-process job table", ["uses-primary-database"], Reversibility.EASY),
            _option("B", "Message broker with workers", ["extra-infrastructure", "long-running-workers"], Reversibility.MEDIUM),
        ],
        context="Every assignment notifies the assignee (FR-003).",
        evidence=[("FR-003", "System MUST notify the assignee")],
        question="Where does notification work run?",
        recommendation="B",
        reasoning="Retries and dead letters come built in.",
        impact=Impact.MEDIUM,
        impact_on_implementation="Adds a worker process and its deployment.",
        depends_on=["TD001"],
        review_trigger="After the first month in production",
    )
    push = technical_decision(
        "TD003", "realtime-transport", Category.INTEGRATION, "How agents see new messages",
        [
            _option("A", "Server-sent events", ["long-lived-connections"], Reversibility.EASY),
            _option("B", "Polling every few seconds", ["stateless-requests"], Reversibility.EASY),
        ],
        context="New messages appear without reloading (FR-002).",
        evidence=[("FR-002", "New messages appear within 2 s")],
        question="How do updates reach the browser?",
        reasoning="One-way push is all the feature needs.",
        impact=Impact.LOW,
        impact_on_implementation="Adds one streaming endpoint.",
        reversibility=Reversibility.EASY,
        review_trigger="If proxies cut idle connections",
    )
    if stage == "branch":
        return [store, jobs, push]
    return [
        settle(store, outcome("A", "2 eligible votes for A; relational fits the thread model.", VOTED_AT,
                              by=["alice", "bob"], votes={"A": 2, "B": 0})),
        settle(jobs, outcome("B", "No vote before the deadline: the recommendation stands.", VOTED_AT, provisional=True)),
        settle(push, outcome("B", "The corporate proxy cuts idle connections.", VOTED_AT, by=["carol"])),
    ]


def decided(td: TechnicalDecision, option: str, rationale: str = "Chosen by the team.", by: str = "dana") -> TechnicalDecision:
    """`td` decided by a person for `option`."""
    return settle(td, outcome(option, rationale, VOTED_AT, by=[by]))


def spec() -> Spec:
    return Spec(
        title="Team Inbox Triage",
        format="free-form",
        summary="Support agents share one inbox; each message is assigned to one agent and tracked to closure.",
        feature_branch="007-team-inbox-triage",
        stories=[
            UserStory(
                id="US1",
                title="Assign a message",
                priority=1,
                description="An agent assigns an incoming message to a colleague.",
                why="Nothing gets answered twice or never.",
                independent_test="Assign one message and see it in the assignee's queue.",
                scenarios=[
                    scenario(
                        "an unassigned message",
                        "an agent assigns it",
                        "the assignee sees it at the top of their queue",
                        text="Given an unassigned message, when an agent assigns it, then the assignee sees it.",
                    )
                ],
            ),
            UserStory(
                id="US2",
                title="See new messages live",
                priority=2,
                description="New messages appear without reloading.",
                scenarios=[AcceptanceScenario(text="A new message shows up on every open inbox.")],
            ),
        ],
        requirements=[
            Requirement(id="FR-001", text="System MUST keep every message of a thread."),
            Requirement(
                id="FR-002",
                text="New messages MUST appear on every open inbox within 2 s.",
                metrics=[metric(MetricKind.LATENCY, 2000, "ms", "within 2 s", "FR-002")],
            ),
            Requirement(id="FR-003", text="System MUST notify the assignee by email."),
            Requirement(
                id="FR-004",
                text="Agents MUST be able to export a thread.",
                strength="must",
                id_assigned=True,
                clarifications=["which export formats are needed?"],
            ),
            Requirement(
                id="FR-005",
                text="Attachments up to 10 MB are kept for 2 years.",
                metrics=[
                    metric(MetricKind.SIZE, 10_000_000, "B", "up to 10 MB", "FR-005"),
                    metric(MetricKind.RETENTION, 730, "days", "for 2 years", "FR-005"),
                ],
            ),
        ],
        entities=[
            Entity(
                name="Message",
                description="one email or chat message",
                attributes=[Attribute(name="sender", text="sender"), Attribute(name="status", values=["New", "Closed"], text="status (New, Closed)")],
            ),
            Entity(name="Assignment", description="who owns a message and since when"),
        ],
        success_criteria=[
            SuccessCriterion(
                id="SC-001",
                text="95% of inbox loads finish in under 300 ms with 500 concurrent agents.",
                metrics=[
                    metric(MetricKind.LATENCY, 300, "ms", "under 300 ms", "SC-001", percentile=95),
                    metric(MetricKind.CONCURRENCY, 500, "count", "500 concurrent agents", "SC-001"),
                ],
            ),
            SuccessCriterion(
                id="SC-002",
                text="The inbox is available 99.9% of working hours.",
                metrics=[metric(MetricKind.AVAILABILITY, 99.9, "%", "99.9%", "SC-002")],
            ),
        ],
        edge_cases=["An assignee leaves the team while messages wait."],
        assumptions=["Agents sign in through the company SSO."],
        out_of_scope=["Mobile push notifications."],
        clarifications=[
            Clarification(question="Which mail system?", answer="The shared IMAP mailbox.", session="2026-11-01"),
        ],
        open_questions=[
            OpenQuestion(question="which export formats are needed?", location="FR-004"),
            OpenQuestion(question="what happens to drafts?", location="Edge Cases"),
        ],
        raw="## Summary\nSupport agents share one inbox.\n\n## Requirements\n- Keep every message\n\n```\nnot = 'a heading'\n```\n",
    )


def constitution() -> Constitution:
    return make_constitution(
        [
            Principle(number="I", name="Python services", text="Services are written in Python 3.12."),
            Principle(number="II", name="PostgreSQL is the system of record", text="Persistent data lives in PostgreSQL."),
            Principle(number="III", name="Test-first", text="Every change starts with a failing test.", non_negotiable=True),
            Principle(number="IV", name="Simplicity", text="No new infrastructure without a decision record."),
            Principle(number="V", name="Observability", text="Every service emits structured logs and metrics."),
        ],
        {"Security Requirements": "Every endpoint is authenticated.", "Governance": "Two maintainers amend it."},
        title="Acme Constitution",
        version="2.0.0",
    )


def stack() -> Stack:
    return fastapi_stack(("fastapi", "0.115.2"), ("pytest", None))


def layout(language: str = "Python") -> ProjectLayout:
    return service_layout(
        "src/team_inbox",
        language=language,
        jobs_dir="src/team_inbox/jobs",
        tree=["src/team_inbox/", "├── models/", "├── services/", "├── api/", "└── jobs/", "tests/", "└── contract/"],
    )


def task_plan(tests_first: bool = True) -> TaskPlan:
    story_one = [
        Task(id="T002", description="Contract test for POST /assignments", phase="us1", story="US1", path="tests/contract/test_assignments.py"),
        Task(id="T003", description="Implement the Assignment model", phase="us1", story="US1", effort_days=1.5, requirements=["FR-001"], decisions=["TD001"]),
    ]
    if not tests_first:
        story_one.reverse()
    return TaskPlan(
        phases=[
            Phase(key="setup", title="Phase 1: Setup", goal="Project skeleton", tasks=[Task(id="T001", description="Create the package", phase="setup")]),
            Phase(key="us1", title="Phase 2: User Story 1 - Assign a message (Priority: P1)", goal="Assign", story="US1", tasks=story_one),
            Phase(
                key="us2",
                title="Phase 3: User Story 2 - See new messages live (Priority: P2)",
                goal="Live",
                story="US2",
                tasks=[
                    Task(id="T004", description="Integration test for the live stream", phase="us2", story="US2"),
                    Task(id="T005", description="Send notifications from a worker", phase="us2", story="US2", effort_days=2, decisions=["TD002"]),
                ],
            ),
            Phase(
                key="polish",
                title="Phase 4: Polish",
                goal="Operate it",
                tasks=[Task(id="T006", description="Emit structured logs and metrics for the inbox service", phase="polish", effort_days=0.5)],
            ),
        ]
    )


def make_plan(
    *,
    stage: Stage = "final",
    tds: list[TechnicalDecision] | None = None,
    with_constitution: bool = True,
    with_stack: bool = True,
    tasks: TaskPlan | None = None,
    risks: list[Risk] | None = None,
    conflicts: list[Conflict] | None = None,
    questions: list[BusinessQuestion] | None = None,
    plan_template: str | None = None,
    user_context: str | None = None,
    plan_layout: ProjectLayout | None = None,
    spec_source: str = "issue #42",
) -> Plan:
    context = context_around(
        spec(),
        "007-team-inbox-triage",
        spec_source=spec_source,
        constitution=constitution() if with_constitution else None,
        stack=stack() if with_stack else Stack(),
        user_context=user_context,
        plan_template=PlanTemplate(path=".specify/templates/plan-template.md", text=plan_template) if plan_template else None,
    )
    analysis = Analysis(
        decisions=tds if tds is not None else decisions(stage),
        settled=[
            SettledDecision(
                topic="primary-database",
                category=Category.DATA,
                title="Primary database",
                decision="PostgreSQL",
                source="Constitution II. PostgreSQL is the system of record",
                quote="Persistent data lives in PostgreSQL.",
            )
        ],
        business_questions=questions if questions is not None else [],
    )
    return assemble_plan(
        context,
        analysis,
        layout=plan_layout or layout(),
        generated_at=GENERATED_AT,
        tasks=tasks or task_plan(),
        conflicts=conflicts or [],
        data_model=DataModel(
            entities=[
                EntityModel(name="Message", table="messages", fields=[id_field()], personal_data=True),
                EntityModel(name="Assignment", table="assignments"),
            ]
        ),
        contracts=Contracts(
            operations=[Operation(operation_id="assignMessage", method="post", path="/assignments", summary="Assign")],
            files=[openapi_file()],
        ),
        risks=risks if risks is not None else [],
        milestones=[
            Milestone(name="MVP: User Story 1", phases=["setup", "us1"], effort_days=3.5, end_week=1),
            Milestone(name="Complete", phases=["us2", "polish"], effort_days=3.5, end_week=2),
        ],
        team_size=2,
    )


def escalated_risk() -> Risk:
    return Risk(
        title="Assignment endpoint open to other teams",
        description="Any signed-in user could assign messages of another team.",
        likelihood="Medium",
        impact="High",
        mitigation="Check team membership on every assignment.",
        area="security",
        sources=["FR-003"],
        escalate=True,
    )


def minor_risk() -> Risk:
    return Risk(
        title="Slow export",
        description="Exports of long threads may take a while.",
        likelihood="Low",
        impact="Low",
        mitigation="Stream the export.",
        area="performance",
    )
