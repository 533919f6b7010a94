"""Pull requests: the pulls themselves, merging them, and their reviews and review comments."""

from __future__ import annotations

from tests.fakegithub.api.base import REPO, Handlers
from tests.fakegithub.gitstore import Person
from tests.fakegithub.routing import Call, HttpError, Reply, Router, invalid, not_found
from tests.fakegithub.state import Issue, PullRequest, Repo, User, now

MERGE_METHODS = ("merge", "squash", "rebase")


def refresh_head(repo: Repo, issue: Issue) -> None:
    """An open pull request follows its head branch; a closed one keeps the head it closed with."""
    assert issue.pull is not None
    if issue.state == "open":
        issue.pull.head_sha = repo.head(issue.pull.head) or issue.pull.head_sha


def merge_pull_request(repo: Repo, issue: Issue, merger: User, method: str = "merge", *,
                       fast_forward: bool = False, title: str | None = None, message: str | None = None) -> str:
    """Merge an open pull request into its base branch and close it; returns the base's new head.

    The merged tree is the head's tree (the fake has no three-way merge): fine for planbot, whose
    pull requests only add files. `merge` makes a merge commit, `squash` one commit on the base,
    `rebase` fast-forwards when it can and otherwise squashes. `fast_forward` lets a `merge`
    fast-forward when the base has not moved (as a person merging by hand would).
    """
    pull = issue.pull
    assert pull is not None and issue.state == "open"
    refresh_head(repo, issue)
    base_head = repo.head(pull.base)
    if base_head is None:
        raise HttpError(405, "Base branch was deleted")
    person = Person(merger.login, f"{merger.id}+{merger.login}@users.noreply.github.com", now())
    tree = repo.git.commits[pull.head_sha].tree
    can_fast_forward = repo.git.is_ancestor(base_head, pull.head_sha)
    if can_fast_forward and (method == "rebase" or (method == "merge" and fast_forward)):
        sha = pull.head_sha
    elif method == "merge":
        text = title or f"Merge pull request #{issue.number} from {repo.owner.login}/{pull.head}"
        sha = repo.git.put_commit(tree, [base_head, pull.head_sha], f"{text}\n\n{message or issue.title}",
                                  person, person)
    else:
        text = title or f"{issue.title} (#{issue.number})"
        sha = repo.git.put_commit(tree, [base_head], f"{text}\n\n{message}" if message else text, person, person)
    repo.refs[f"refs/heads/{pull.base}"] = sha
    stamp = now()
    issue.state, issue.closed_at, issue.updated_at = "closed", stamp, stamp
    pull.merged, pull.merged_by, pull.merge_commit_sha = True, merger, sha
    return sha


class PullRoutes(Handlers):
    """Pull requests: list, create, read, edit, merge; reviews and review comments (read)."""

    def register(self, router: Router) -> None:
        router.add("GET", f"{REPO}/pulls", self.list_pulls)
        router.add("POST", f"{REPO}/pulls", self.create_pull)
        router.add("GET", f"{REPO}/pulls/{{number:int}}", self.get_pull)
        router.add("PATCH", f"{REPO}/pulls/{{number:int}}", self.update_pull)
        router.add("GET", f"{REPO}/pulls/{{number:int}}/merge", self.check_merged)
        router.add("PUT", f"{REPO}/pulls/{{number:int}}/merge", self.merge_pull)
        router.add("GET", f"{REPO}/pulls/{{number:int}}/reviews", self.list_reviews)
        router.add("GET", f"{REPO}/pulls/{{number:int}}/reviews/{{id:int}}", self.get_review)
        router.add("GET", f"{REPO}/pulls/{{number:int}}/reviews/{{id:int}}/comments", self.list_review_comments)
        router.add("GET", f"{REPO}/pulls/{{number:int}}/comments", self.list_pull_comments)

    def pull_issue(self, repo: Repo, number: int) -> Issue:
        issue = repo.issues.get(number)
        if issue is None or issue.pull is None:
            raise not_found()
        refresh_head(repo, issue)
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
            refresh_head(repo, issue)
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
            if issue.pull.merged and body["state"] != issue.state:
                raise invalid(errors=[{"resource": "PullRequest", "code": "custom",
                                       "message": "Cannot change the state of a merged pull request"}])
            self.set_state(issue, body["state"])
        if "base" in body:
            if not isinstance(body["base"], str) or repo.head(body["base"]) is None:
                raise invalid(errors=[{"resource": "PullRequest", "code": "invalid", "field": "base"}])
            issue.pull.base = body["base"]
        issue.updated_at = now()
        refresh_head(repo, issue)
        return Reply(200, self.shapes.pull(repo, issue, full=True))

    # -- merging ---------------------------------------------------------------------------

    def check_merged(self, call: Call) -> Reply:
        repo = self.repo(call)
        issue = self.pull_issue(repo, call.arg_int("number"))
        assert issue.pull is not None
        if not issue.pull.merged:
            raise not_found()
        return Reply(204)

    def merge_pull(self, call: Call) -> Reply:
        repo = self.repo(call)
        issue = self.pull_issue(repo, call.arg_int("number"))
        assert issue.pull is not None and call.caller.actor is not None
        body = call.body if isinstance(call.body, dict) else {}
        method = body.get("merge_method", "merge")
        if method not in MERGE_METHODS:
            raise invalid(errors=[{"resource": "PullRequest", "code": "invalid", "field": "merge_method"}])
        if issue.state != "open":
            raise HttpError(405, "Pull Request is not mergeable")
        expected = body.get("sha")
        if expected is not None and expected != issue.pull.head_sha:
            raise HttpError(409, "Head branch was modified. Review and try the merge again.")
        title, message = body.get("commit_title"), body.get("commit_message")
        sha = merge_pull_request(repo, issue, call.caller.actor, method,
                                 title=title if isinstance(title, str) else None,
                                 message=message if isinstance(message, str) else None)
        return Reply(200, {"sha": sha, "merged": True, "message": "Pull Request successfully merged"})

    # -- reviews ---------------------------------------------------------------------------

    def list_reviews(self, call: Call) -> Reply:
        repo = self.repo(call)
        issue = self.pull_issue(repo, call.arg_int("number"))
        return self.page(call, [self.shapes.review(repo, r) for r in repo.pull_reviews(issue.number)])

    def get_review(self, call: Call) -> Reply:
        repo = self.repo(call)
        issue = self.pull_issue(repo, call.arg_int("number"))
        review = repo.reviews.get(call.arg_int("id"))
        if review is None or review.pull_number != issue.number:
            raise not_found()
        return Reply(200, self.shapes.review(repo, review))

    def list_review_comments(self, call: Call) -> Reply:
        repo = self.repo(call)
        issue = self.pull_issue(repo, call.arg_int("number"))
        review = repo.reviews.get(call.arg_int("id"))
        if review is None or review.pull_number != issue.number:
            raise not_found()
        comments = [c for c in repo.pull_review_comments(issue.number) if c.review_id == review.id]
        return self.page(call, [self.shapes.review_comment(repo, c) for c in comments])

    def list_pull_comments(self, call: Call) -> Reply:
        repo = self.repo(call)
        issue = self.pull_issue(repo, call.arg_int("number"))
        comments = repo.pull_review_comments(issue.number)
        if call.params.get("direction") == "desc":
            comments.reverse()
        return self.page(call, [self.shapes.review_comment(repo, c) for c in comments])
