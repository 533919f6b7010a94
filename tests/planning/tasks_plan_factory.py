"""A hand-built planning context for the task, layout and timeline tests: a lending library
whose members borrow items, pay fines, get a nightly sync with a publisher's catalogue system
and watch availability live. Nothing here comes from planbot's own samples."""

from __future__ import annotations

from datetime import UTC, datetime

from builders import (assemble_plan, context_around, entity_field, fastapi_stack, id_field, metric, openapi_file,
                      outcome, scenario, technical_decision)
from builders import constitution as make_constitution

from bot.planning.analysis import Analysis
from bot.planning.constitution import Constitution, Principle
from bot.planning.context import PlanningContext
from bot.planning.contracts import Contracts, EventContract, InterfaceKind, Operation
from bot.planning.datamodel import DataModel, EntityModel, Index, StateMachine, StateTransition
from bot.planning.decisions import Category, DecisionStatus, Option, Reversibility, TechnicalDecision
from bot.planning.layout import ProjectLayout, project_layout
from bot.planning.plan import Plan
from bot.planning.spec import Entity, MetricKind, Requirement, Spec, SuccessCriterion, UserStory
from bot.planning.stack import Stack
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
                    scenario("an available item", "the member borrows it",
                             "a loan is created and the item is no longer available",
                             text="Given an available item, When the member borrows it, Then a loan is "
                                  "created and the item is no longer available"),
                    scenario("a member with unpaid fines", "the member borrows", "the loan is refused",
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
                    scenario("an overdue loan", "the librarian records the return", "a fine is charged",
                             text="Given an overdue loan, When the librarian records the return, Then a fine is charged"),
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
                    metric(MetricKind.LATENCY, 400, "ms", "under 400 ms", "SC-001", percentile=95),
                    metric(MetricKind.CONCURRENCY, 1500, "count", "1,500 concurrent members", "SC-001"),
                ],
            ),
            SuccessCriterion(
                id="SC-002",
                text="Availability of 99.5% during opening hours.",
                metrics=[metric(MetricKind.AVAILABILITY, 99.5, "%", "99.5%", "SC-002")],
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
    return make_constitution(principles, {"Security Requirements": "Every endpoint is authenticated."})


def python_stack() -> Stack:
    return fastapi_stack(("fastapi", "0.115.2"), ("alembic", None), containerised=True,
                         manifests=["pyproject.toml", "docker-compose.yml"])


def context(
    *, stack: Stack | None = None, test_first: bool = True, language_rule: bool = True, with_constitution: bool = True,
    the_spec: Spec | None = None,
) -> PlanningContext:
    return context_around(
        the_spec or spec(), "007-item-loans-fines",
        constitution=constitution(test_first=test_first, language_rule=language_rule) if with_constitution else None,
        stack=stack if stack is not None else python_stack(),
    )


def _option(key: str, title: str, traits: list[str], reversibility: Reversibility = Reversibility.MEDIUM) -> Option:
    return Option(key=key, title=title, summary=f"{title}.", reversibility=reversibility, traits=traits)


def _decision(
    id: str, topic: str, category: Category, title: str, options: list[Option], *, evidence: list[str] = (),
    status: DecisionStatus = DecisionStatus.DECIDED, chosen: str = "A",
) -> TechnicalDecision:
    result = None
    if status is DecisionStatus.DECIDED:
        result = outcome(chosen, "votes", WHEN, by=["maintainer"])
    elif status is DecisionStatus.PROVISIONAL:
        result = outcome(chosen, "no votes", WHEN, provisional=True)
    return technical_decision(
        id, topic, category, title, options, context=f"{title} matters here.",
        evidence=[(source, f"quote from {source}") for source in evidence], question=f"{title}?",
        reasoning="most reversible", impact_on_implementation="Changes the components that carry it.",
        reversibility=options[0].reversibility, review_trigger="after the first month in production", result=result,
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
    return DataModel(entities=[
        EntityModel(name="Member", table="members", fields=[
            id_field(), entity_field("email", "email", "varchar(255)", unique=True, personal_data=True)],
            personal_data=True, requirements=["FR-007"]),
        EntityModel(name="Item", table="items", fields=[id_field(), entity_field("title", "string", "varchar(255)")]),
        EntityModel(
            name="Loan", table="loans",
            fields=[id_field(),
                    entity_field("member_id", "reference", "uuid", references="Member"),
                    entity_field("item_id", "reference", "uuid", references="Item"),
                    entity_field("status", "enum", "varchar(20)", enum_values=["Active", "Returned"])],
            indexes=[Index(name="loans_member_idx", columns=["member_id"])],
            state_machine=StateMachine(field="status", states=["Active", "Returned"], initial="Active",
                                       terminal=["Returned"],
                                       transitions=[StateTransition(source="Active", target="Returned",
                                                                    trigger="librarian records the return")]),
        ),
        EntityModel(name="Fine", table="fines", fields=[
            id_field(), entity_field("loan_id", "reference", "uuid", references="Loan"),
            entity_field("amount", "money", "numeric(12,2)", validation=["positive"])]),
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
        files=[openapi_file()],
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
    return assemble_plan(
        ctx, tds, layout=layout, generated_at=WHEN, tasks=tasks, planbot_version="0.0.test",
        data_model=data_model(), contracts=contracts(), milestones=milestones(tasks, team_size), team_size=team_size,
    )
