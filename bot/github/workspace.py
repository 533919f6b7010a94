"""`GitHubWorkspace`: the engine's workspace port over GitHub's Git Data API.

- `paths()` lists one revision with a single recursive tree request (walking sub-trees only when
  GitHub truncates a very large listing); file contents are fetched lazily, once per blob.
- `commit()` writes every file as ONE commit: a tree with inline contents on top of the branch's
  tree, a commit, then a new ref (a new branch, from the workspace's current revision) or a
  fast-forward of the branch. It is idempotent: when the branch already holds exactly these
  files, the branch's head is returned and nothing is written.

After a commit the workspace reads the committed revision, as a local work tree would.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from githubkit.exception import GitHubException, RequestFailed
from pydantic import BaseModel

from bot.github.client import Installation
from bot.github.refs import branch_name_problem
from bot.github.retry import create_once, outcome_unknown

FILE_MODE = "100644"
BLOB_MODES = frozenset({"100644", "100755"})
COMMIT_ATTEMPTS = 3  # the branch may move under us (a person pushes); start over this often


class WorkspaceError(RuntimeError):
    """The repository or branch is not in a state planbot can read or commit in."""


class BranchTaken(WorkspaceError):
    """The branch a plan meant to start already holds somebody else's commits."""

    def __init__(self, branch: str) -> None:
        super().__init__(f"branch {branch} already holds another plan's or a person's commits")
        self.branch = branch


class TreeItem(BaseModel):
    path: str
    mode: str
    type: str  # blob, tree or commit (a submodule)
    sha: str


def git_blob_id(text: str) -> str:
    """The id git gives a blob holding `text` (UTF-8), as GitHub computes it."""
    data = text.encode("utf-8")
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def ref_path(branch: str) -> str:
    """`heads/<branch>` for a URL path, with characters such as `%` escaped."""
    return f"heads/{quote(branch, safe='/')}"


def check_path(path: str) -> str:
    parts = path.split("/")
    if not path or path.startswith("/") or any(p in ("", ".", "..") for p in parts) or ".git" in parts:
        raise WorkspaceError(f"refusing to write {path!r}: not a plain path inside the repository")
    return path


