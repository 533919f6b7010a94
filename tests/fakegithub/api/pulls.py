"""Pull requests."""

from __future__ import annotations

from tests.fakegithub.api.base import REPO, Handlers
from tests.fakegithub.routing import Call, Reply, Router, invalid, not_found
from tests.fakegithub.state import Issue, PullRequest, Repo, now


class PullRoutes(Handlers):
    """Pull requests (the basics: list, create, read, edit)."""

    def register(self, router: Router) -> None:
        router.add("GET", f"{REPO}/pulls", self.list_pulls)
        router.add("POST", f"{REPO}/pulls", self.create_pull)
        router.add("GET", f"{REPO}/pulls/{{number:int}}", self.get_pull)
        router.add("PATCH", f"{REPO}/pulls/{{number:int}}", self.update_pull)

    def pull_issue(self, repo: Repo, number: int) -> Issue:
        issue = repo.issues.get(number)
        if issue is None or issue.pull is None:
            raise not_found()
        return issue

    def list_pulls(self, call: Call) -> Reply:
        repo = self.repo(call)
        state = call.params.get("state", "open")
        head = call.params.get("head")
        base = call.params.get("base")
        chosen: list[Issue] = []
        for issue in sorted(repo.issues.values(), key=lambda i: i.number, reverse=True):
            pull = issue.pull
            if pull is None or (state != "all" and issue.state != state):
                continue
            if head:
                owner, _, branch = head.rpartition(":")
                if branch != pull.head or (owner and owner.lower() != repo.owner.login.lower()):
                    continue
            if base and base != pull.base:
                continue
            chosen.append(issue)
        return self.page(call, [self.shapes.pull(repo, issue, full=False) for issue in chosen])

    def create_pull(self, call: Call) -> Reply:
        repo = self.repo(call)
        body = call.json_object()
        title, head, base = body.get("title"), body.get("head"), body.get("base")
        if not isinstance(title, str) or not title.strip():
            raise invalid(errors=[{"resource": "PullRequest", "code": "missing_field", "field": "title"}])
        if not isinstance(head, str) or not isinstance(base, str):
            raise invalid(errors=[{"resource": "PullRequest", "code": "missing_field", "field": "head"}])
        branch = head.rpartition(":")[2]
        head_sha, base_sha = repo.head(branch), repo.head(base)
        if head_sha is None:
            raise invalid(errors=[{"resource": "PullRequest", "code": "invalid", "field": "head"}])
        if base_sha is None:
            raise invalid(errors=[{"resource": "PullRequest", "code": "invalid", "field": "base"}])
        for issue in repo.issues.values():
            if issue.pull and issue.state == "open" and issue.pull.head == branch and issue.pull.base == base:
                raise invalid(errors=[{"resource": "PullRequest", "code": "custom",
                                       "message": f"A pull request already exists for {repo.owner.login}:{branch}."}])
        if repo.git.is_ancestor(head_sha, base_sha):
            raise invalid(errors=[{"resource": "PullRequest", "code": "custom",
                                   "message": f"No commits between {base} and {branch}"}])
        text = body.get("body")
        self.check_body(text)
        assert call.caller.actor is not None
        stamp = now()
        issue = Issue(repo.next_number(), self.world.next_id(), title, text, call.caller.actor, stamp, stamp,
                      pull=PullRequest(branch, base, head_sha, base_sha, draft=bool(body.get("draft", False))))
        repo.issues[issue.number] = issue
        return Reply(201, self.shapes.pull(repo, issue, full=True))

    def get_pull(self, call: Call) -> Reply:
        repo = self.repo(call)
        issue = self.pull_issue(repo, call.arg_int("number"))
        assert issue.pull is not None
        issue.pull.head_sha = repo.head(issue.pull.head) or issue.pull.head_sha
        return Reply(200, self.shapes.pull(repo, issue, full=True))

    def update_pull(self, call: Call) -> Reply:
        repo = self.repo(call)
        issue = self.pull_issue(repo, call.arg_int("number"))
        assert issue.pull is not None
        body = call.json_object()
        if "title" in body:
            if not isinstance(body["title"], str) or not body["title"].strip():
                raise invalid(errors=[{"resource": "PullRequest", "code": "missing_field", "field": "title"}])
            issue.title = body["title"]
        if "body" in body:
            self.check_body(body["body"])
            issue.body = body["body"]
        if "state" in body:
            self.set_state(issue, body["state"])
        if "base" in body:
            if not isinstance(body["base"], str) or repo.head(body["base"]) is None:
                raise invalid(errors=[{"resource": "PullRequest", "code": "invalid", "field": "base"}])
            issue.pull.base = body["base"]
        issue.updated_at = now()
        issue.pull.head_sha = repo.head(issue.pull.head) or issue.pull.head_sha
        return Reply(200, self.shapes.pull(repo, issue, full=True))
