"""Two hand-built plans for the research/quickstart/performance/security/testing artifacts:

- `web_plan()`: a web application with personal data, files, money, a state machine, realtime
  updates over SSE, and an export to an external system's REST API; some decisions provisional.
- `cli_plan()`: a Go command-line tool with no HTTP interface and no personal data.
"""

from __future__ import annotations

from datetime import UTC, datetime

from builders import (assemble_plan, context_around, entity_field, fastapi_stack, id_field, metric, openapi_file,
                      outcome, scenario, service_layout, technical_decision)
from builders import constitution as make_constitution

from bot.planning.analysis import Analysis, BusinessQuestion
from bot.planning.constitution import Principle
from bot.planning.contracts import ContractFile, Contracts, EventContract, InterfaceKind, Operation
from bot.planning.datamodel import DataModel, EntityModel, Index, StateMachine, StateTransition
from bot.planning.decisions import Category, Option, Reversibility, SettledDecision, TechnicalDecision
from bot.planning.layout import ProjectLayout
from bot.planning.plan import Plan
from bot.planning.risks import Risk
from bot.planning.spec import (AcceptanceScenario, Clarification, Entity, MetricKind, Requirement, Spec,
                               SuccessCriterion, UserStory)
from bot.planning.stack import Stack

WHEN = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def decision(
    id: str, category: Category, title: str, options: list[tuple[str, str, list[str], list[str]]], *,
    recommended: str = "A", chosen: str | None = None, provisional: bool = False, topic: str = "",
    evidence: tuple[tuple[str, str], ...] = (),
) -> TechnicalDecision:
    opts = [
        Option(key=key, title=title_, summary=f"{title_} for this feature.", pros=pros, cons=cons,
               cost_impact="moderate", reversibility=Reversibility.MEDIUM)
        for key, title_, pros, cons in options
    ]
    result = None
    if provisional:
        result = outcome(recommended, "no votes before the deadline", WHEN, provisional=True)
    elif chosen:
        result = outcome(chosen, "voted by the team", WHEN, by=["lead"])
    return technical_decision(
        id, topic or title.lower().replace(" ", "-"), category, title, opts,
        context=f"{title} is needed.", evidence=evidence, question=f"Which {title.lower()}?",
        recommendation=recommended, reasoning=f"Option {recommended} is the most reversible workable choice.",
        impact_on_implementation="Shapes several components.", review_trigger="after the pilot", result=result,
    )


