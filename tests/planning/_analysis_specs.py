"""Specs built by hand for the analysis tests (no intake parser involved): one like a spec-kit
feature with a constitution, one like a free-form issue, and a command-line tool."""

from __future__ import annotations

from builders import constitution, context_around, metric

from bot.planning.constitution import Constitution, Principle
from bot.planning.context import PlanningContext
from bot.planning.decision_log import DecisionLog
from bot.planning.spec import (AcceptanceScenario, Attribute, Clarification, Entity, MetricKind, OpenQuestion,
                               Requirement, Spec, SuccessCriterion, UserStory)
from bot.planning.stack import Stack

MB = 1024 * 1024


def approvals_constitution() -> Constitution:
    return constitution(
        [
            Principle(number="I", name="Python services, one language",
                      text="Back-end services are written in Python 3.12 with FastAPI. New languages need an amendment."),
            Principle(number="II", name="PostgreSQL is the system of record",
                      text="Persistent business data lives in PostgreSQL 16. Caches may hold copies; nothing else is authoritative."),
            Principle(number="III", name="Test-first", text="Every change starts with a failing test. Contract tests guard every public API.",
                      non_negotiable=True),
            Principle(number="IV", name="Observability",
                      text="Structured JSON logs, OpenTelemetry traces and Prometheus metrics for every service."),
            Principle(number="V", name="Simplicity",
                      text="A modular monolith until a measured need says otherwise. No new infrastructure without a decision record."),
        ],
        {"Security Requirements": "Personal data is encrypted at rest; secrets live in the vault; every endpoint is authenticated."},
    )


def approvals_spec() -> Spec:
    """A spec-kit spec shaped like a document-approval feature with uploads, exports and live status."""
    return Spec(
        title="Claims with Document Capture and Approval",
        format="spec-kit",
        stories=[
            UserStory(id="US1", title="Submit a claim", priority=1,
                      description="A member creates a claim, adds lines, attaches a photo or PDF of each document, and submits it.",
                      scenarios=[AcceptanceScenario(text="Given a draft claim with one line, When the member submits it, Then its status becomes Submitted and the approver is notified.")]),
            UserStory(id="US2", title="Approve or reject", priority=1,
                      description="An approver sees the claims of their direct reports and approves or rejects each with a comment."),
            UserStory(id="US3", title="Export to the ledger", priority=2,
                      description="Finance exports all approved claims to the ledger system once a day, and on demand."),
            UserStory(id="US4", title="Live status", priority=3,
                      description="Members see the status of their claims change without reloading the page."),
        ],
        requirements=[
            Requirement(id="FR-001", text="System MUST let members create, edit and delete draft claims."),
            Requirement(id="FR-002", text="System MUST store document images and PDFs up to 20 MB each and keep them for 7 years.",
                        metrics=[metric(MetricKind.SIZE, 20 * MB, "B", "up to 20 MB", "FR-002"),
                                 metric(MetricKind.RETENTION, 7 * 365, "days", "for 7 years", "FR-002")]),
            Requirement(id="FR-003", text="System MUST extract issuer, date and amount from document images to pre-fill claim lines."),
            Requirement(id="FR-004", text="System MUST route a submitted claim to the submitter's manager from the HR directory."),
            Requirement(id="FR-005", text="System MUST let approvers approve or reject claims with a comment."),
            Requirement(id="FR-006", text="System MUST notify members and approvers by email and Slack on every status change."),
            Requirement(id="FR-007", text="System MUST export approved claims to the ledger system's REST API nightly and on demand, exactly once per claim."),
            Requirement(id="FR-008", text="System MUST keep an audit trail of every status change (who, when, what)."),
            Requirement(id="FR-009", text="System MUST support amounts in any ISO 4217 currency and convert to the company currency at the rate of the claim date."),
            Requirement(id="FR-010", text="System MUST authenticate users through the company's single sign-on (OIDC)."),
            Requirement(id="FR-011", text="System MUST show claim status changes to the submitter in real time."),
            Requirement(id="FR-012", text="Members MUST be able to delete their personal data on request, except records finance must retain by law [NEEDS CLARIFICATION: which fields count as retained financial records?].",
                        clarifications=["which fields count as retained financial records?"]),
        ],
        entities=[
            Entity(name="Member", attributes=[Attribute(name="name"), Attribute(name="manager")]),
            Entity(name="Claim", attributes=[Attribute(name="status", values=["Draft", "Submitted", "Approved", "Rejected", "Exported"])]),
            Entity(name="ClaimLine"),
            Entity(name="Document"),
            Entity(name="ExportBatch"),
        ],
        success_criteria=[
            SuccessCriterion(id="SC-001", text="A member submits a three-line claim with documents in under 3 minutes.",
                             metrics=[metric(MetricKind.DURATION, 180_000, "ms", "in under 3 minutes", "SC-001")]),
            SuccessCriterion(id="SC-002", text="95% of page loads complete in under 300 ms at 2,000 concurrent users; the company has 40,000 employees.",
                             metrics=[metric(MetricKind.LATENCY, 300, "ms", "under 300 ms", "SC-002", percentile=95),
                                      metric(MetricKind.CONCURRENCY, 2000, "count", "2,000 concurrent users", "SC-002"),
                                      metric(MetricKind.POPULATION, 40_000, "count", "40,000 employees", "SC-002")]),
            SuccessCriterion(id="SC-003", text="No approved claim is exported twice or lost, even when the ledger system fails mid-export."),
            SuccessCriterion(id="SC-004", text="Document data extraction pre-fills the amount correctly for 90% of documents.",
                             metrics=[metric(MetricKind.PERCENTAGE, 90, "%", "90% of documents", "SC-004")]),
            SuccessCriterion(id="SC-005", text="Availability of 99.9% during business hours in the EU and US.",
                             metrics=[metric(MetricKind.AVAILABILITY, 99.9, "%", "99.9%", "SC-005")]),
        ],
        edge_cases=[
            "A document photo is larger than 20 MB or is not an image or PDF.",
            "A manager leaves the company while claims wait in their queue.",
            "The ledger system is down during the nightly export.",
            "Two approvers act on the same claim at the same moment.",
        ],
        assumptions=[
            "The HR directory exposes managers through SCIM.",
            "Documents contain personal data and fall under GDPR.",
        ],
        open_questions=[
            OpenQuestion(question="which fields count as retained financial records?", location="FR-012",
                         sentence="Members MUST be able to delete their personal data on request, except records finance must retain by law."),
        ],
    )


