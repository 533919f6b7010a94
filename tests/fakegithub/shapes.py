"""JSON shapes of GitHub's REST answers, with every field githubkit's models require."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tests.fakegithub.gitstore import Commit, TreeEntry
from tests.fakegithub.state import (
    REACTION_CONTENTS,
    ROLE_PERMISSION,
    App,
    CheckRun,
    Comment,
    Delivery,
    Installation,
    Issue,
    Label,
    Reaction,
    Repo,
    Review,
    ReviewComment,
    User,
)

JSON = dict[str, Any]
DOCS = "https://docs.github.com/rest"


def stamp(value: datetime | None) -> str | None:
    return None if value is None else value.strftime("%Y-%m-%dT%H:%M:%SZ")


def node_id(kind: str, ident: int | str) -> str:
    return base64.b64encode(f"{kind}:{ident}".encode()).decode().rstrip("=")


def error(message: str, status: int, **extra: Any) -> JSON:
    return {"message": message, "documentation_url": DOCS, "status": str(status), **extra}


@dataclass(frozen=True)
class Shapes:
    api: str  # the REST root, e.g. http://127.0.0.1:8080/api/v3
    web: str  # the web root, e.g. http://127.0.0.1:8080

    # -- people and apps -------------------------------------------------------------------

    def user(self, user: User) -> JSON:
        url = f"{self.api}/users/{user.login}"
        return {
            "login": user.login,
            "id": user.id,
            "node_id": node_id("User", user.id),
            "avatar_url": f"{self.web}/avatars/{user.id}",
            "gravatar_id": "",
            "url": url,
            "html_url": f"{self.web}/{user.login}",
            "followers_url": f"{url}/followers",
            "following_url": f"{url}/following{{/other_user}}",
            "gists_url": f"{url}/gists{{/gist_id}}",
            "starred_url": f"{url}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{url}/subscriptions",
            "organizations_url": f"{url}/orgs",
            "repos_url": f"{url}/repos",
            "events_url": f"{url}/events{{/privacy}}",
            "received_events_url": f"{url}/received_events",
            "type": user.type,
            "site_admin": False,
            "user_view_type": "public",
        }

    def app(self, app: App) -> JSON:
        return {
            "id": app.id,
            "slug": app.slug,
            "node_id": node_id("Integration", app.id),
            "client_id": f"Iv1.{app.id:016x}",
            "owner": self.user(app.owner),
            "name": app.name,
            "description": None,
            "external_url": f"{self.web}/apps/{app.slug}",
            "html_url": f"{self.web}/apps/{app.slug}",
            "created_at": "2024-01-01T00:00:00Z",
            "updated_at": "2024-01-01T00:00:00Z",
            "permissions": {"contents": "write", "issues": "write", "pull_requests": "write", "metadata": "read"},
            "events": ["issues", "issue_comment", "pull_request", "pull_request_review"],
        }

    def installation(self, installation: Installation, app: App) -> JSON:
        return {
            "id": installation.id,
            "account": self.user(installation.account),
            "repository_selection": "all",
            "access_tokens_url": f"{self.api}/app/installations/{installation.id}/access_tokens",
            "repositories_url": f"{self.api}/installation/repositories",
            "html_url": f"{self.web}/settings/installations/{installation.id}",
            "app_id": app.id,
            "app_slug": app.slug,
            "target_id": installation.account.id,
            "target_type": installation.account.type,
            "permissions": {"contents": "write", "issues": "write", "pull_requests": "write", "metadata": "read"},
            "events": ["issues", "issue_comment", "pull_request", "pull_request_review"],
            "created_at": "2024-01-01T00:00:00Z",
            "updated_at": "2024-01-01T00:00:00Z",
            "single_file_name": None,
            "suspended_by": None,
            "suspended_at": None,
        }

    # -- repositories ----------------------------------------------------------------------

    def repo(self, repo: Repo, full: bool = True) -> JSON:
        url = f"{self.api}/repos/{repo.full_name}"
        html = f"{self.web}/{repo.full_name}"
        pushed = stamp(repo.created_at)
        shape: JSON = {
            "id": repo.id,
            "node_id": node_id("Repository", repo.id),
            "name": repo.name,
            "full_name": repo.full_name,
            "owner": self.user(repo.owner),
            "private": repo.private,
            "visibility": "private" if repo.private else "public",
            "html_url": html,
            "description": None,
            "fork": False,
            "url": url,
            "homepage": None,
            "language": None,
            "mirror_url": None,
            "license": None,
            "forks": 0,
            "forks_count": 0,
            "stargazers_count": 0,
            "watchers_count": 0,
            "watchers": 0,
            "size": 0,
            "default_branch": repo.default_branch,
            "open_issues": sum(1 for i in repo.issues.values() if i.state == "open"),
            "open_issues_count": sum(1 for i in repo.issues.values() if i.state == "open"),
            "has_issues": True,
            "has_projects": False,
            "has_wiki": False,
            "has_pages": False,
            "has_discussions": False,
            "archived": False,
            "disabled": False,
            "pushed_at": pushed,
            "created_at": pushed,
            "updated_at": pushed,
            "git_url": f"git://{self.web.split('://', 1)[-1]}/{repo.full_name}.git",
            "ssh_url": f"git@{self.web.split('://', 1)[-1]}:{repo.full_name}.git",
            "clone_url": f"{html}.git",
            "svn_url": html,
        }
        for name, suffix in _REPO_LINKS.items():
            shape[name] = f"{url}/{suffix}"
        if full:
            shape.update({"subscribers_count": 0, "network_count": 0})
        return shape

    # -- git data --------------------------------------------------------------------------

    def ref(self, repo: Repo, name: str, sha: str) -> JSON:
        base = f"{self.api}/repos/{repo.full_name}/git"
        return {
            "ref": name,
            "node_id": node_id("Ref", f"{repo.id}:{name}"),
            "url": f"{base}/{name}",
            "object": {"type": "commit", "sha": sha, "url": f"{base}/commits/{sha}"},
        }

    def commit(self, repo: Repo, commit: Commit) -> JSON:
        base = f"{self.api}/repos/{repo.full_name}/git"
        html = f"{self.web}/{repo.full_name}/commit"
        return {
            "sha": commit.sha,
            "node_id": node_id("Commit", commit.sha),
            "url": f"{base}/commits/{commit.sha}",
            "html_url": f"{html}/{commit.sha}",
            "author": {"name": commit.author.name, "email": commit.author.email, "date": stamp(commit.author.date)},
            "committer": {
                "name": commit.committer.name,
                "email": commit.committer.email,
                "date": stamp(commit.committer.date),
            },
            "message": commit.message,
            "tree": {"sha": commit.tree, "url": f"{base}/trees/{commit.tree}"},
            "parents": [{"sha": p, "url": f"{base}/commits/{p}", "html_url": f"{html}/{p}"} for p in commit.parents],
            "verification": {"verified": False, "reason": "unsigned", "signature": None, "payload": None,
                             "verified_at": None},
        }

    def repo_commit(self, repo: Repo, commit: Commit, author: User | None, committer: User | None) -> JSON:
        """A commit as the repository endpoints show it (`/commits`, `/compare`): the git commit
        inside, with the GitHub users behind its author and committer when known."""
        url = f"{self.api}/repos/{repo.full_name}/commits/{commit.sha}"
        html = f"{self.web}/{repo.full_name}/commit"
        return {
            "url": url,
            "sha": commit.sha,
            "node_id": node_id("Commit", commit.sha),
            "html_url": f"{html}/{commit.sha}",
            "comments_url": f"{url}/comments",
            "commit": {
                "url": f"{self.api}/repos/{repo.full_name}/git/commits/{commit.sha}",
                "author": {"name": commit.author.name, "email": commit.author.email,
                           "date": stamp(commit.author.date)},
                "committer": {"name": commit.committer.name, "email": commit.committer.email,
                              "date": stamp(commit.committer.date)},
                "message": commit.message,
                "comment_count": 0,
                "tree": {"sha": commit.tree, "url": f"{self.api}/repos/{repo.full_name}/git/trees/{commit.tree}"},
                "verification": {"verified": False, "reason": "unsigned", "signature": None, "payload": None,
                                 "verified_at": None},
            },
            "author": self.user(author) if author is not None else None,
            "committer": self.user(committer) if committer is not None else None,
            "parents": [{"sha": p, "url": f"{self.api}/repos/{repo.full_name}/commits/{p}", "html_url": f"{html}/{p}"}
                        for p in commit.parents],
        }

    def diff_entry(self, repo: Repo, filename: str, status: str, sha: str | None, ref: str,
                   additions: int, deletions: int) -> JSON:
        return {
            "sha": sha,
            "filename": filename,
            "status": status,
            "additions": additions,
            "deletions": deletions,
            "changes": additions + deletions,
            "blob_url": f"{self.web}/{repo.full_name}/blob/{ref}/{filename}",
            "raw_url": f"{self.web}/{repo.full_name}/raw/{ref}/{filename}",
            "contents_url": f"{self.api}/repos/{repo.full_name}/contents/{filename}?ref={ref}",
        }

    def tree(self, repo: Repo, sha: str, entries: list[TreeEntry], truncated: bool) -> JSON:
        base = f"{self.api}/repos/{repo.full_name}/git"
        listed: list[JSON] = []
        for entry in entries:
            item: JSON = {"path": entry.name, "mode": entry.mode, "type": entry.type, "sha": entry.sha}
            if entry.type == "blob":
                item["size"] = len(repo.git.blobs[entry.sha])
                item["url"] = f"{base}/blobs/{entry.sha}"
            elif entry.type == "tree":
                item["url"] = f"{base}/trees/{entry.sha}"
            listed.append(item)
        return {"sha": sha, "url": f"{base}/trees/{sha}", "tree": listed, "truncated": truncated}

    def blob(self, repo: Repo, sha: str, data: bytes) -> JSON:
        return {
            "sha": sha,
            "node_id": node_id("Blob", sha),
            "url": f"{self.api}/repos/{repo.full_name}/git/blobs/{sha}",
            "size": len(data),
            "content": wrapped_base64(data),
            "encoding": "base64",
        }

    def short_blob(self, repo: Repo, sha: str) -> JSON:
        return {"sha": sha, "url": f"{self.api}/repos/{repo.full_name}/git/blobs/{sha}"}

    def content_file(self, repo: Repo, path: str, sha: str, data: bytes, ref: str) -> JSON:
        url = f"{self.api}/repos/{repo.full_name}/contents/{path}?ref={ref}"
        html = f"{self.web}/{repo.full_name}/blob/{ref}/{path}"
        git = f"{self.api}/repos/{repo.full_name}/git/blobs/{sha}"
        return {
            "type": "file",
            "encoding": "base64",
            "size": len(data),
            "name": path.rsplit("/", 1)[-1],
            "path": path,
            "content": wrapped_base64(data),
            "sha": sha,
            "url": url,
            "git_url": git,
            "html_url": html,
            "download_url": f"{self.web}/raw/{repo.full_name}/{ref}/{path}",
            "_links": {"self": url, "git": git, "html": html},
        }

    def content_item(self, repo: Repo, entry: TreeEntry, ref: str) -> JSON:
        kind = {"blob": "file", "tree": "dir", "commit": "submodule"}[entry.type]
        url = f"{self.api}/repos/{repo.full_name}/contents/{entry.name}?ref={ref}"
        html = f"{self.web}/{repo.full_name}/{'tree' if kind == 'dir' else 'blob'}/{ref}/{entry.name}"
        git = f"{self.api}/repos/{repo.full_name}/git/{'trees' if kind == 'dir' else 'blobs'}/{entry.sha}"
        size = len(repo.git.blobs.get(entry.sha, b"")) if kind == "file" else 0
        return {
            "type": kind,
            "size": size,
            "name": entry.name.rsplit("/", 1)[-1],
            "path": entry.name,
            "sha": entry.sha,
            "url": url,
            "git_url": git,
            "html_url": html,
            "download_url": None,
            "_links": {"self": url, "git": git, "html": html},
        }

    # -- issues ----------------------------------------------------------------------------

    def label(self, repo: Repo, label: Label) -> JSON:
        return {
            "id": label.id,
            "node_id": node_id("Label", label.id),
            "url": f"{self.api}/repos/{repo.full_name}/labels/{label.name}",
            "name": label.name,
            "description": label.description,
            "color": label.color,
            "default": False,
            "archived_at": None,
            "archived_by": None,
        }

    def reactions(self, url: str, reactions: list[Reaction]) -> JSON:
        counts: JSON = {"url": url, "total_count": len(reactions)}
        for content in REACTION_CONTENTS:
            counts[content] = sum(1 for r in reactions if r.content == content)
        return counts

    def reaction(self, reaction: Reaction) -> JSON:
        return {
            "id": reaction.id,
            "node_id": node_id("Reaction", reaction.id),
            "user": self.user(reaction.user),
            "content": reaction.content,
            "created_at": stamp(reaction.created_at),
        }

    def issue(self, repo: Repo, issue: Issue) -> JSON:
        url = f"{self.api}/repos/{repo.full_name}/issues/{issue.number}"
        kind = "pull" if issue.pull is not None else "issues"
        shape: JSON = {
            "id": issue.id,
            "node_id": node_id("Issue", issue.id),
            "url": url,
            "repository_url": f"{self.api}/repos/{repo.full_name}",
            "labels_url": f"{url}/labels{{/name}}",
            "comments_url": f"{url}/comments",
            "events_url": f"{url}/events",
            "html_url": f"{self.web}/{repo.full_name}/{kind}/{issue.number}",
            "number": issue.number,
            "state": issue.state,
            "state_reason": issue.state_reason,
            "title": issue.title,
            "body": issue.body,
            "user": self.user(issue.user),
            "labels": [self.label(repo, label) for name in issue.labels if (label := repo.label(name)) is not None],
            "assignee": None,
            "assignees": [],
            "milestone": None,
            "locked": False,
            "comments": repo.comment_count(issue.number),
            "closed_at": stamp(issue.closed_at),
            "created_at": stamp(issue.created_at),
            "updated_at": stamp(issue.updated_at),
            "author_association": "OWNER" if issue.user.login == repo.owner.login else "NONE",
            "reactions": self.reactions(f"{url}/reactions", issue.reactions),
        }
        if issue.pull is not None:
            pulls = f"{self.api}/repos/{repo.full_name}/pulls/{issue.number}"
            shape["pull_request"] = {
                "url": pulls,
                "html_url": shape["html_url"],
                "diff_url": f"{shape['html_url']}.diff",
                "patch_url": f"{shape['html_url']}.patch",
                "merged_at": stamp(issue.closed_at) if issue.pull.merged else None,
            }
        return shape

    def comment(self, repo: Repo, comment: Comment, app: App | None) -> JSON:
        url = f"{self.api}/repos/{repo.full_name}/issues/comments/{comment.id}"
        issue = repo.issues[comment.issue_number]
        kind = "pull" if issue.pull is not None else "issues"
        return {
            "id": comment.id,
            "node_id": node_id("IssueComment", comment.id),
            "url": url,
            "html_url": f"{self.web}/{repo.full_name}/{kind}/{comment.issue_number}#issuecomment-{comment.id}",
            "body": comment.body,
            "user": self.user(comment.user),
            "created_at": stamp(comment.created_at),
            "updated_at": stamp(comment.updated_at),
            "issue_url": f"{self.api}/repos/{repo.full_name}/issues/{comment.issue_number}",
            "author_association": "NONE",
            "performed_via_github_app": self.app(app) if comment.via_app and app is not None else None,
            "reactions": self.reactions(f"{url}/reactions", comment.reactions),
        }

    def collaborator_permission(self, repo: Repo, user: User, role: str) -> JSON:
        permission = ROLE_PERMISSION.get(role, "none")
        return {
            "permission": permission,
            "role_name": role,
            "user": {**self.user(user), "role_name": role},
        }

    # -- pull requests ---------------------------------------------------------------------

    def pull(self, repo: Repo, issue: Issue, full: bool) -> JSON:
        assert issue.pull is not None
        pull = issue.pull
        url = f"{self.api}/repos/{repo.full_name}/pulls/{issue.number}"
        issue_url = f"{self.api}/repos/{repo.full_name}/issues/{issue.number}"
        html = f"{self.web}/{repo.full_name}/pull/{issue.number}"
        repo_shape = self.repo(repo, full=False)
        shape: JSON = {
            "url": url,
            "id": issue.id,
            "node_id": node_id("PullRequest", issue.id),
            "html_url": html,
            "diff_url": f"{html}.diff",
            "patch_url": f"{html}.patch",
            "issue_url": issue_url,
            "commits_url": f"{url}/commits",
            "review_comments_url": f"{url}/comments",
            "review_comment_url": f"{self.api}/repos/{repo.full_name}/pulls/comments{{/number}}",
            "comments_url": f"{issue_url}/comments",
            "statuses_url": f"{self.api}/repos/{repo.full_name}/statuses/{pull.head_sha}",
            "number": issue.number,
            "state": issue.state,
            "locked": False,
            "title": issue.title,
            "user": self.user(issue.user),
            "body": issue.body,
            "labels": [self.label(repo, label) for name in issue.labels if (label := repo.label(name)) is not None],
            "milestone": None,
            "draft": pull.draft,
            "created_at": stamp(issue.created_at),
            "updated_at": stamp(issue.updated_at),
            "closed_at": stamp(issue.closed_at),
            "merged_at": stamp(issue.closed_at) if pull.merged else None,
            "merge_commit_sha": pull.merge_commit_sha,
            "assignee": None,
            "assignees": [],
            "requested_reviewers": [],
            "requested_teams": [],
            "head": {"label": f"{repo.owner.login}:{pull.head}", "ref": pull.head, "sha": pull.head_sha,
                     "repo": repo_shape, "user": self.user(repo.owner)},
            "base": {"label": f"{repo.owner.login}:{pull.base}", "ref": pull.base, "sha": pull.base_sha,
                     "repo": repo_shape, "user": self.user(repo.owner)},
            "_links": {name: {"href": href} for name, href in {
                "self": url, "html": html, "issue": issue_url, "comments": f"{issue_url}/comments",
                "review_comments": f"{url}/comments",
                "review_comment": f"{self.api}/repos/{repo.full_name}/pulls/comments{{/number}}",
                "commits": f"{url}/commits",
                "statuses": f"{self.api}/repos/{repo.full_name}/statuses/{pull.head_sha}",
            }.items()},
            "author_association": "NONE",
            "auto_merge": None,
        }
        if full:
            shape.update({
                "merged": pull.merged,
                "mergeable": None,
                "mergeable_state": "unknown",
                "merged_by": self.user(pull.merged_by) if pull.merged_by is not None else None,
                "comments": repo.comment_count(issue.number),
                "review_comments": len(repo.pull_review_comments(issue.number)),
                "maintainer_can_modify": False,
                "commits": 1,
                "additions": 0,
                "deletions": 0,
                "changed_files": 0,
            })
        return shape

    def association(self, repo: Repo, user: User) -> str:
        return "OWNER" if user.login == repo.owner.login else "NONE"

    def review(self, repo: Repo, review: Review) -> JSON:
        pull_url = f"{self.api}/repos/{repo.full_name}/pulls/{review.pull_number}"
        html = f"{self.web}/{repo.full_name}/pull/{review.pull_number}#pullrequestreview-{review.id}"
        return {
            "id": review.id,
            "node_id": node_id("PullRequestReview", review.id),
            "user": self.user(review.user),
            "body": review.body,
            "state": review.state,
            "html_url": html,
            "pull_request_url": pull_url,
            "_links": {"html": {"href": html}, "pull_request": {"href": pull_url}},
            "submitted_at": stamp(review.submitted_at),
            "commit_id": review.commit_id,
            "author_association": self.association(repo, review.user),
        }

    def review_comment(self, repo: Repo, comment: ReviewComment) -> JSON:
        """Both `PullRequestReviewComment` (pull's comments) and `ReviewComment` (a review's)."""
        url = f"{self.api}/repos/{repo.full_name}/pulls/comments/{comment.id}"
        pull_url = f"{self.api}/repos/{repo.full_name}/pulls/{comment.pull_number}"
        html = f"{self.web}/{repo.full_name}/pull/{comment.pull_number}#discussion_r{comment.id}"
        on_file = comment.line is None
        return {
            "url": url,
            "pull_request_review_id": comment.review_id,
            "id": comment.id,
            "node_id": node_id("PullRequestReviewComment", comment.id),
            "diff_hunk": "@@ -0,0 +1 @@" if on_file else f"@@ -{comment.line},1 +{comment.line},1 @@",
            "path": comment.path,
            "position": None if on_file else 1,
            "original_position": 1,
            "commit_id": comment.commit_id,
            "original_commit_id": comment.commit_id,
            "user": self.user(comment.user),
            "body": comment.body,
            "created_at": stamp(comment.created_at),
            "updated_at": stamp(comment.updated_at),
            "html_url": html,
            "pull_request_url": pull_url,
            "author_association": self.association(repo, comment.user),
            "_links": {"self": {"href": url}, "html": {"href": html}, "pull_request": {"href": pull_url}},
            "start_line": None,
            "original_start_line": None,
            "start_side": None,
            "line": comment.line,
            "original_line": comment.line,
            "side": "RIGHT",
            "subject_type": "file" if on_file else "line",
            "reactions": self.reactions(f"{url}/reactions", comment.reactions),
        }

    # -- checks ----------------------------------------------------------------------------

    def check_run(self, repo: Repo, run: CheckRun, app: App, pulls: list[Issue]) -> JSON:
        url = f"{self.api}/repos/{repo.full_name}/check-runs/{run.id}"
        return {
            "id": run.id,
            "head_sha": run.head_sha,
            "node_id": node_id("CheckRun", run.id),
            "external_id": run.external_id or "",
            "url": url,
            "html_url": f"{self.web}/{repo.full_name}/runs/{run.id}",
            "details_url": run.details_url or f"{self.web}/apps/{app.slug}",
            "status": run.status,
            "conclusion": run.conclusion,
            "started_at": stamp(run.started_at),
            "completed_at": stamp(run.completed_at),
            "output": {
                "title": run.title,
                "summary": run.summary,
                "text": run.text,
                "annotations_count": len(run.annotations),
                "annotations_url": f"{url}/annotations",
            },
            "name": run.name,
            "check_suite": {"id": run.id + 500_000},  # one suite per run is enough for planbot
            "app": self.app(app),
            "pull_requests": [self.pull_minimal(repo, issue) for issue in pulls],
        }

    def pull_minimal(self, repo: Repo, issue: Issue) -> JSON:
        assert issue.pull is not None
        mini_repo = {"id": repo.id, "url": f"{self.api}/repos/{repo.full_name}", "name": repo.name}
        return {
            "id": issue.id,
            "number": issue.number,
            "url": f"{self.api}/repos/{repo.full_name}/pulls/{issue.number}",
            "head": {"ref": issue.pull.head, "sha": issue.pull.head_sha, "repo": mini_repo},
            "base": {"ref": issue.pull.base, "sha": issue.pull.base_sha, "repo": mini_repo},
        }

    def annotation(self, repo: Repo, run: CheckRun, annotation: JSON) -> JSON:
        return {
            "path": annotation["path"],
            "start_line": annotation["start_line"],
            "end_line": annotation["end_line"],
            "start_column": annotation.get("start_column"),
            "end_column": annotation.get("end_column"),
            "annotation_level": annotation["annotation_level"],
            "title": annotation.get("title"),
            "message": annotation["message"],
            "raw_details": annotation.get("raw_details"),
            "blob_href": f"{self.web}/{repo.full_name}/blob/{run.head_sha}/{annotation['path']}",
        }


    # -- the app's webhook deliveries ------------------------------------------------------

    def hook_delivery_item(self, delivery: Delivery) -> JSON:
        """A `HookDeliveryItem`: one attempt as the delivery log lists it."""
        return {
            "id": delivery.id,
            "guid": delivery.guid,
            "delivered_at": stamp(delivery.delivered_at),
            "redelivery": delivery.redelivery,
            "duration": delivery.duration,
            "status": delivery.status,
            "status_code": delivery.status_code,
            "event": delivery.event,
            "action": delivery.action,
            "installation_id": delivery.installation_id,
            "repository_id": delivery.repository_id,
            "throttled_at": None,
        }

    def hook_delivery(self, delivery: Delivery) -> JSON:
        """A `HookDelivery`: the attempt with the request sent and the answer received (none
        when the request never reached the app)."""
        reached = delivery.status_code != 0
        return {
            **self.hook_delivery_item(delivery),
            "request": {"headers": dict(delivery.request_headers), "payload": delivery.payload},
            "response": {
                "headers": {"Content-Type": "application/json"} if reached else None,
                "payload": "" if reached else None,
            },
        }

def wrapped_base64(data: bytes) -> str:
    """Base64 in lines of 60 characters, the way GitHub sends file and blob contents."""
    text = base64.b64encode(data).decode()
    return "".join(text[i : i + 60] + "\n" for i in range(0, len(text), 60))


_REPO_LINKS = {
    "archive_url": "{archive_format}{/ref}",
    "assignees_url": "assignees{/user}",
    "blobs_url": "git/blobs{/sha}",
    "branches_url": "branches{/branch}",
    "collaborators_url": "collaborators{/collaborator}",
    "comments_url": "comments{/number}",
    "commits_url": "commits{/sha}",
    "compare_url": "compare/{base}...{head}",
    "contents_url": "contents/{+path}",
    "contributors_url": "contributors",
    "deployments_url": "deployments",
    "downloads_url": "downloads",
    "events_url": "events",
    "forks_url": "forks",
    "git_commits_url": "git/commits{/sha}",
    "git_refs_url": "git/refs{/sha}",
    "git_tags_url": "git/tags{/sha}",
    "hooks_url": "hooks",
    "issue_comment_url": "issues/comments{/number}",
    "issue_events_url": "issues/events{/number}",
    "issues_url": "issues{/number}",
    "keys_url": "keys{/key_id}",
    "labels_url": "labels{/name}",
    "languages_url": "languages",
    "merges_url": "merges",
    "milestones_url": "milestones{/number}",
    "notifications_url": "notifications{?since,all,participating}",
    "pulls_url": "pulls{/number}",
    "releases_url": "releases{/id}",
    "stargazers_url": "stargazers",
    "statuses_url": "statuses/{sha}",
    "subscribers_url": "subscribers",
    "subscription_url": "subscription",
    "tags_url": "tags",
    "teams_url": "teams",
    "trees_url": "git/trees{/sha}",
}
