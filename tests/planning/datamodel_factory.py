"""Hand-built specs, contexts, decisions and plans for the data model and contract tests.

Three features from different domains, so that the tests show general behaviour: an approval
workflow with files and money (web), a support desk with a multi-word status list (web, MySQL,
WebSocket), and a command-line tool without entities.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from builders import assemble_plan, context_around, metric, outcome, scenario, service_layout, technical_decision
from builders import constitution as make_constitution

from bot.planning.constitution import Principle
from bot.planning.context import PlanningContext
from bot.planning.contracts import build_contracts
from bot.planning.datamodel import build_data_model
from bot.planning.decisions import Category, Option, TechnicalDecision
from bot.planning.plan import Plan
from bot.planning.spec import (Attribute, Clarification, Entity, MetricKind, OpenQuestion, Requirement, Spec,
                               SuccessCriterion, UserStory)
from bot.planning.stack import Stack

NOW = datetime(2026, 11, 5, 9, 0, tzinfo=UTC)


def attributes(*names: str) -> list[Attribute]:
    return [Attribute(name=n, text=n) for n in names]


def approval_spec() -> Spec:
    """Employees submit reports of costed lines with scanned receipts; managers approve or reject."""
    return Spec(
        title="Expense Reports with Receipt Capture and Approval",
        format="spec-kit",
        summary="Employees submit expense reports with photographed receipts; managers approve or reject them.",
        stories=[
            UserStory(
                id="US1", title="Submit an expense report", priority=1,
                description="An employee creates a report, adds expense lines, attaches a photo or PDF of each "
                            "receipt, and submits the report for approval.",
                scenarios=[
                    scenario("a draft report with at least one line", "the employee submits it",
                             "its status becomes Submitted and the manager is notified"),
                    scenario("a line without a receipt above the receipt threshold", "the employee submits",
                             "submission is refused with the offending line highlighted"),
                ],
            ),
            UserStory(
                id="US2", title="Approve or reject", priority=1,
                description="A manager sees the reports of their direct reports and approves or rejects one with a comment.",
                scenarios=[
                    scenario("a submitted report", "the manager approves it", "its status becomes Approved"),
                    scenario("a submitted report", "the manager rejects it with a comment",
                             "the employee is notified and can edit and resubmit"),
                ],
            ),
            UserStory(id="US3", title="Export to accounting", priority=2,
                      description="Finance exports all approved, not yet exported reports once a day."),
            UserStory(id="US4", title="Live status", priority=3,
                      description="Employees see the status of their reports change without reloading the page."),
        ],
        requirements=[
            Requirement(id="FR-001", text="System MUST let employees create, edit and delete draft expense reports."),
            Requirement(
                id="FR-002", text="System MUST store receipt images and PDFs up to 20 MB each and keep them for 7 years.",
                metrics=[
                    metric(MetricKind.SIZE, 20 * 1024 * 1024, "B", "up to 20 MB each", "FR-002"),
                    metric(MetricKind.RETENTION, 2557, "days", "for 7 years", "FR-002"),
                ],
            ),
            Requirement(id="FR-003", text="System MUST extract merchant, date and amount from receipt images to pre-fill expense lines."),
            Requirement(id="FR-005", text="System MUST let managers approve or reject reports with a comment."),
            Requirement(id="FR-007", text="System MUST export approved reports to the accounting system's REST API nightly, exactly once per report."),
            Requirement(id="FR-008", text="System MUST keep an audit trail of every status change (who, when, what)."),
            Requirement(id="FR-009", text="System MUST support expenses in any ISO 4217 currency."),
            Requirement(id="FR-010", text="System MUST authenticate users through the company's single sign-on (OIDC)."),
            Requirement(id="FR-011", text="System MUST show report status changes to the submitter in real time."),
            Requirement(
                id="FR-012",
                text="Employees MUST be able to delete their personal data on request, except records finance must retain.",
                clarifications=["which fields count as retained financial records?"],
            ),
        ],
        entities=[
            Entity(name="Employee", description="a person who submits reports",
                   attributes=attributes("name", "email", "department", "manager")),
            Entity(name="ExpenseReport", description="a set of expense lines submitted together",
                   attributes=[Attribute(name="title"),
                               Attribute(name="status", values=["Draft", "Submitted", "Approved", "Rejected", "Exported"]),
                               Attribute(name="submitted at"), Attribute(name="approved by")]),
            Entity(name="ExpenseLine", description="one expense",
                   attributes=attributes("date", "merchant", "amount", "currency", "category")),
            Entity(name="Receipt", description="an uploaded image or PDF attached to one expense line",
                   attributes=attributes("file size", "content type", "extracted fields")),
            Entity(name="ApprovalDecision", description="a manager's approval or rejection of a report, with comment and timestamp"),
            Entity(name="ExportBatch", description="one run of the export to accounting",
                   attributes=attributes("started at", "finished at", "reports included", "result")),
        ],
        success_criteria=[
            SuccessCriterion(
                id="SC-002", text="95% of page loads complete in under 300 ms.",
                metrics=[metric(MetricKind.LATENCY, 300, "ms", "under 300 ms", "SC-002", percentile=95)],
            )
        ],
        edge_cases=[
            "A receipt photo is larger than 20 MB or is not an image or PDF.",
            "Two managers act on the same report at the same moment.",
        ],
        assumptions=["Receipts contain personal data and fall under GDPR."],
        clarifications=[Clarification(id="C002", question="Must receipts be kept after an employee leaves?",
                                      answer="Yes, 7 years, for tax audits.")],
        open_questions=[OpenQuestion(question="which fields count as retained financial records?", location="FR-012")],
    )


def helpdesk_spec() -> Spec:
    """Support agents work tickets through a multi-word status list; customers follow them live."""
    return Spec(
        title="Support Desk Live Queue",
        format="free-form",
        summary="Agents see new tickets on their dashboard without refreshing and move them to done.",
        stories=[
            UserStory(
                id="US1", title="Work a ticket", priority=1,
                description="An agent opens a ticket from the queue, starts work on it and resolves it.",
                scenarios=[
                    scenario("an open ticket", "the agent starts work on it", "its status becomes In Progress"),
                    scenario("a ticket in progress", "the agent resolves it", "its status becomes Resolved"),
                ],
            ),
        ],
        requirements=[
            Requirement(id="FR-001", text="New tickets and status changes appear on every open dashboard within 2 s."),
            Requirement(id="FR-002", text="Agents MUST be able to close resolved tickets."),
        ],
        entities=[
            Entity(name="Agent", description="a person who answers tickets",
                   attributes=attributes("display name", "email", "is available")),
            Entity(name="Ticket", description="a customer request handled by one agent",
                   attributes=[Attribute(name="subject"),
                               Attribute(name="status", values=["Open", "In Progress", "Resolved", "Closed"]),
                               Attribute(name="priority", values=["Low", "Normal", "Urgent"]),
                               Attribute(name="assignee")]),
            Entity(name="Comment", description="a message attached to one ticket", attributes=attributes("body", "author")),
        ],
    )


def cli_spec() -> Spec:
    """A command-line tool with no stored entities."""
    return Spec(
        title="Log Compactor",
        format="free-form",
        summary="A command-line tool that compacts rotated log files in a directory.",
        stories=[
            UserStory(id="US1", title="Compact a log directory", priority=1,
                      description="An operator runs `logc compact /var/log/app --dry-run` in a terminal and sees what would be merged."),
        ],
        requirements=[
            Requirement(id="FR-001", text="The CLI MUST compact every rotated file older than a day and print a summary to stdout."),
            Requirement(id="FR-002", text="The command MUST exit with a non-zero exit code when a file cannot be read."),
        ],
    )


def context_for(spec: Spec, *, constitution: bool = True, stack: Stack | None = None, short_name: str = "feature") -> PlanningContext:
    rules = make_constitution(
        [Principle(number="II", name="PostgreSQL is the system of record", text="Persistent business data lives in PostgreSQL 16.")],
        {"Security Requirements": "Personal data is encrypted at rest; every endpoint is authenticated."},
    )
    return context_around(spec, f"004-{short_name}", spec_source="specs/004-feature/spec.md",
                          constitution=rules if constitution else None, stack=stack or Stack())


def decision(
    number: int, topic: str, title: str, traits: Sequence[str], *, category: Category = Category.TECHNOLOGY,
    provisional: bool = False,
) -> TechnicalDecision:
    """A decided (or provisionally defaulted) decision whose option A carries the given traits."""
    return technical_decision(
        f"TD{number:03d}", topic, category, title,
        [Option(key="A", title=title, traits=list(traits)), Option(key="B", title="Something else")],
        question="Which?", review_trigger="after launch", result=outcome("A", "", NOW, provisional=provisional),
    )


def plan_for(context: PlanningContext, decisions: Sequence[TechnicalDecision] = ()) -> Plan:
    data_model = build_data_model(context, decisions)
    contracts = build_contracts(context, data_model, decisions)
    return assemble_plan(context, decisions, layout=service_layout("src/app"), generated_at=NOW,
                         data_model=data_model, contracts=contracts)
