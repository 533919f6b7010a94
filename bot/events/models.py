"""Webhook payloads, read leniently: only the fields planbot uses, everything else ignored.

githubkit's webhook models are strict and reject some genuine deliveries (labels without
`archived_at`, installations without `app_slug`, comments without `reactions`); these models ask
for no more than the handlers read, so a field GitHub adds or leaves out changes nothing.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, ValidationError

from bot.jobs import IssueRef


class Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Account(Lenient):
    """A user, an organisation or a bot."""

    login: str
    type: str = "User"

    @property
    def is_bot(self) -> bool:
        return self.type == "Bot" or self.login.lower().endswith("[bot]")


class Owner(Lenient):
    login: str


class Installation(Lenient):
    id: int


class Repository(Lenient):
    name: str
    full_name: str
    owner: Owner
    private: bool = False


class Label(Lenient):
    name: str


class Issue(Lenient):
    number: int
    title: str = ""
    body: str | None = None
    labels: list[Label] = []
    state: str = "open"
    user: Account | None = None
    pull_request: dict[str, object] | None = None  # present when the "issue" is a pull request

    @property
    def is_pull_request(self) -> bool:
        return self.pull_request is not None

    def has_label(self, name: str) -> bool:
        return any(same_label(label.name, name) for label in self.labels)


class GitHubApp(Lenient):
    """The app a comment was written through (`performed_via_github_app`)."""

    slug: str | None = None


class Comment(Lenient):
    id: int
    body: str = ""
    user: Account
    performed_via_github_app: GitHubApp | None = None

    @property
    def is_automated(self) -> bool:
        """Written by a bot, or through an app on someone's behalf."""
        return self.user.is_bot or self.performed_via_github_app is not None


class Envelope(Lenient):
    """What routing reads before a handler is chosen."""

    action: str | None = None


class EventPayload(Lenient):
    """Fields every routed event carries."""

    action: str | None = None
    sender: Account
    installation: Installation | None = None
    repository: Repository | None = None


class IssueEventPayload(EventPayload):
    """An event about one issue of one repository, through an installation."""

    action: str
    installation: Installation
    repository: Repository
    issue: Issue

    def issue_ref(self) -> IssueRef:
        return IssueRef(
            installation_id=self.installation.id,
            owner=self.repository.owner.login,
            repo=self.repository.name,
            number=self.issue.number,
        )


class IssuesEvent(IssueEventPayload):
    label: Label | None = None


class IssueCommentEvent(IssueEventPayload):
    comment: Comment


class PullRequest(Lenient):
    number: int
    body: str | None = None
    merged: bool = False
    user: Account | None = None


class Review(Lenient):
    id: int
    state: str = ""  # "approved", "changes_requested", "commented" (lower case in webhooks)
    body: str | None = None
    user: Account


class PullRequestEventPayload(EventPayload):
    """An event about one pull request of one repository, through an installation."""

    action: str
    installation: Installation
    repository: Repository
    pull_request: PullRequest

    def pull_ref(self) -> IssueRef:
        return IssueRef(installation_id=self.installation.id, owner=self.repository.owner.login,
                        repo=self.repository.name, number=self.pull_request.number)


class PullRequestEvent(PullRequestEventPayload):
    pass


class PullRequestReviewEvent(PullRequestEventPayload):
    review: Review


class InstallationEvent(EventPayload):
    action: str
    installation: Installation


# The payload model of each event planbot routes; one place, read by the router and the web app.
PAYLOAD_MODELS: dict[str, type[EventPayload]] = {
    "issues": IssuesEvent,
    "issue_comment": IssueCommentEvent,
    "pull_request": PullRequestEvent,
    "pull_request_review": PullRequestReviewEvent,
    "installation": InstallationEvent,
    "installation_repositories": InstallationEvent,
}


class PayloadError(ValueError):
    """The body is not JSON, or lacks a field its route needs; the message says which."""


def same_label(a: str, b: str) -> bool:
    """GitHub label names are unique regardless of case."""
    return a.casefold() == b.casefold()


def parse_envelope(body: bytes) -> Envelope:
    try:
        return Envelope.model_validate_json(body)
    except ValidationError as exc:
        raise PayloadError(describe(exc)) from None


def parse_event(event: str, body: bytes) -> EventPayload:
    model = PAYLOAD_MODELS.get(event)
    if model is None:
        raise PayloadError(f"no payload model for event {event!r}")
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        raise PayloadError(describe(exc)) from None


def describe(exc: ValidationError) -> str:
    """One line naming the first problem, e.g. `issue.number: Field required`."""
    first = exc.errors(include_url=False, include_input=False)[0]
    if first["type"] == "json_invalid":
        return f"malformed JSON: {first['msg']}"
    where = ".".join(str(part) for part in first["loc"])
    more = exc.error_count() - 1
    suffix = f" (and {more} more)" if more else ""
    return f"{where or 'payload'}: {first['msg']}{suffix}"
