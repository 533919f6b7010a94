"""What every group of fake endpoints shares: the world, the JSON shapes, and the helpers to
find a repository, an issue or a comment and to page a list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from tests.fakegithub.deliveries import Redeliver
from tests.fakegithub.gitstore import Person
from tests.fakegithub.routing import Call, HttpError, Reply, Router, invalid, not_found
from tests.fakegithub.shapes import JSON, Shapes
from tests.fakegithub.state import Comment, Issue, Repo, World, now

REPO = "/repos/{owner}/{repo}"
MAX_BODY = 65536  # characters GitHub accepts in an issue, comment or pull request body


@dataclass
class Options:
    """Behaviour a test can change while the fake runs."""

    tree_limit: int | None = None  # recursive tree listings longer than this come back truncated
    on_redeliver: Redeliver | None = None  # delivers a redelivered webhook to the app under test


class Handlers:
    """A group of endpoints; the server holds the world's lock around every handler, so
    handlers read and write state freely."""

    def __init__(self, world: World, shapes: Shapes, options: Options) -> None:
        self.world = world
        self.shapes = shapes
        self.options = options

    def register(self, router: Router) -> None:
        raise NotImplementedError

    def repo(self, call: Call) -> Repo:
        repo = self.world.repo(call.args["owner"], call.args["repo"])
        installation = call.caller.installation
        if repo is None:
            raise not_found()
        if installation is not None and installation.account.login.lower() != repo.owner.login.lower():
            raise not_found()  # the installation cannot see this repository
        return repo

    def page(self, call: Call, items: list[JSON]) -> Reply:
        """One page of `items` as GitHub pages lists: `per_page` (≤100), `page`, a Link header."""
        per_page = max(1, min(100, call.param_int("per_page", 30)))
        number = max(1, call.param_int("page", 1))
        last = max(1, -(-len(items) // per_page))
        chunk = items[(number - 1) * per_page : number * per_page]
        links: list[str] = []

        def link(target: int, rel: str) -> None:
            query = {**call.params, "per_page": str(per_page), "page": str(target)}
            links.append(f'<{self.shapes.api}{call.path}?{urlencode(query)}>; rel="{rel}"')

        if number > 1:
            link(number - 1, "prev")
            link(1, "first")
        if number < last:
            link(number + 1, "next")
            link(last, "last")
        return Reply(200, chunk, {"link": ", ".join(links)} if links else {})

    def actor_person(self, call: Call) -> Person:
        actor = call.caller.actor
        name = actor.login if actor is not None else "fake"
        ident = actor.id if actor is not None else 0
        return Person(name, f"{ident}+{name}@users.noreply.github.com", now())

    def resolve(self, repo: Repo, ref: str | None) -> str:
        """A commit id for a branch name, a full ref, or a commit id; 404 when none."""
        if not repo.refs:
            raise HttpError(404, "This repository is empty.")
        name = ref or repo.default_branch
        for candidate in (name, f"refs/heads/{name}", f"refs/{name}"):
            if candidate in repo.refs:
                return repo.refs[candidate]
        if name in repo.git.commits:
            return name
        raise HttpError(404, f"No commit found for the ref {name}")

    def issue(self, repo: Repo, number: int) -> Issue:
        issue = repo.issues.get(number)
        if issue is None:
            raise not_found()
        return issue

    @staticmethod
    def set_state(issue: Issue, state: Any, reason: Any = None) -> None:
        if state not in ("open", "closed"):
            raise invalid(errors=[{"resource": "Issue", "code": "invalid", "field": "state"}])
        if state != issue.state:
            issue.state = state
            issue.closed_at = now() if state == "closed" else None
            issue.state_reason = (reason or "completed") if state == "closed" else "reopened"

    @staticmethod
    def check_body(text: Any) -> None:
        if text is not None and not isinstance(text, str):
            raise invalid(errors=[{"resource": "Issue", "code": "invalid", "field": "body"}])
        if isinstance(text, str) and len(text) > MAX_BODY:
            raise invalid(f"Body is too long (maximum is {MAX_BODY} characters)",
                          errors=[{"resource": "IssueComment", "code": "custom", "field": "body",
                                   "message": f"body is too long (maximum is {MAX_BODY} characters)"}])

    def comment(self, repo: Repo, ident: int) -> Comment:
        comment = repo.comments.get(ident)
        if comment is None:
            raise not_found()
        return comment