class GitHubWorkspace:
    """A repository on GitHub as the engine's `Workspace` (sync; one revision at a time)."""

    def __init__(self, inst: Installation, owner: str, repo: str, ref: str | None = None) -> None:
        self.inst = inst
        self.owner = owner
        self.repo = repo
        self._ref = ref  # a branch name or a commit id; None: the default branch
        self._head: str | None = None  # the commit the workspace reads
        self._default_branch: str | None = None
        self._private: bool | None = None
        self._listings: dict[str, dict[str, TreeItem]] = {}  # commit id -> path -> item
        self._trees_of: dict[str, str] = {}  # commit id -> tree id
        self._blobs: dict[str, bytes] = {}

    # -- revision --------------------------------------------------------------------------

    @property
    def default_branch(self) -> str:
        if self._default_branch is None:
            self._read_repository()
        assert self._default_branch is not None
        return self._default_branch

    @property
    def private(self) -> bool:
        if self._private is None:
            self._read_repository()
        return bool(self._private)

    def _read_repository(self) -> None:
        data = self.inst.gh.rest.repos.get(self.owner, self.repo).parsed_data
        self._default_branch, self._private = data.default_branch, data.private

    @property
    def ref(self) -> str:
        return self._ref or self.default_branch

    def branch_head(self, branch: str) -> str | None:
        """The commit a branch points at, or None when there is no such branch."""
        try:
            data = self.inst.gh.rest.git.get_ref(self.owner, self.repo, ref_path(branch)).parsed_data
        except RequestFailed as exc:
            if exc.response.status_code in (404, 409):  # 409: the repository is empty
                return None
            raise
        return data.object_.sha

    def head(self) -> str:
        """The commit this workspace reads."""
        if self._head is None:
            full_sha = self._ref is not None and len(self._ref) == 40 and all(c in "0123456789abcdef" for c in self._ref)
            sha = None if full_sha else self.branch_head(self.ref)
            if sha is None and self._ref is not None and self._is_commit(self._ref):
                sha = self._ref
            if sha is None:
                raise WorkspaceError(f"{self.owner}/{self.repo} has no branch {self.ref} (is it empty?)")
            self._head = sha
        return self._head

    def _is_commit(self, sha: str) -> bool:
        try:
            self.inst.gh.rest.git.get_commit(self.owner, self.repo, sha)
        except RequestFailed as exc:
            if exc.response.status_code in (404, 422):
                return False
            raise
        return True

    def tree_of(self, commit: str) -> str:
        if commit not in self._trees_of:
            data = self.inst.gh.rest.git.get_commit(self.owner, self.repo, commit).parsed_data
            self._trees_of[commit] = data.tree.sha
        return self._trees_of[commit]

    def listing(self, commit: str) -> dict[str, TreeItem]:
        """Every entry (files, folders, submodules) of a commit, by path."""
        if commit not in self._listings:
            tree = self.tree_of(commit)
            data = self.inst.gh.rest.git.get_tree(self.owner, self.repo, tree, recursive="1").parsed_data
            if data.truncated:
                items = self._walk(tree, "")
            else:
                items = [TreeItem(path=e.path, mode=e.mode, type=e.type, sha=e.sha) for e in data.tree]
            self._listings[commit] = {item.path: item for item in items}
        return self._listings[commit]

    def _walk(self, tree: str, prefix: str) -> list[TreeItem]:
        """A tree listed level by level (for trees too large for one recursive listing)."""
        data = self.inst.gh.rest.git.get_tree(self.owner, self.repo, tree).parsed_data
        items: list[TreeItem] = []
        for entry in data.tree:
            item = TreeItem(path=f"{prefix}{entry.path}", mode=entry.mode, type=entry.type, sha=entry.sha)
            items.append(item)
            if item.type == "tree":
                items.extend(self._walk(item.sha, f"{item.path}/"))
        return items

    def messages_ahead(self, branch: str) -> list[str]:
        """The messages of the commits `branch` holds that the default branch does not."""
        data = self.inst.gh.rest.repos.compare_commits(
            self.owner, self.repo, f"{self.default_branch}...{branch}").parsed_data
        return [commit.commit.message for commit in data.commits]

    # -- FileSource ------------------------------------------------------------------------

    def paths(self) -> list[str]:
        return sorted(path for path, item in self.listing(self.head()).items() if item.type == "blob")

    def read_bytes(self, path: str) -> bytes | None:
        item = self.listing(self.head()).get(path)
        if item is None or item.type != "blob" or item.mode not in BLOB_MODES:
            return None  # missing, a folder, a submodule or a symbolic link
        if item.sha not in self._blobs:
            blob = self.inst.gh.rest.git.get_blob(self.owner, self.repo, item.sha).parsed_data
            if blob.encoding != "base64":
                raise WorkspaceError(f"GitHub sent {path} as {blob.encoding}, not base64")
            self._blobs[item.sha] = base64.b64decode(blob.content)
        return self._blobs[item.sha]

    def read_text(self, path: str) -> str | None:
        data = self.read_bytes(path)
        if data is None:
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return None

    # -- Workspace -------------------------------------------------------------------------

    def branches(self) -> list[str]:
        try:
            refs = list(self.inst.gh.rest.paginate(self.inst.gh.rest.git.list_matching_refs, owner=self.owner,
                                              repo=self.repo, ref="heads/"))
        except RequestFailed as exc:
            if exc.response.status_code == 409:  # an empty repository has no branches
                return []
            raise
        return sorted(ref.ref.removeprefix("refs/heads/") for ref in refs)

    def commit(self, branch: str, files: Mapping[str, str], message: str, *, claim: str | None = None) -> str:
        """Write `files` on `branch` as one commit; see the module docstring.

        With `claim` (a line such as `Refs #12`) the branch is one this commit starts: when it
        exists already, a commit it holds beyond the default branch must carry that line, else
        `BranchTaken` is raised and nothing is written (two plans never share a branch, even
        when both try to create it at the same moment)."""
        problem = branch_name_problem(branch)
        if problem is not None:
            raise WorkspaceError(f"refusing to commit to {branch!r}: {problem}")
        if not files:
            raise WorkspaceError("nothing to commit: no files given")
        for path in files:
            check_path(path)
        for _ in range(COMMIT_ATTEMPTS):
            done = self._try_commit(branch, files, message, claim)
            if done is not None:
                self._ref, self._head = branch, done
                return done
        raise WorkspaceError(f"branch {branch} kept moving while planbot committed to it; try again later")

    def unchanged(self, commit: str, files: Mapping[str, str]) -> bool:
        """Does `commit` already hold exactly these files?"""
        listing = self.listing(commit)
        for path, text in files.items():
            item = listing.get(path)
            if item is None or item.type != "blob" or item.sha != git_blob_id(text):
                return False
        return True

    def _try_commit(self, branch: str, files: Mapping[str, str], message: str, claim: str | None) -> str | None:
        """One attempt; None when the branch moved and the attempt must start over."""
        head = self.branch_head(branch)
        if head is not None and self.unchanged(head, files):
            return head
        if head is not None and claim is not None and not any(
            claim in message.splitlines() for message in self.messages_ahead(branch)
        ):
            raise BranchTaken(branch)
        base = head if head is not None else self.head()
        listing = self.listing(base)
        entries: list[dict[str, Any]] = []
        for path, text in files.items():
            existing = listing.get(path)
            mode = existing.mode if existing is not None and existing.mode in BLOB_MODES else FILE_MODE
            entries.append({"path": path, "mode": mode, "type": "blob", "content": text})
        gh = self.inst.gh.rest.git
        tree = gh.create_tree(self.owner, self.repo, base_tree=self.tree_of(base), tree=entries).parsed_data
        commit = gh.create_commit(self.owner, self.repo, message=message, tree=tree.sha, parents=[base]).parsed_data
        self._trees_of[commit.sha] = tree.sha
        if head is None:
            return self._create_branch(branch, commit.sha)
        return self._fast_forward(branch, commit.sha)

    def _create_branch(self, branch: str, sha: str) -> str | None:
        def made() -> str | None:
            return sha if self.branch_head(branch) == sha else None

        def create() -> str:
            self.inst.gh.rest.git.create_ref(self.owner, self.repo, ref=f"refs/heads/{branch}", sha=sha)
            return sha

        try:
            return create_once(made, create, policy=self.inst.retry)
        except RequestFailed as exc:
            if exc.response.status_code == 422 and self.branch_head(branch) is not None:
                return made()  # created meanwhile, by us (an answer lost) or by someone else
            raise

    def _fast_forward(self, branch: str, sha: str) -> str | None:
        try:
            self.inst.gh.rest.git.update_ref(self.owner, self.repo, ref_path(branch), sha=sha, force=False)
        except GitHubException as exc:
            current = self.branch_head(branch)
            if current == sha:
                return sha  # the update was made; its answer was lost
            if isinstance(exc, RequestFailed) and exc.response.status_code == 422:
                return None  # not a fast-forward any more: someone pushed; start over on the new head
            if outcome_unknown(exc):
                raise WorkspaceError(f"could not move {branch} (GitHub failed: {exc!r})") from exc
            raise
        return sha