def web_plan() -> Plan:
    spec = Spec(
        title="Volunteer shift scheduling",
        format="spec-kit",
        summary="Volunteers sign up for shifts; coordinators confirm them; hours go to the payroll system.",
        stories=[
            UserStory(
                id="US1", title="Sign up for a shift", priority=1,
                description="A volunteer picks an open shift and signs up, attaching an identity document.",
                independent_test="Sign up for one shift and see it as Requested.",
                scenarios=[
                    scenario("an open shift", "the volunteer signs up", "the signup is Requested and the coordinator sees it",
                             text="Given an open shift, When the volunteer signs up, Then the signup is Requested"),
                    scenario("a full shift", "the volunteer signs up", "the signup is refused",
                             text="Given a full shift, When the volunteer signs up, Then it is refused"),
                ],
            ),
            UserStory(
                id="US2", title="Confirm signups live", priority=2,
                description="A coordinator sees signups for their own shifts appear without reloading and confirms them.",
                scenarios=[AcceptanceScenario(text="Given a requested signup, When the coordinator confirms, Then the volunteer is notified")],
            ),
            UserStory(id="US3", title="Export hours", priority=3,
                      description="Finance exports confirmed hours to the payroll system nightly."),
        ],
        requirements=[
            Requirement(id="FR-001", text="System MUST let volunteers sign up for open shifts."),
            Requirement(id="FR-002", text="System MUST store identity documents up to 10 MB each and keep them for 2 years.",
                        metrics=[metric(MetricKind.SIZE, 10_000_000, "B", "10 MB each", "FR-002"),
                                 metric(MetricKind.RETENTION, 730, "days", "2 years", "FR-002")]),
            Requirement(id="FR-003", text="Coordinators MUST only see signups for their own shifts."),
            Requirement(id="FR-004", text="System MUST show new signups to coordinators in real time."),
            Requirement(id="FR-005", text="System MUST export confirmed hours to the payroll system's REST API exactly once per signup."),
            Requirement(id="FR-006", text="System MUST keep an audit trail of every status change."),
            Requirement(id="FR-007", text="System MUST authenticate users through the organisation's single sign-on (OIDC)."),
            Requirement(id="FR-008", text="System MUST notify volunteers by email when a signup is confirmed."),
            Requirement(id="FR-009", text="Volunteers MUST be able to delete their personal data on request."),
        ],
        entities=[Entity(name="Volunteer"), Entity(name="Shift"), Entity(name="Signup")],
        success_criteria=[
            SuccessCriterion(id="SC-001", text="95% of page loads complete in under 400 ms at 1,500 concurrent users; there are 25,000 volunteers.",
                             metrics=[metric(MetricKind.LATENCY, 400, "ms", "under 400 ms", "SC-001", percentile=95),
                                      metric(MetricKind.CONCURRENCY, 1500, "count", "1,500 concurrent users", "SC-001"),
                                      metric(MetricKind.POPULATION, 25000, "count", "25,000 volunteers", "SC-001")]),
            SuccessCriterion(id="SC-002", text="New signups appear on the coordinator's screen within 2 seconds.",
                             metrics=[metric(MetricKind.LATENCY, 2000, "ms", "within 2 seconds", "SC-002")]),
            SuccessCriterion(id="SC-003", text="Availability of 99.9% during the volunteering season.",
                             metrics=[metric(MetricKind.AVAILABILITY, 99.9, "%", "99.9%", "SC-003")]),
        ],
        edge_cases=["Some office proxies cut idle connections after 45 seconds."],
        assumptions=["Volunteers live in the EU."],
    )
    constitution = make_constitution(
        [
            Principle(number="I", name="Python services", text="Services are written in Python 3.12 with FastAPI."),
            Principle(number="II", name="PostgreSQL is the system of record", text="Business data lives in PostgreSQL 16."),
            Principle(number="III", name="Test-first", text="Every change starts with a failing test. Contract tests guard every public API.", non_negotiable=True),
            Principle(number="IV", name="Observability", text="Structured JSON logs and Prometheus metrics for every service."),
        ],
        {"Security Requirements": "Personal data is encrypted at rest; secrets live in the vault."},
    )
    stack = fastapi_stack(("fastapi", "0.115.0"), ("alembic", None), ("pytest", "8.3.0"))
    decisions = [
        decision("TD001", Category.INTEGRATION, "Payroll export delivery",
                 [("A", "Transactional outbox with idempotent export", ["exactly once"], ["an extra table"]),
                  ("B", "Direct call in the request", ["simple"], ["lost exports on failure"])],
                 provisional=True, evidence=[("FR-005", "export confirmed hours ... exactly once")]),
        decision("TD002", Category.TECHNOLOGY, "Realtime transport",
                 [("A", "Server-Sent Events", ["works through proxies"], ["one direction"]),
                  ("B", "WebSocket", ["two-way"], ["proxy trouble"]),
                  ("C", "Short polling", ["trivial"], ["load"])],
                 chosen="A", evidence=[("FR-004", "in real time")]),
        decision("TD003", Category.SECURITY, "Authentication",
                 [("A", "OIDC with the organisation's identity provider", ["single sign-on"], ["IdP dependency"]),
                  ("B", "Local passwords", ["no dependency"], ["password storage"])],
                 chosen="A", evidence=[("FR-007", "single sign-on (OIDC)")]),
        decision("TD004", Category.DATA, "Document storage",
                 [("A", "S3-compatible object storage", ["cheap"], ["another service"]),
                  ("B", "Database large objects", ["one store"], ["bloated backups"])],
                 evidence=[("FR-002", "identity documents up to 10 MB")]),
        decision("TD005", Category.PERFORMANCE, "Caching of shift lists",
                 [("A", "Redis cache-aside for open shift lists", ["fast reads"], ["invalidation"]),
                  ("B", "No cache", ["simple"], ["database load"])],
                 provisional=True),
        decision("TD006", Category.SCALING, "Scaling of the web tier",
                 [("A", "Horizontal stateless instances behind a load balancer", ["elastic"], ["shared state needed"]),
                  ("B", "One large instance", ["simple"], ["single point of failure"])],
                 chosen="A"),
    ]
    analysis = Analysis(
        decisions=decisions,
        settled=[SettledDecision(topic="datastore", category=Category.DATA, title="Datastore", decision="PostgreSQL 16",
                                 source="Constitution II. PostgreSQL is the system of record")],
        business_questions=[BusinessQuestion(question="Which hours count as volunteering?", location="FR-005")],
    )
    volunteer = EntityModel(
        name="Volunteer", table="volunteers", personal_data=True, requirements=["FR-001", "FR-009"],
        fields=[id_field(),
                entity_field("full_name", "string", "varchar(200)", personal_data=True),
                entity_field("email", "email", "varchar(320)", personal_data=True, unique=True, validation=["valid email address"]),
                entity_field("phone", "string", "varchar(40)", personal_data=True, required=False)],
        caching="not cached: personal data is read from PostgreSQL", retention="deleted on request, except exported hours",
    )
    shift = EntityModel(
        name="Shift", table="shifts", requirements=["FR-001"],
        fields=[id_field(),
                entity_field("coordinator_id", "reference", "uuid", references="Volunteer"),
                entity_field("starts_at", "datetime", "timestamptz", indexed=True),
                entity_field("stipend", "money", "numeric(12,2)")],
        indexes=[Index(name="ix_shifts_starts_at", columns=["starts_at"], reason="open shifts by date")],
        caching="cache-aside in Redis for open shift lists, 60 s TTL",
    )
    signup = EntityModel(
        name="Signup", table="signups", requirements=["FR-001", "FR-003", "FR-006"],
        fields=[id_field(),
                entity_field("shift_id", "reference", "uuid", references="Shift"),
                entity_field("volunteer_id", "reference", "uuid", references="Volunteer"),
                entity_field("status", "enum", "varchar(20)", enum_values=["Requested", "Confirmed", "Cancelled"]),
                entity_field("identity_document", "file", "varchar(500)")],
        indexes=[Index(name="ix_signups_volunteer_id", columns=["volunteer_id"], reason="a volunteer's signups")],
        state_machine=StateMachine(field="status", states=["Requested", "Confirmed", "Cancelled"], initial="Requested",
                                   terminal=["Cancelled"],
                                   transitions=[StateTransition(source="Requested", target="Confirmed", trigger="coordinator confirms"),
                                                StateTransition(source="Requested", target="Cancelled", trigger="volunteer cancels")]),
        retention="2 years",
    )
    contracts = Contracts(
        kinds=[InterfaceKind.HTTP, InterfaceKind.EVENTS],
        operations=[
            Operation(operation_id="createSignup", method="post", path="/shifts/{shiftId}/signups", summary="Sign up",
                      story="US1", requirements=["FR-001"], entity="Signup", request_schema="SignupCreate", success_status=201),
            Operation(operation_id="listShiftSignups", method="get", path="/shifts/{shiftId}/signups", summary="List signups",
                      story="US2", requirements=["FR-003"], entity="Signup"),
            Operation(operation_id="confirmSignup", method="post", path="/signups/{signupId}/confirm", summary="Confirm",
                      story="US2", requirements=["FR-003"], entity="Signup"),
            Operation(operation_id="listShifts", method="get", path="/shifts", summary="Open shifts", story="US1", entity="Shift"),
        ],
        events=[EventContract(name="signup.created", summary="A new signup", entity="Signup", channel="/events/signups",
                              requirements=["FR-004"])],
        files=[openapi_file(), ContractFile(path="contracts/events.yaml", kind="events", content="asyncapi: 3.0.0\n")],
    )
    layout = service_layout("backend/src/volunteer_shifts", project_type="web application (frontend + backend)",
                            test_root="backend/tests", jobs_dir="backend/src/volunteer_shifts/jobs", frontend_dir="frontend/src")
    risks = [
        Risk(title="Identity documents leak", description="Documents hold personal data.", likelihood="Medium",
             impact="High", mitigation="Private bucket and signed URLs.", area="security", sources=["FR-002"], escalate=True),
        Risk(title="Payroll API outage", description="Nightly export fails.", likelihood="Medium", impact="Medium",
             mitigation="Outbox with retries.", area="integration", sources=["FR-005", "TD001"]),
    ]
    context = context_around(
        spec, "007-volunteer-shift-scheduling", constitution=constitution, stack=stack, private=True,
        clarifications=[Clarification(id="C001", question="Which payroll system?",
                                      answer="PayFlow, through its REST API with OAuth2 client credentials.")],
    )
    return assemble_plan(context, analysis, layout=layout, generated_at=WHEN,
                         data_model=DataModel(entities=[volunteer, shift, signup]), contracts=contracts, risks=risks)


