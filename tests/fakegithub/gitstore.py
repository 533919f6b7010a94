"""Git objects as GitHub stores them: blobs, trees and commits with real SHA-1 ids.

One `GitStore` per fake repository. Trees are kept flat in memory (path -> entry) only while a
tree is being built; stored trees are git trees, so ids match what `git hash-object` computes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

BLOB_MODES = frozenset({"100644", "100755", "120000"})
TREE_MODE = "040000"
COMMIT_MODE = "160000"


class GitDataError(ValueError):
    """A request names an object that does not exist or an entry that is not valid."""


def object_id(kind: str, payload: bytes) -> str:
    header = f"{kind} {len(payload)}\0".encode()
    return hashlib.sha1(header + payload).hexdigest()


def blob_id(data: bytes) -> str:
    return object_id("blob", data)


@dataclass(frozen=True)
class TreeEntry:
    name: str
    mode: str  # "100644", "100755", "120000", "040000" or "160000"
    sha: str

    @property
    def type(self) -> str:
        if self.mode == TREE_MODE:
            return "tree"
        if self.mode == COMMIT_MODE:
            return "commit"
        return "blob"

    def sort_key(self) -> bytes:
        # git orders a tree's entries by name, a sub-tree as if its name ended in "/"
        return (self.name + "/" if self.mode == TREE_MODE else self.name).encode()


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    date: datetime

    def signature(self) -> str:
        return f"{self.name} <{self.email}> {int(self.date.timestamp())} +0000"


@dataclass(frozen=True)
class Commit:
    sha: str
    tree: str
    parents: tuple[str, ...]
    message: str
    author: Person
    committer: Person


@dataclass
class GitStore:
    blobs: dict[str, bytes] = field(default_factory=dict)
    trees: dict[str, tuple[TreeEntry, ...]] = field(default_factory=dict)
    commits: dict[str, Commit] = field(default_factory=dict)

    # -- writing ---------------------------------------------------------------------------

    def put_blob(self, data: bytes) -> str:
        sha = blob_id(data)
        self.blobs[sha] = data
        return sha

    def put_tree(self, entries: list[TreeEntry]) -> str:
        ordered = tuple(sorted(entries, key=TreeEntry.sort_key))
        payload = b"".join(
            f"{entry.mode.lstrip('0')} {entry.name}".encode() + b"\0" + bytes.fromhex(entry.sha)
            for entry in ordered
        )
        sha = object_id("tree", payload)
        self.trees[sha] = ordered
        return sha

    def put_commit(self, tree: str, parents: list[str], message: str, author: Person, committer: Person) -> str:
        if tree not in self.trees:
            raise GitDataError(f"Tree SHA does not exist: {tree}")
        for parent in parents:
            if parent not in self.commits:
                raise GitDataError(f"Parent SHA does not exist or is not a commit object: {parent}")
        lines = [f"tree {tree}", *(f"parent {p}" for p in parents)]
        lines += [f"author {author.signature()}", f"committer {committer.signature()}", "", message]
        sha = object_id("commit", "\n".join(lines).encode())
        self.commits[sha] = Commit(sha, tree, tuple(parents), message, author, committer)
        return sha

    # -- reading ---------------------------------------------------------------------------

    def flatten(self, tree: str, prefix: str = "") -> dict[str, TreeEntry]:
        """Every non-tree entry under `tree`, keyed by full path (entry names are full paths)."""
        found: dict[str, TreeEntry] = {}
        for entry in self.trees[tree]:
            path = f"{prefix}{entry.name}"
            if entry.mode == TREE_MODE:
                found.update(self.flatten(entry.sha, f"{path}/"))
            else:
                found[path] = TreeEntry(path, entry.mode, entry.sha)
        return found

    def walk(self, tree: str, prefix: str = "") -> list[TreeEntry]:
        """Every entry under `tree`, trees included, depth first, with full paths."""
        listed: list[TreeEntry] = []
        for entry in self.trees[tree]:
            path = f"{prefix}{entry.name}"
            listed.append(TreeEntry(path, entry.mode, entry.sha))
            if entry.mode == TREE_MODE:
                listed.extend(self.walk(entry.sha, f"{path}/"))
        return listed

    def build(self, flat: dict[str, TreeEntry]) -> str:
        """Store the nested trees for a flat path -> entry map and return the root tree id."""
        files: dict[str, TreeEntry] = {}
        folders: dict[str, dict[str, TreeEntry]] = {}
        for path, entry in flat.items():
            head, sep, rest = path.partition("/")
            if sep:
                folders.setdefault(head, {})[rest] = TreeEntry(rest, entry.mode, entry.sha)
            else:
                files[head] = TreeEntry(head, entry.mode, entry.sha)
        entries = list(files.values())
        for name, content in folders.items():
            entries.append(TreeEntry(name, TREE_MODE, self.build(content)))
        return self.put_tree(entries)

    def is_ancestor(self, ancestor: str, descendant: str) -> bool:
        pending = [descendant]
        seen: set[str] = set()
        while pending:
            sha = pending.pop()
            if sha == ancestor:
                return True
            if sha in seen or sha not in self.commits:
                continue
            seen.add(sha)
            pending.extend(self.commits[sha].parents)
        return False

    def lookup(self, tree: str, path: str) -> TreeEntry | None:
        """The entry at `path` below `tree` (a root entry for an empty path is not returned)."""
        current = tree
        parts = [part for part in path.split("/") if part]
        for index, part in enumerate(parts):
            entry = next((e for e in self.trees.get(current, ()) if e.name == part), None)
            if entry is None:
                return None
            if index == len(parts) - 1:
                return entry
            if entry.mode != TREE_MODE:
                return None
            current = entry.sha
        return None
