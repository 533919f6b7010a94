"""A hand-built planning context for the task, layout and timeline tests: a lending library
whose members borrow items, pay fines, get a nightly sync with a publisher's catalogue system
and watch availability live. Nothing here comes from planbot's own samples."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.planning.analysis import Analysis
from bot.planning.constitution import Constitution, Principle
from bot.planning.context import PlanningContext
from bot.planning.contracts import ContractFile, Contracts, EventContract, InterfaceKind, Operation
from bot.planning.datamodel import DataModel, EntityField, EntityModel, Index, StateMachine, StateTransition
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
from bot.planning.layout import ProjectLayout, project_layout
from bot.planning.plan import Plan
from bot.planning.spec import (
    AcceptanceScenario,
    Entity,
    Metric,
    MetricKind,
    Requirement,
    Spec,
    SuccessCriterion,
    UserStory,
)
from bot.planning.stack import Dependency, Stack
from bot.planning.tasks import TaskPlan, build_tasks
from bot.planning.timeline import milestones

WHEN = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)


def spec() -> Spec:
    return Spec(
        title="Item Loans with Fines and Live Availability",
        format="spec-kit",
        summary="Members borrow items from the branch web page, return them, pay fines, and see availability live.",
        stories=[
            UserStory(
                id="US1",
                title="Borrow an item",
                priority=1,
                description="A member finds an available item on the branch page and borrows it for three weeks.",
                independent_test="Borrow one item and see it listed under the member's loans with a due date.",
                scenarios=[
                    AcceptanceScenario(given="an available item", when="the member borrows it",
                                       then="a loan is created and the item is no longer available",
                                       text="Given an available item, When the member borrows it, Then a loan is "
                                            "created and the item is no longer available"),
                    AcceptanceScenario(given="a member with unpaid fines", when="the member borrows",
                                       then="the loan is refused",
                                       text="Given a member with unpaid fines, When the member borrows, Then the "
                                            "loan is refused"),
                ],
            ),
            UserStory(
                id="US2",
                title="Return and fines",
                priority=1,
                description="A librarian records a return; a late return adds a fine the member can pay.",
                independent_test="Return one item late and see the fine on the member's account.",
                scenarios=[
                    AcceptanceScenario(given="an overdue loan", when="the librarian records the return",
                                       then="a fine is charged", text="Given an overdue loan, When the librarian "
                                       "records the return, Then a fine is charged"),
                ],
            ),
            UserStory(
                id="US3",
                title="Catalogue sync",
                priority=2,
                description="The catalogue of items is refreshed from the publisher's catalogue system every night.",
                independent_test="Add an item in the publisher sandbox, run the sync, and find it in the catalogue.",
            ),
            UserStory(
                id="US4",
                title="Live availability",
                priority=3,
                description="Members see an item's availability change without reloading the page.",
            ),
        ],
        requirements=[
            Requirement(id="FR-001", text="System MUST let members borrow available items for three weeks."),
            Requirement(id="FR-002", text="System MUST refuse a loan to a member with unpaid fines."),
            Requirement(id="FR-003", text="System MUST charge a fine for each day a returned item is late."),
            Requirement(id="FR-004",
                        text="System MUST import the item catalogue from the publisher's catalogue system nightly."),
            Requirement(id="FR-005", text="System MUST show availability changes to members in real time."),
            Requirement(id="FR-006", text="System MUST sign members in through the council's single sign-on (OIDC)."),
            Requirement(
                id="FR-007",
                text="Members MUST be able to erase their personal data on request, except payment records.",
                clarifications=["which payment fields are kept?"],
            ),
            Requirement(id="FR-008", text="System MUST keep an audit trail of every fine change (who, when, what)."),
        ],
        entities=[
            Entity(name="Member", description="a person who borrows"),
            Entity(name="Item", description="something that can be borrowed"),
            Entity(name="Loan", description="one borrowing of one item"),
            Entity(name="Fine", description="money owed for a late return"),
        ],
        success_criteria=[
            SuccessCriterion(
                id="SC-001",
                text="95% of page loads complete in under 400 ms at 1,500 concurrent members.",
                metrics=[
                    Metric(kind=MetricKind.LATENCY, value=400, unit="ms", text="under 400 ms", percentile=95,
                           source="SC-001"),
                    Metric(kind=MetricKind.CONCURRENCY, value=1500, unit="count", text="1,500 concurrent members",
                           source="SC-001"),
                ],
            ),
            SuccessCriterion(
                id="SC-002",
                text="Availability of 99.5% during opening hours.",
                metrics=[Metric(kind=MetricKind.AVAILABILITY, value=99.5, unit="%", text="99.5%", source="SC-002")],
            ),
            SuccessCriterion(id="SC-003", text="No fine is charged twice, even when the payment provider fails."),
        ],
        edge_cases=["The publisher's catalogue system is down during the nightly sync.",
                    "Two librarians record the same return at the same moment."],
    )


def constitution(*, test_first: bool = True, language_rule: bool = True) -> Constitution:
    principles = []
    if language_rule:
        principles.append(Principle(number="I", name="Python services",
                                    text="Services are written in Python 3.12 with FastAPI."))
    if test_first:
        principles.append(Principle(number="II", name="Test-first (NON-NEGOTIABLE)",
                                    text="Every change starts with a failing test.", non_negotiable=True))
    principles.append(Principle(number="III", name="Observability",
                                text="Structured JSON logs and OpenTelemetry traces for every service."))
    return Constitution(path=".specify/memory/constitution.md", principles=principles,
                        sections={"Security Requirements": "Every endpoint is authenticated."})


def python_stack() -> Stack:
    return Stack(
        languages=["Python 3.12"],
        frameworks=["FastAPI"],
        databases=["PostgreSQL"],
        test_tools=["pytest"],
        dependencies=[
            Dependency(name="fastapi", version="0.115.2", source="pyproject.toml"),
            Dependency(name="alembic", version=None, source="pyproject.toml"),
        ],
        containerised=True,
        manifests=["pyproject.toml", "docker-compose.yml"],
    )


def context(
    *, stack: Stack | None = None, test_first: bool = True, language_rule: bool = True, with_constitution: bool = True,
    the_spec: Spec | None = None,
) -> PlanningContext:
    return PlanningContext(
        spec=the_spec or spec(),
        spec_source="specs/007-item-loans-fines/spec.md",
        feature=Feature(number="007", short_name="item-loans-fines", branch="007-item-loans-fines",
                        directory="specs/007-item-loans-fines"),
        constitution=constitution(test_first=test_first, language_rule=language_rule) if with_constitution else None,
        stack=stack if stack is not None else python_stack(),
    )


def _option(key: str, title: str, traits: list[str], reversibility: Reversibility = Reversibility.MEDIUM) -> Option:
    return Option(key=key, title=title, summary=f"{title}.", reversibility=reversibility, traits=traits)


def _decision(
    id: str, topic: str, category: Category, title: str, options: list[Option], *, evidence: list[str] = (),
    status: DecisionStatus = DecisionStatus.DECIDED, chosen: str = "A",
) -> TechnicalDecision:
    outcome = None
    if status in (DecisionStatus.DECIDED, DecisionStatus.PROVISIONAL):
        outcome = Outcome(option=chosen, rationale="votes" if status is DecisionStatus.DECIDED else "no votes",
                          decided_by=["maintainer"] if status is DecisionStatus.DECIDED else [],
                          decided_at=WHEN, provisional=status is DecisionStatus.PROVISIONAL)
    return TechnicalDecision(
        id=id, topic=topic, category=category, title=title, context=f"{title} matters here.",
        evidence=[Evidence(source=s, quote=f"quote from {s}") for s in evidence],
        question=f"{title}?", options=options, recommendation="A", recommendation_reasoning="most reversible",
        impact=Impact.HIGH, impact_on_implementation="Changes the components that carry it.",
        reversibility=options[0].reversibility, review_trigger="after the first month in production",
        status=status, outcome=outcome,
    )


def decisions(*, realtime_provisional: bool = True) -> list[TechnicalDecision]:
    return [
        _decision(
            "TD001", "realtime-transport", Category.ARCHITECTURE, "Real-time delivery of updates to the browser",
            [_option("A", "Server-Sent Events", ["long-lived-connections", "one-way-push"], Reversibility.EASY),
             _option("B", "WebSockets", ["long-lived-connections", "two-way-messaging"])],
            evidence=["FR-005", "US4"],
            status=DecisionStatus.PROVISIONAL if realtime_provisional else DecisionStatus.DECIDED,
        ),
        _decision(
            "TD002", "background-processing", Category.ARCHITECTURE, "How work outside a request runs",
            [_option("A", "Job table in the primary database", ["uses-primary-database", "long-running-workers"],
                     Reversibility.EASY),
             _option("B", "Message broker with worker processes", ["extra-infrastructure", "long-running-workers"])],
            evidence=["FR-004"],
        ),
        _decision(
            "TD003", "api-style", Category.INTEGRATION, "API style for the web client",
            [_option("A", "REST with OpenAPI", ["rest-api"]), _option("B", "GraphQL", ["graphql-api"])],
            evidence=["US1"],
        ),
        _decision(
            "TD004", "identity", Category.SECURITY, "How members sign in",
            [_option("A", "OIDC with the council's identity provider", ["oidc"]),
             _option("B", "Local accounts with passwords", ["passwords"])],
            evidence=["FR-006"],
        ),
    ]


def data_model() -> DataModel:
    def pk() -> EntityField:
        return EntityField(name="id", type="uuid", sql_type="uuid", primary_key=True)

    return DataModel(entities=[
        EntityModel(name="Member", table="members", fields=[
            pk(), EntityField(name="email", type="email", sql_type="varchar(255)", unique=True, personal_data=True)],
            personal_data=True, requirements=["FR-007"]),
        EntityModel(name="Item", table="items", fields=[pk(), EntityField(name="title", type="string",
                                                                           sql_type="varchar(255)")]),
        EntityModel(
            name="Loan", table="loans",
            fields=[pk(),
                    EntityField(name="member_id", type="reference", sql_type="uuid", references="Member"),
                    EntityField(name="item_id", type="reference", sql_type="uuid", references="Item"),
                    EntityField(name="status", type="enum", sql_type="varchar(20)", enum_values=["Active", "Returned"])],
            indexes=[Index(name="loans_member_idx", columns=["member_id"])],
            state_machine=StateMachine(field="status", states=["Active", "Returned"], initial="Active",
                                       terminal=["Returned"],
                                       transitions=[StateTransition(source="Active", target="Returned",
                                                                    trigger="librarian records the return")]),
        ),
        EntityModel(name="Fine", table="fines", fields=[
            pk(), EntityField(name="loan_id", type="reference", sql_type="uuid", references="Loan"),
            EntityField(name="amount", type="money", sql_type="numeric(12,2)", validation=["positive"])]),
    ])


def contracts() -> Contracts:
    return Contracts(
        kinds=[InterfaceKind.HTTP, InterfaceKind.EVENTS],
        operations=[
            Operation(operation_id="createLoan", method="post", path="/loans", summary="Borrow an item",
                      story="US1", requirements=["FR-001", "FR-002"], entity="Loan", success_status=201,
                      error_statuses=[409, 422]),
            Operation(operation_id="listLoans", method="get", path="/loans", summary="List the member's loans",
                      story="US1", requirements=["FR-001"], entity="Loan"),
            Operation(operation_id="returnLoan", method="post", path="/loans/{loanId}/return",
                      summary="Record a return", story="US2", requirements=["FR-003"], entity="Loan"),
            Operation(operation_id="payFine", method="post", path="/fines/{fineId}/pay", summary="Pay a fine",
                      story="US2", requirements=["FR-003"], entity="Fine"),
        ],
        events=[EventContract(name="item.availability_changed", summary="An item became available or not",
                              entity="Item", channel="/events/items", requirements=["FR-005"])],
        files=[ContractFile(path="contracts/openapi.yaml", kind="openapi", content="openapi: 3.1.0\n")],
        error_codes={401: "unauthenticated", 403: "forbidden", 409: "conflict", 422: "invalid"},
    )


def task_plan(ctx: PlanningContext | None = None, tds: list[TechnicalDecision] | None = None,
              model: DataModel | None = None, interfaces: Contracts | None = None) -> tuple[TaskPlan, ProjectLayout]:
    ctx = ctx or context()
    tds = decisions() if tds is None else tds
    interfaces = interfaces or contracts()
    layout = project_layout(ctx, tds, has_http=InterfaceKind.HTTP in interfaces.kinds)
    return build_tasks(ctx, Analysis(decisions=tds), model or data_model(), interfaces, layout), layout


def plan(ctx: PlanningContext | None = None, tds: list[TechnicalDecision] | None = None, team_size: int = 2) -> Plan:
    ctx = ctx or context()
    tds = decisions() if tds is None else tds
    tasks, layout = task_plan(ctx, tds)
    return Plan(
        context=ctx, analysis=Analysis(decisions=tds), data_model=data_model(), contracts=contracts(),
        layout=layout, tasks=tasks, milestones=milestones(tasks, team_size), generated_at=WHEN,
        planbot_version="0.0.test", team_size=team_size,
    )