def cli_plan() -> Plan:
    spec = Spec(
        title="Lint CSV exports",
        format="free-form",
        summary="A command that checks CSV files against column rules before they are published.",
        stories=[UserStory(id="US1", title="Lint a file", priority=1,
                           description="A data engineer runs the linter on a CSV file and sees the rule violations.",
                           scenarios=[AcceptanceScenario(text="Given a file with a bad date, When linted, Then the row is reported")])],
        requirements=[
            Requirement(id="FR-001", text="The tool MUST check every row against the rules in a YAML file."),
            Requirement(id="FR-002", text="The tool MUST lint 100,000 rows in under 2 seconds.",
                        metrics=[metric(MetricKind.LATENCY, 2000, "ms", "under 2 seconds", "FR-002")]),
        ],
    )
    decisions = [
        decision("TD001", Category.TECHNOLOGY, "CSV parsing",
                 [("A", "Streaming parser from the standard library", ["low memory"], ["fewer features"]),
                  ("B", "Load the whole file", ["simple"], ["memory"])], chosen="A"),
        decision("TD002", Category.DEPLOYMENT, "Distribution",
                 [("A", "Single static binary on releases", ["no runtime"], ["per-platform builds"]),
                  ("B", "Container image", ["uniform"], ["needs Docker"])], provisional=True),
    ]
    rule = EntityModel(name="Rule", table="rules",
                       fields=[entity_field("column", "string", "text"), entity_field("pattern", "string", "text")])
    finding = EntityModel(name="Finding", table="findings",
                          fields=[entity_field("row", "integer", "integer"), entity_field("message", "text", "text")])
    contracts = Contracts(kinds=[InterfaceKind.CLI],
                          files=[ContractFile(path="contracts/cli.md", kind="cli", content="# lint-csv\n")])
    layout = ProjectLayout(language="Go", project_type="CLI", source_root="internal/lintcsv", test_root="internal/lintcsv",
                           models_dir="internal/lintcsv/model", services_dir="internal/lintcsv", file_extension=".go")
    stack = Stack(languages=["Go 1.22"], test_tools=["go test"], manifests=["go.mod"])
    context = context_around(spec, "003-lint-csv-exports", spec_source="issue #3", stack=stack)
    return assemble_plan(context, decisions, layout=layout, generated_at=WHEN,
                         data_model=DataModel(entities=[rule, finding]), contracts=contracts)
