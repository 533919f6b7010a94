"""Comparing two commits: how far apart they are and which files differ."""

from __future__ import annotations

import difflib

from tests.fakegithub.api.base import REPO, Handlers
from tests.fakegithub.gitstore import Commit, GitStore
from tests.fakegithub.routing import Call, HttpError, Reply, Router, not_found
from tests.fakegithub.shapes import JSON
from tests.fakegithub.state import Repo, User

MAX_COMPARED_COMMITS = 250  # GitHub lists at most this many commits in a comparison


def ancestors(git: GitStore, sha: str) -> set[str]:
    """`sha` and every commit it descends from."""
    seen: set[str] = set()
    pending = [sha]
    while pending:
        current = pending.pop()
        if current in seen or current not in git.commits:
            continue
        seen.add(current)
        pending.extend(git.commits[current].parents)
    return seen


def merge_base(git: GitStore, base: str, head: str) -> str | None:
    """The nearest commit both descend from (breadth first from `head`)."""
    of_base = ancestors(git, base)
    queue, seen = [head], set()
    while queue:
        current = queue.pop(0)
        if current in of_base:
            return current
        if current in seen or current not in git.commits:
            continue
        seen.add(current)
        queue.extend(git.commits[current].parents)
    return None


def line_changes(old: bytes, new: bytes) -> tuple[int, int]:
    """(added, deleted) lines between two versions of a file."""
    before = old.decode("utf-8", "replace").splitlines()
    after = new.decode("utf-8", "replace").splitlines()
    added = deleted = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag in ("replace", "delete"):
            deleted += i2 - i1
        if tag in ("replace", "insert"):
            added += j2 - j1
    return added, deleted


class CompareRoutes(Handlers):
    """`GET /repos/{owner}/{repo}/compare/{base}...{head}`."""

    def register(self, router: Router) -> None:
        router.add("GET", f"{REPO}/compare/{{basehead:path}}", self.compare)

    def side(self, repo: Repo, name: str) -> str:
        ref = name.rpartition(":")[2]  # `owner:branch` names a branch of this repository here
        try:
            return self.resolve(repo, ref)
        except HttpError:
            raise not_found() from None

    def compare(self, call: Call) -> Reply:
        repo = self.repo(call)
        base_name, dots, head_name = call.args["basehead"].partition("...")
        if not dots:
            raise not_found()
        base, head = self.side(repo, base_name), self.side(repo, head_name)
        git = repo.git
        common = merge_base(git, base, head)
        if common is None:
            raise HttpError(404, f"No common ancestor between {base_name} and {head_name}.")
        of_base, of_head = ancestors(git, base), ancestors(git, head)
        ahead = [sha for sha in self.history(git, head) if sha not in of_base]
        behind = len(of_base - of_head)
        status = "identical" if not ahead and not behind else "ahead" if not behind else \
            "behind" if not ahead else "diverged"
        html = f"{self.shapes.web}/{repo.full_name}/compare/{base_name}...{head_name}"
        return Reply(200, {
            "url": f"{self.shapes.api}/repos/{repo.full_name}/compare/{base_name}...{head_name}",
            "html_url": html,
            "permalink_url": f"{self.shapes.web}/{repo.full_name}/compare/{base}...{head}",
            "diff_url": f"{html}.diff",
            "patch_url": f"{html}.patch",
            "base_commit": self.commit_json(repo, git.commits[base]),
            "merge_base_commit": self.commit_json(repo, git.commits[common]),
            "status": status,
            "ahead_by": len(ahead),
            "behind_by": behind,
            "total_commits": len(ahead),
            "commits": [self.commit_json(repo, git.commits[sha]) for sha in reversed(ahead)][:MAX_COMPARED_COMMITS],
            "files": self.files(repo, git.commits[common], git.commits[head], head),
        })

    @staticmethod
    def history(git: GitStore, head: str) -> list[str]:
        """`head` and its ancestors, newest first (depth first, first parents before others)."""
        ordered: list[str] = []
        seen: set[str] = set()
        pending = [head]
        while pending:
            sha = pending.pop()
            if sha in seen or sha not in git.commits:
                continue
            seen.add(sha)
            ordered.append(sha)
            pending.extend(reversed(git.commits[sha].parents))
        return ordered

    def person(self, name: str) -> User | None:
        return self.world.users.get(name.lower())

    def commit_json(self, repo: Repo, commit: Commit) -> JSON:
        author, committer = self.person(commit.author.name), self.person(commit.committer.name)
        return self.shapes.repo_commit(repo, commit, author, committer)

    def files(self, repo: Repo, old: Commit, new: Commit, ref: str) -> list[JSON]:
        git = repo.git
        before, after = git.flatten(old.tree), git.flatten(new.tree)
        listed: list[JSON] = []
        for path in sorted(before.keys() | after.keys()):
            old_entry, new_entry = before.get(path), after.get(path)
            if old_entry is not None and new_entry is not None and old_entry.sha == new_entry.sha:
                continue
            old_data = git.blobs.get(old_entry.sha, b"") if old_entry is not None else b""
            new_data = git.blobs.get(new_entry.sha, b"") if new_entry is not None else b""
            added, deleted = line_changes(old_data, new_data)
            status = "added" if old_entry is None else "removed" if new_entry is None else "modified"
            shown = new_entry if new_entry is not None else old_entry
            assert shown is not None
            listed.append(self.shapes.diff_entry(repo, path, status, shown.sha, ref, added, deleted))
        return listed
