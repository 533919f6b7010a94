"""What the fake GitHub knows: users, the app and its installations, repositories with their git
data, issues, comments, reactions, labels, collaborators, pull requests with their reviews and
review comments, check runs, and the log of the app's webhook deliveries.

Plain dataclasses guarded by one lock (the server thread and the test thread both touch them).
"""

from __future__ import annotations

import itertools
import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.fakegithub.gitstore import GitStore

REACTION_CONTENTS = ("+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes")
REVIEW_STATES = ("APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING")
ROLE_PERMISSION = {"admin": "admin", "maintain": "write", "write": "write", "triage": "read", "read": "read"}


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass
class User:
    login: str
    id: int
    type: str = "User"  # "User", "Bot" or "Organization"


@dataclass
class App:
    id: int
    slug: str
    name: str
    owner: User
    public_key_pem: str
    bot: User


@dataclass
class Installation:
    id: int
    account: User


@dataclass
class Token:
    token: str
    installation_id: int
    expires_at: datetime


@dataclass
class Reaction:
    id: int
    user: User
    content: str
    created_at: datetime


@dataclass
class Label:
    id: int
    name: str
    color: str
    description: str | None = None


@dataclass
class Comment:
    id: int
    issue_number: int
    body: str
    user: User
    via_app: bool
    created_at: datetime
    updated_at: datetime
    reactions: list[Reaction] = field(default_factory=list)


@dataclass
class PullRequest:
    head: str
    base: str
    head_sha: str
    base_sha: str
    draft: bool = False
    merged: bool = False
    merged_by: User | None = None
    merge_commit_sha: str | None = None  # the commit the merge put on the base branch


@dataclass
class Review:
    id: int
    pull_number: int
    user: User
    state: str  # one of REVIEW_STATES
    body: str
    commit_id: str  # the pull request's head when the review was submitted
    submitted_at: datetime


@dataclass
class ReviewComment:
    """A comment on a line (or, with no line, on a whole file) of a pull request's diff."""

    id: int
    pull_number: int
    review_id: int | None
    path: str
    line: int | None
    body: str
    user: User
    commit_id: str
    created_at: datetime
    updated_at: datetime
    reactions: list[Reaction] = field(default_factory=list)


@dataclass
class CheckRun:
    """One check run of the app on a commit; `annotations` hold every annotation sent, in order
    (GitHub appends the annotations of each update to those already there)."""

    id: int
    name: str
    head_sha: str
    status: str  # queued, in_progress or completed
    conclusion: str | None
    started_at: datetime
    completed_at: datetime | None = None
    details_url: str | None = None
    external_id: str | None = None
    title: str | None = None
    summary: str | None = None
    text: str | None = None
    annotations: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Delivery:
    """One attempt to deliver a webhook to the app, as the app's delivery log keeps it.

    A redelivery is a new attempt with the same `guid` (the `X-GitHub-Delivery` header) and
    `redelivery` set; attempts are never changed afterwards."""

    id: int
    guid: str
    event: str
    action: str | None
    payload: dict[str, Any]
    body: bytes  # exactly the bytes POSTed to the app (what the signature covers)
    request_headers: dict[str, str]
    delivered_at: datetime
    status_code: int  # what the app answered; 0 when the request never reached it
    status: str  # "OK", "Timeout", "Invalid HTTP Response: 500", ...
    duration: float  # seconds
    redelivery: bool
    installation_id: int | None
    repository_id: int | None

    @property
    def failed(self) -> bool:
        """GitHub lists an attempt under `status=failure` when the app never answered or
        answered an error."""
        return self.status_code == 0 or self.status_code >= 400


@dataclass
class Redelivery:
    """A request to redeliver an attempt (`POST /app/hook/deliveries/{id}/attempts`)."""

    delivery_id: int  # the attempt asked to be redelivered
    guid: str
    requested_at: datetime
    attempt_id: int | None = None  # the new attempt, once it has been made