def approvals_context(**changes: object) -> PlanningContext:
    defaults: dict[str, object] = {
        "constitution": approvals_constitution(),
        "clarifications": [
            Clarification(id="C001", question="Which ledger system?",
                          answer="LedgerCo, through its REST API with OAuth2 client credentials.", category="integration"),
            Clarification(id="C002", question="Must documents be kept after a member leaves?",
                          answer="Yes, 7 years, for tax audits.", category="data"),
        ],
    }
    return context_around(approvals_spec(), "004-approvals", **(defaults | changes))


def realtime_spec() -> Spec:
    """A free-form issue asking for live dashboard updates behind restrictive proxies."""
    return Spec(
        title="Live ticket updates on the support dashboard",
        format="free-form",
        summary="Our support dashboard makes agents refresh the page to see new tickets.",
        requirements=[
            Requirement(id="FR-001", id_assigned=True,
                        text="New tickets and status changes appear on every open dashboard within 2 s.",
                        metrics=[metric(MetricKind.LATENCY, 2000, "ms", "within 2 s", "FR-001")]),
            Requirement(id="FR-002", id_assigned=True, text="Agents can mute sounds and choose which queues notify them."),
            Requirement(id="FR-003", id_assigned=True, text="Works for up to 800 agents online at once across 3 regions.",
                        metrics=[metric(MetricKind.CONCURRENCY, 800, "count", "800 agents online at once", "FR-003"),
                                 metric(MetricKind.REGIONS, 3, "count", "across 3 regions", "FR-003")]),
            Requirement(id="FR-004", id_assigned=True,
                        text="Must keep working on the corporate network, where some proxies cut idle connections after 60 s."),
            Requirement(id="FR-005", id_assigned=True,
                        text="Notifications must not expose ticket contents to agents without access to that queue."),
        ],
        out_of_scope=["Mobile push notifications."],
    )


def realtime_context(**changes: object) -> PlanningContext:
    return context_around(realtime_spec(), "007-live-tickets", **({"spec_source": "issue #12"} | changes))


def cli_spec() -> Spec:
    """A command-line tool: no pages, no users online, no endpoints."""
    return Spec(
        title="Lint configuration files from the command line",
        format="spec-kit",
        stories=[UserStory(id="US1", title="Lint a folder", priority=1,
                           description="A developer runs the command on a folder and sees every invalid file with its line number.")],
        requirements=[
            Requirement(id="FR-001", text="The command MUST read YAML and TOML files from the given folder."),
            Requirement(id="FR-002", text="The command MUST exit with status 1 when any file is invalid."),
            Requirement(id="FR-003", text="The command MUST print results as plain text or JSON, chosen with a flag."),
        ],
        success_criteria=[SuccessCriterion(id="SC-001", text="Linting 1,000 files takes under 5 seconds on a laptop.",
                                           metrics=[metric(MetricKind.DURATION, 5000, "ms", "under 5 seconds", "SC-001")])],
        edge_cases=["A file is not valid UTF-8."],
    )


def cli_context(**changes: object) -> PlanningContext:
    return context_around(cli_spec(), "009-lint", **changes)


def empty_log() -> DecisionLog:
    return DecisionLog()


def stack_with(**fields: object) -> Stack:
    return Stack(**fields)
