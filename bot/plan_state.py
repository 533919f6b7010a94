"""A plan's state on GitHub: kept in Redis for speed and mirrored as hidden JSON in the status
comment, so that a Redis loss rebuilds it from GitHub.

Only what cannot be derived is stored: the analysis is rebuilt from the spec on the branch
(the engine is deterministic), so the state holds phases, ids and outcomes, and stays far
below a comment's size limit.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field, ValidationError
from redis import Redis

from bot.jobs import IssueRef
from bot.planning.decisions import DecisionChoice
from bot.planning.feature import Feature

STATE_TTL_SECONDS = 90 * 24 * 3600  # the status comment keeps it for longer


class PlanPhase(StrEnum):
    INTAKE = "intake"
    NEEDS_DETAIL = "needs-detail"
    ANALYSIS = "analysis"
    BRANCH = "branch"
    VOTING = "voting"
    GENERATION = "generation"
    REVIEW = "review"
    DONE = "done"
    CANCELLED = "cancelled"
    FAILED = "failed"


# The checklist the status comment shows, in order (phases not listed are outcomes, not steps).
CHECKLIST: tuple[tuple[PlanPhase, str], ...] = (
    (PlanPhase.INTAKE, "Read the issue and check the spec has enough to plan from"),
    (PlanPhase.ANALYSIS, "Analyse the spec, the constitution, earlier decisions and the stack"),
    (PlanPhase.BRANCH, "Create the feature branch with spec.md and decisions.md"),
    (PlanPhase.VOTING, "Collect decisions on each technical decision"),
    (PlanPhase.GENERATION, "Generate and validate every artifact, open the pull request"),
    (PlanPhase.REVIEW, "Review the plan pull request"),
)


class PostedDecision(BaseModel):
    decision_id: str
    comment_id: int
    posted_at: datetime
    deadline: datetime


class PlanState(BaseModel):
    issue: IssueRef
    phase: PlanPhase = PlanPhase.INTAKE
    status_comment_id: int | None = None
    feature: Feature | None = None
    started_at: datetime | None = None  # when analysis first ran: the artifacts' generation time
    base_sha: str | None = None  # the default-branch commit the analysis read
    branch_sha: str | None = None  # the commit that holds spec.md and decisions.md
    posted: dict[str, PostedDecision] = Field(default_factory=dict)
    outcomes: dict[str, DecisionChoice] = Field(default_factory=dict)
    failure: str | None = None
    cancelled_from: PlanPhase | None = None  # where a cancelled plan resumes when labelled again
    updated_at: datetime | None = None

    def checklist(self) -> list[tuple[str, str]]:
        """(title, "done" | "current" | "failed" | "todo") for each step of the checklist."""
        order = [phase for phase, _ in CHECKLIST]
        at = self.cancelled_from if self.phase is PlanPhase.CANCELLED and self.cancelled_from else self.phase
        if at is PlanPhase.NEEDS_DETAIL:
            at = PlanPhase.INTAKE
        current = order.index(at) if at in order else (len(order) if at is PlanPhase.DONE else -1)
        rows: list[tuple[str, str]] = []
        for index, (phase, title) in enumerate(CHECKLIST):
            if index < current or self.phase is PlanPhase.DONE:
                state = "done"
            elif index == current:
                state = "failed" if self.failure else "current"
            else:
                state = "todo"
            rows.append((title, state))
        return rows


class StateStore:
    """Plan states in Redis, one key per plan."""

    def __init__(self, redis: Redis, prefix: str = "planbot:plan") -> None:
        self.redis = redis
        self.prefix = prefix

    def key(self, issue: IssueRef) -> str:
        return f"{self.prefix}:{issue.plan_key}"

    def load(self, issue: IssueRef) -> PlanState | None:
        raw = self.redis.get(self.key(issue))
        if raw is None:
            return None
        try:
            return PlanState.model_validate_json(raw)
        except ValidationError:
            return None  # an older shape: rebuilt from the status comment instead

    def save(self, state: PlanState) -> None:
        self.redis.set(self.key(state.issue), state.model_dump_json(), ex=STATE_TTL_SECONDS)

    def delete(self, issue: IssueRef) -> None:
        self.redis.delete(self.key(issue))
