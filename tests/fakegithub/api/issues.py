"""Issues (one, or a filtered list) and labels."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from tests.fakegithub.api.base import REPO, Handlers
from tests.fakegithub.routing import Call, HttpError, Reply, Router, invalid, not_found
from tests.fakegithub.shapes import JSON
from tests.fakegithub.state import Issue, Label, Repo, now

DEFAULT_LABEL_COLOR = "ededed"  # GitHub's colour for labels created by adding them to an issue
UNSUPPORTED_ISSUE_FILTERS = ("milestone", "assignee", "mentioned", "type", "issue_field_values")
ISSUE_SORTS: dict[str, Callable[[Repo, Issue], Any]] = {
    "created": lambda repo, issue: issue.created_at,
    "updated": lambda repo, issue: issue.updated_at,
    "comments": lambda repo, issue: repo.comment_count(issue.number),
}


def parse_since(raw: str | None) -> datetime | None:
    """An ISO 8601 time (`2024-05-01T12:00:00Z`); 422 for anything else."""
    if not raw:
        return None
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise invalid(errors=[{"resource": "Issue", "code": "invalid", "field": "since"}]) from exc
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


class IssueRoutes(Handlers):
    """Issues, the repository's issue list, issue labels and repository labels."""

    def register(self, router: Router) -> None:
        router.add("GET", f"{REPO}/issues", self.list_issues)
        router.add("POST", f"{REPO}/issues", self.create_issue)
        router.add("GET", f"{REPO}/issues/{{number:int}}", self.get_issue)
        router.add("PATCH", f"{REPO}/issues/{{number:int}}", self.update_issue)
        router.add("GET", f"{REPO}/issues/{{number:int}}/labels", self.list_issue_labels)
        router.add("POST", f"{REPO}/issues/{{number:int}}/labels", self.add_issue_labels)
        router.add("PUT", f"{REPO}/issues/{{number:int}}/labels", self.set_issue_labels)
        router.add("DELETE", f"{REPO}/issues/{{number:int}}/labels/{{name}}", self.remove_issue_label)
        router.add("GET", f"{REPO}/labels", self.list_labels)
        router.add("POST", f"{REPO}/labels", self.create_label)
        router.add("GET", f"{REPO}/labels/{{name}}", self.get_label)

    def list_issues(self, call: Call) -> Reply:
        """Issues and pull requests (these carry a `pull_request` key), filtered by `state`
        (open by default), `labels` (comma-separated, every one must be on the issue, any case),
        `creator` and `since`, sorted by `sort` and `direction` (newest created first by default)."""
        repo = self.repo(call)
        unsupported = sorted(name for name in UNSUPPORTED_ISSUE_FILTERS if call.params.get(name))
        if unsupported:
            raise invalid(f"the fake does not filter issues by {', '.join(unsupported)}")
        state = call.params.get("state") or "open"
        sort = call.params.get("sort") or "created"
        direction = call.params.get("direction") or "desc"
        if state not in ("open", "closed", "all") or sort not in ISSUE_SORTS or direction not in ("asc", "desc"):
            raise invalid(errors=[{"resource": "Issue", "code": "invalid", "field": "state, sort or direction"}])
        wanted = {name.strip().lower() for name in call.params.get("labels", "").split(",") if name.strip()}
        creator = (call.params.get("creator") or "").lower()
        since = parse_since(call.params.get("since"))
        chosen = [
            issue for issue in repo.issues.values()
            if (state == "all" or issue.state == state)
            and wanted <= {name.lower() for name in issue.labels}
            and (not creator or issue.user.login.lower() == creator)
            and (since is None or issue.updated_at >= since)
        ]
        chosen.sort(key=lambda issue: (ISSUE_SORTS[sort](repo, issue), issue.number), reverse=direction == "desc")
        return self.page(call, [self.shapes.issue(repo, issue) for issue in chosen])

    def get_issue(self, call: Call) -> Reply:
        repo = self.repo(call)
        return Reply(200, self.shapes.issue(repo, self.issue(repo, call.arg_int("number"))))

    def create_issue(self, call: Call) -> Reply:
        repo = self.repo(call)
        body = call.json_object()
        title = body.get("title")
        if not isinstance(title, str) or not title.strip():
            raise invalid(errors=[{"resource": "Issue", "code": "missing_field", "field": "title"}])
        text = body.get("body")
        self.check_body(text)
        assert call.caller.actor is not None
        stamp = now()
        issue = Issue(repo.next_number(), self.world.next_id(), title, text, call.caller.actor, stamp, stamp)
        repo.issues[issue.number] = issue
        self.attach_labels(repo, issue, body.get("labels") or [])
        return Reply(201, self.shapes.issue(repo, issue))

    def update_issue(self, call: Call) -> Reply:
        repo = self.repo(call)
        issue = self.issue(repo, call.arg_int("number"))
        body = call.json_object()
        if "title" in body:
            if not isinstance(body["title"], str) or not body["title"].strip():
                raise invalid(errors=[{"resource": "Issue", "code": "missing_field", "field": "title"}])
            issue.title = body["title"]
        if "body" in body:
            self.check_body(body["body"])
            issue.body = body["body"]
        if "state" in body:
            self.set_state(issue, body["state"], body.get("state_reason"))
        if "labels" in body:
            issue.labels = []
            self.attach_labels(repo, issue, body["labels"] or [])
        issue.updated_at = now()
        return Reply(200, self.shapes.issue(repo, issue))

    def ensure_label(self, repo: Repo, name: str) -> Label:
        label = repo.label(name)
        if label is None:
            label = Label(self.world.next_id(), name, DEFAULT_LABEL_COLOR)
            repo.labels[name.lower()] = label
        return label

    def attach_labels(self, repo: Repo, issue: Issue, names: Any) -> None:
        if isinstance(names, dict):
            names = names.get("labels", [])
        if not isinstance(names, list):
            raise invalid("Invalid request. \"labels\" must be a list.")
        for raw in names:
            name = raw.get("name") if isinstance(raw, dict) else raw
            if not isinstance(name, str) or not name.strip():
                raise invalid(errors=[{"resource": "Label", "code": "invalid", "field": "name"}])
            label = self.ensure_label(repo, name.strip())
            if all(existing.lower() != label.name.lower() for existing in issue.labels):
                issue.labels.append(label.name)

    def issue_labels(self, repo: Repo, issue: Issue) -> list[JSON]:
        return [self.shapes.label(repo, label) for name in issue.labels if (label := repo.label(name)) is not None]

    def list_issue_labels(self, call: Call) -> Reply:
        repo = self.repo(call)
        return self.page(call, self.issue_labels(repo, self.issue(repo, call.arg_int("number"))))

    def add_issue_labels(self, call: Call) -> Reply:
        repo = self.repo(call)
        issue = self.issue(repo, call.arg_int("number"))
        self.attach_labels(repo, issue, call.body)
        issue.updated_at = now()
        return Reply(200, self.issue_labels(repo, issue))

    def set_issue_labels(self, call: Call) -> Reply:
        repo = self.repo(call)
        issue = self.issue(repo, call.arg_int("number"))
        issue.labels = []
        self.attach_labels(repo, issue, call.body)
        issue.updated_at = now()
        return Reply(200, self.issue_labels(repo, issue))

    def remove_issue_label(self, call: Call) -> Reply:
        repo = self.repo(call)
        issue = self.issue(repo, call.arg_int("number"))
        name = call.args["name"].lower()
        kept = [label for label in issue.labels if label.lower() != name]
        if len(kept) == len(issue.labels):
            raise HttpError(404, "Label does not exist")
        issue.labels = kept
        issue.updated_at = now()
        return Reply(200, self.issue_labels(repo, issue))

    def list_labels(self, call: Call) -> Reply:
        repo = self.repo(call)
        return self.page(call, [self.shapes.label(repo, label) for label in repo.labels.values()])

    def get_label(self, call: Call) -> Reply:
        repo = self.repo(call)
        label = repo.label(call.args["name"])
        if label is None:
            raise not_found()
        return Reply(200, self.shapes.label(repo, label))

    def create_label(self, call: Call) -> Reply:
        repo = self.repo(call)
        body = call.json_object()
        name, color = body.get("name"), body.get("color", DEFAULT_LABEL_COLOR)
        if not isinstance(name, str) or not name.strip():
            raise invalid(errors=[{"resource": "Label", "code": "missing_field", "field": "name"}])
        if not isinstance(color, str) or not re.fullmatch(r"#?[0-9a-fA-F]{6}", color):
            raise invalid(errors=[{"resource": "Label", "code": "invalid", "field": "color"}])
        if repo.label(name) is not None:
            raise invalid(errors=[{"resource": "Label", "code": "already_exists", "field": "name"}])
        description = body.get("description")
        label = Label(self.world.next_id(), name.strip(), color.lstrip("#").lower(),
                      description if isinstance(description, str) else None)
        repo.labels[label.name.lower()] = label
        return Reply(201, self.shapes.label(repo, label))
