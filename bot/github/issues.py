"""Small typed helpers on one issue: read it, react to it, label it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Literal
from urllib.parse import quote

from githubkit.exception import RequestFailed
from pydantic import BaseModel

from bot.github.client import Installation
from bot.github.repo_config import LabelSpec
from bot.jobs import IssueRef

ReactionContent = Literal["+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"]
LABELS_PER_PAGE = 100


class IssueInfo(BaseModel):
    """The fields of an issue (or pull request) the jobs use."""

    number: int
    title: str
    body: str
    state: str
    labels: list[str]
    author: str | None
    author_type: str | None
    html_url: str
    is_pull_request: bool
    updated_at: datetime


def get_issue(inst: Installation, issue: IssueRef) -> IssueInfo:
    data = inst.gh.rest.issues.get(issue.owner, issue.repo, issue.number).parsed_data
    labels = [label if isinstance(label, str) else (label.name or "") for label in data.labels]
    return IssueInfo(
        number=data.number,
        title=data.title,
        body=data.body or "",
        state=data.state,
        labels=[name for name in labels if name],
        author=data.user.login if data.user else None,
        author_type=data.user.type if data.user else None,
        html_url=data.html_url,
        is_pull_request=bool(data.pull_request),
        updated_at=data.updated_at,
    )


def react_to_issue(inst: Installation, issue: IssueRef, content: ReactionContent = "eyes") -> bool:
    """Add the app's reaction to the issue itself; True when new, False when it was there."""
    response = inst.gh.rest.reactions.create_for_issue(issue.owner, issue.repo, issue.number, content=content)
    return response.status_code == 201


def react_to_comment(inst: Installation, issue: IssueRef, comment_id: int, content: ReactionContent) -> bool:
    """Add the app's reaction to a comment; True when new, False when it was there."""
    response = inst.gh.rest.reactions.create_for_issue_comment(issue.owner, issue.repo, comment_id,
                                                               content=content)
    return response.status_code == 201


def repo_labels(inst: Installation, owner: str, repo: str) -> list[str]:
    return [
        label.name
        for label in inst.gh.rest.paginate(inst.gh.rest.issues.list_labels_for_repo, owner=owner, repo=repo,
                                      per_page=LABELS_PER_PAGE)
    ]


def ensure_labels(inst: Installation, owner: str, repo: str, specs: Iterable[LabelSpec]) -> list[str]:
    """Create the repository labels that are missing (names compare case-insensitively, as on
    GitHub); returns the names created."""
    wanted = list(specs)
    if not wanted:
        return []
    existing = {name.lower() for name in repo_labels(inst, owner, repo)}
    created: list[str] = []
    for spec in wanted:
        if spec.name.lower() in existing:
            continue
        try:
            inst.gh.rest.issues.create_label(owner, repo, name=spec.name, color=spec.color,
                                             description=spec.description)
        except RequestFailed as exc:
            if exc.response.status_code != 422:  # 422: someone created it meanwhile
                raise
        else:
            created.append(spec.name)
        existing.add(spec.name.lower())
    return created


def add_labels(inst: Installation, issue: IssueRef, names: Sequence[str],
               specs: Iterable[LabelSpec] = ()) -> list[str]:
    """Add labels to the issue, first creating (with their colour and description) any of `specs`
    the repository lacks. Returns the issue's labels afterwards."""
    chosen = {spec.name.lower(): spec for spec in specs}
    ensure_labels(inst, issue.owner, issue.repo, [chosen[n.lower()] for n in names if n.lower() in chosen])
    response = inst.gh.rest.issues.add_labels(issue.owner, issue.repo, issue.number, labels=list(names))
    return [label.name for label in response.parsed_data]


def remove_label(inst: Installation, issue: IssueRef, name: str) -> bool:
    """Take a label off the issue; False when it was not on it."""
    try:
        inst.gh.rest.issues.remove_label(issue.owner, issue.repo, issue.number, quote(name, safe=""))
    except RequestFailed as exc:
        if exc.response.status_code == 404:
            return False
        raise
    return True
