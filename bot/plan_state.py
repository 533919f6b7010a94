"""A plan's state on GitHub: kept in Redis for speed and mirrored as hidden JSON in the status
comment, so that a Redis loss rebuilds it from GitHub.

Only what cannot be derived is stored: the analysis is rebuilt from the spec on the branch
(the engine is deterministic), so the state holds phases, ids and outcomes, and stays far
below a comment's size limit.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field, ValidationError
from redis import Redis

from bot.github.comments import CommentSnapshot
from bot.github.permissions import CollaboratorPermission
from bot.github.repo_config import RepoConfig
from bot.jobs import IssueRef
from bot.planning.decisions import DecisionChoice
from bot.planning.feature import Feature
from bot.tally import Tally

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
    REJECTED = "rejected"  # the plan pull request was closed without merging
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
    options: list[str] = Field(default_factory=list)  # the option keys, to count votes without the analysis
    recommendation: str = ""


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
    limitations: list[str] = Field(default_factory=list)  # what the model or a tool could not do
    private: bool = False  # the repository was private when the plan started: no spec text leaves for search
    # voting
    config: RepoConfig | None = None  # the repository's settings as voting started: later edits change no open vote
    tallies: dict[str, Tally] = Field(default_factory=dict)  # TD id -> the eligible votes last counted
    seen_reactions: dict[str, dict[str, int]] = Field(default_factory=dict)  # TD id -> reaction counts last listed
    last_comment_id: int = 0  # the newest comment already read for commands and quote-replies
    reopened: list[str] = Field(default_factory=list)  # decisions sent back to a vote after a conflict
    next_tally_at: datetime | None = None  # when the scheduled tally runs
    # generation and review
    generated_at: datetime | None = None  # the artifacts' generation time (kept so a re-run writes the same files)
    plan_sha: str | None = None  # planbot's latest commit of the artifacts
    pull_number: int | None = None
    pull_url: str | None = None
    feedback: list[str] = Field(default_factory=list)  # review feedback the plan was regenerated with
    handled: list[str] = Field(default_factory=list)  # pull request requests already answered ("review:12")

    def open_decisions(self) -> list[str]:
        """Posted decisions that no outcome settles yet."""
        return [td for td in self.posted if td not in self.outcomes]

    def blocked(self) -> dict[str, list[str]]:
        """Open decisions an eligible 👎 holds back, with who objected."""
        return {td: tally.objectors for td, tally in self.tallies.items()
                if tally.objectors and td not in self.outcomes}

    def checklist(self) -> list[tuple[str, str]]:
        """(title, "done" | "current" | "failed" | "todo") for each step of the checklist."""
        order = [phase for phase, _ in CHECKLIST]
        at = self.cancelled_from if self.phase is PlanPhase.CANCELLED and self.cancelled_from else self.phase
        if at is PlanPhase.NEEDS_DETAIL:
            at = PlanPhase.INTAKE
        if at is PlanPhase.REJECTED:
            at = PlanPhase.REVIEW
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
        self.redis.delete(self.key(issue), *(self._key(kind, issue) for kind in ("comments", "spec", "eligible", "analysis")))

    def _key(self, kind: str, issue: IssueRef) -> str:
        return f"{self.prefix}:{kind}:{issue.plan_key}"

    # The issue's comments as last listed, with their ETags: Redis only (a loss costs one full listing).
    def load_comments(self, issue: IssueRef) -> CommentSnapshot | None:
        raw = self.redis.get(self._key("comments", issue))
        try:
            return CommentSnapshot.model_validate_json(raw) if raw is not None else None
        except ValidationError:
            return None

    def save_comments(self, issue: IssueRef, snapshot: CommentSnapshot) -> None:
        self.redis.set(self._key("comments", issue), snapshot.model_dump_json(), ex=STATE_TTL_SECONDS)

    # The spec text the plan started from (the issue body may be edited during voting).
    def load_spec(self, issue: IssueRef) -> SpecCopy | None:
        raw = self.redis.get(self._key("spec", issue))
        try:
            return SpecCopy.model_validate_json(raw) if raw is not None else None
        except ValidationError:
            return None

    def save_spec(self, issue: IssueRef, copy: SpecCopy) -> None:
        self.redis.set(self._key("spec", issue), copy.model_dump_json(), ex=STATE_TTL_SECONDS)

    # The plan's analysis, so that counting votes does not read the repository again.
    def load_analysis(self, issue: IssueRef, fingerprint: str) -> bytes | None:
        raw = self.redis.get(self._key("analysis", issue))
        if raw is None or not raw.startswith(fingerprint.encode() + b"\n"):
            return None
        return raw[len(fingerprint) + 1:]

    def save_analysis(self, issue: IssueRef, fingerprint: str, data: bytes) -> None:
        self.redis.set(self._key("analysis", issue), fingerprint.encode() + b"\n" + data, ex=STATE_TTL_SECONDS)

    def permissions(self, issue: IssueRef) -> RedisPermissions:
        """The plan's cache of people's repository permissions (each login asked about once a day)."""
        return RedisPermissions(self.redis, self._key("eligible", issue))


class SpecCopy(BaseModel):
    text: str
    spec_path: str | None = None  # the spec-kit spec the issue linked, when it did


class RedisPermissions(MutableMapping[str, CollaboratorPermission]):
    """Collaborator permissions cached in one Redis hash per plan, for a day."""

    TTL_SECONDS = 24 * 3600

    def __init__(self, redis: Redis, key: str) -> None:
        self.redis = redis
        self.key = key

    def __getitem__(self, login: str) -> CollaboratorPermission:
        raw = self.redis.hget(self.key, login)
        if raw is None:
            raise KeyError(login)
        try:
            return CollaboratorPermission.model_validate_json(raw)
        except ValidationError:
            raise KeyError(login) from None

    def __setitem__(self, login: str, value: CollaboratorPermission) -> None:
        self.redis.hset(self.key, login, value.model_dump_json())
        self.redis.expire(self.key, self.TTL_SECONDS, nx=True)

    def __delitem__(self, login: str) -> None:
        self.redis.hdel(self.key, login)

    def __iter__(self) -> Iterator[str]:
        return (key.decode() if isinstance(key, bytes) else key for key in self.redis.hkeys(self.key))

    def __len__(self) -> int:
        return int(self.redis.hlen(self.key))