@dataclass
class Issue:
    number: int
    id: int
    title: str
    body: str | None
    user: User
    created_at: datetime
    updated_at: datetime
    state: str = "open"
    state_reason: str | None = None
    closed_at: datetime | None = None
    labels: list[str] = field(default_factory=list)  # label names, as added
    reactions: list[Reaction] = field(default_factory=list)
    pull: PullRequest | None = None  # set when this "issue" is a pull request


@dataclass
class Repo:
    id: int
    owner: User
    name: str
    private: bool
    default_branch: str
    created_at: datetime
    git: GitStore = field(default_factory=GitStore)
    refs: dict[str, str] = field(default_factory=dict)  # "refs/heads/main" -> commit sha
    issues: dict[int, Issue] = field(default_factory=dict)
    labels: dict[str, Label] = field(default_factory=dict)  # lower-cased name -> label
    roles: dict[str, str] = field(default_factory=dict)  # lower-cased login -> role name
    comments: dict[int, Comment] = field(default_factory=dict)  # id -> comment, in creation order
    reviews: dict[int, Review] = field(default_factory=dict)  # id -> review, in submission order
    review_comments: dict[int, ReviewComment] = field(default_factory=dict)  # id -> comment, in order
    check_runs: dict[int, CheckRun] = field(default_factory=dict)  # id -> check run, in creation order

    @property
    def full_name(self) -> str:
        return f"{self.owner.login}/{self.name}"

    def label(self, name: str) -> Label | None:
        return self.labels.get(name.lower())

    def head(self, branch: str) -> str | None:
        return self.refs.get(f"refs/heads/{branch}")

    def issue_comments(self, number: int) -> list[Comment]:
        return [c for c in self.comments.values() if c.issue_number == number]

    def comment_count(self, number: int) -> int:
        return len(self.issue_comments(number))

    def pull_reviews(self, number: int) -> list[Review]:
        return [r for r in self.reviews.values() if r.pull_number == number]

    def pull_review_comments(self, number: int) -> list[ReviewComment]:
        return [c for c in self.review_comments.values() if c.pull_number == number]

    def next_number(self) -> int:
        return max(self.issues, default=0) + 1


@dataclass
class World:
    """Everything the fake serves; every access holds `lock`."""

    lock: threading.RLock = field(default_factory=threading.RLock)
    users: dict[str, User] = field(default_factory=dict)  # lower-cased login -> user
    app: App | None = None  # the one app this fake serves
    installations: dict[int, Installation] = field(default_factory=dict)
    tokens: dict[str, Token] = field(default_factory=dict)
    repos: dict[str, Repo] = field(default_factory=dict)  # lower-cased "owner/name" -> repo
    teams: dict[str, dict[str, str]] = field(default_factory=dict)  # "org/slug" -> login -> state
    deliveries: dict[int, Delivery] = field(default_factory=dict)  # id -> webhook delivery attempt, in log order
    redeliveries: list[Redelivery] = field(default_factory=list)  # redelivery requests, oldest first
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1001))

    def next_id(self) -> int:
        return next(self.ids)

    def user(self, login: str, kind: str = "User") -> User:
        """The user with this login, created on first mention."""
        found = self.users.get(login.lower())
        if found is None:
            found = User(login=login, id=self.next_id(), type=kind)
            self.users[login.lower()] = found
        return found

    def repo(self, owner: str, name: str) -> Repo | None:
        return self.repos.get(f"{owner}/{name}".lower())

    def issue_token(self, installation_id: int, lifetime: timedelta) -> Token:
        token = Token(f"ghs_{secrets.token_hex(18)}", installation_id, now() + lifetime)
        self.tokens[token.token] = token
        return token

    def installation_for(self, owner: str) -> Installation | None:
        return next((i for i in self.installations.values() if i.account.login.lower() == owner.lower()), None)
