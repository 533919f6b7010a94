"""The Git Data API: refs, commits, trees and blobs."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from tests.fakegithub.api.base import REPO, Handlers
from tests.fakegithub.gitstore import BLOB_MODES, COMMIT_MODE, TREE_MODE, GitDataError, Person, TreeEntry
from tests.fakegithub.routing import Call, HttpError, Reply, Router, invalid, not_found
from tests.fakegithub.state import Repo, now


class GitRoutes(Handlers):
    """Refs, commits, trees and blobs."""

    def register(self, router: Router) -> None:
        router.add("GET", f"{REPO}/git/ref/{{ref:path}}", self.get_ref)
        router.add("GET", f"{REPO}/git/matching-refs/{{ref:path}}", self.matching_refs)
        router.add("POST", f"{REPO}/git/refs", self.create_ref)
        router.add("PATCH", f"{REPO}/git/refs/{{ref:path}}", self.update_ref)
        router.add("DELETE", f"{REPO}/git/refs/{{ref:path}}", self.delete_ref)
        router.add("GET", f"{REPO}/git/commits/{{sha}}", self.get_commit)
        router.add("POST", f"{REPO}/git/commits", self.create_commit)
        router.add("GET", f"{REPO}/git/trees/{{sha:path}}", self.get_tree)
        router.add("POST", f"{REPO}/git/trees", self.create_tree)
        router.add("GET", f"{REPO}/git/blobs/{{sha}}", self.get_blob)
        router.add("POST", f"{REPO}/git/blobs", self.create_blob)

    def get_ref(self, call: Call) -> Reply:
        repo = self.repo(call)
        name = f"refs/{call.args['ref']}"
        if not repo.refs:
            raise HttpError(409, "Git Repository is empty.")
        if name not in repo.refs:
            raise not_found()
        return Reply(200, self.shapes.ref(repo, name, repo.refs[name]))

    def matching_refs(self, call: Call) -> Reply:
        repo = self.repo(call)
        prefix = f"refs/{call.args['ref']}"
        found = [self.shapes.ref(repo, name, sha) for name, sha in sorted(repo.refs.items()) if name.startswith(prefix)]
        return Reply(200, found)

    def create_ref(self, call: Call) -> Reply:
        repo = self.repo(call)
        body = call.json_object()
        name, sha = body.get("ref"), body.get("sha")
        if not isinstance(name, str) or not name.startswith("refs/") or name.count("/") < 2:
            raise invalid("Reference name must start with 'refs/' and have at least two slashes.")
        if not isinstance(sha, str) or sha not in repo.git.commits:
            raise invalid("Object does not exist")
        if name in repo.refs:
            raise invalid("Reference already exists")
        repo.refs[name] = sha
        return Reply(201, self.shapes.ref(repo, name, sha))

    def update_ref(self, call: Call) -> Reply:
        repo = self.repo(call)
        body = call.json_object()
        name = f"refs/{call.args['ref']}"
        sha, force = body.get("sha"), bool(body.get("force", False))
        if name not in repo.refs:
            raise invalid("Reference does not exist")
        if not isinstance(sha, str) or sha not in repo.git.commits:
            raise invalid("Object does not exist")
        if not force and not repo.git.is_ancestor(repo.refs[name], sha):
            raise invalid("Update is not a fast forward")
        repo.refs[name] = sha
        return Reply(200, self.shapes.ref(repo, name, sha))

    def delete_ref(self, call: Call) -> Reply:
        repo = self.repo(call)
        name = f"refs/{call.args['ref']}"
        if repo.refs.pop(name, None) is None:
            raise invalid("Reference does not exist")
        return Reply(204)

    def get_commit(self, call: Call) -> Reply:
        repo = self.repo(call)
        commit = repo.git.commits.get(call.args["sha"])
        if commit is None:
            raise not_found()
        return Reply(200, self.shapes.commit(repo, commit))

    def create_commit(self, call: Call) -> Reply:
        repo = self.repo(call)
        body = call.json_object()
        message, tree, parents = body.get("message"), body.get("tree"), body.get("parents", [])
        if not isinstance(message, str) or not isinstance(tree, str):
            raise invalid("Invalid request. \"message\" and \"tree\" are required.")
        if not isinstance(parents, list) or not all(isinstance(p, str) for p in parents):
            raise invalid("Invalid request. \"parents\" must be a list of commit ids.")
        author = self.person(body.get("author")) or self.actor_person(call)
        committer = self.person(body.get("committer")) or author
        try:
            sha = repo.git.put_commit(tree, parents, message, author, committer)
        except GitDataError as exc:
            raise invalid(str(exc)) from exc
        return Reply(201, self.shapes.commit(repo, repo.git.commits[sha]))

    @staticmethod
    def person(raw: Any) -> Person | None:
        if not isinstance(raw, dict):
            return None
        return Person(str(raw.get("name", "")), str(raw.get("email", "")), now())

    def get_tree(self, call: Call) -> Reply:
        repo = self.repo(call)
        name = call.args["sha"]
        sha = name if name in repo.git.trees else None
        if sha is None:
            try:
                sha = repo.git.commits[self.resolve(repo, name)].tree
            except HttpError:
                raise not_found() from None
        recursive = call.params.get("recursive") not in (None, "", "0", "false")
        entries = repo.git.walk(sha) if recursive else list(repo.git.trees[sha])
        truncated = recursive and self.options.tree_limit is not None and len(entries) > self.options.tree_limit
        if truncated:
            assert self.options.tree_limit is not None
            entries = entries[: self.options.tree_limit]
        return Reply(200, self.shapes.tree(repo, sha, entries, truncated))

    def create_tree(self, call: Call) -> Reply:
        repo = self.repo(call)
        body = call.json_object()
        base, items = body.get("base_tree"), body.get("tree")
        if not isinstance(items, list):
            raise invalid("Invalid tree info")
        if base is not None and base not in repo.git.trees:
            raise invalid(f"base_tree is not a valid tree oid: {base}")
        flat = repo.git.flatten(base) if base is not None else {}
        for item in items:
            self.apply_tree_item(repo, flat, item)
        sha = repo.git.build(flat)
        return Reply(201, self.shapes.tree(repo, sha, list(repo.git.trees[sha]), False))

    @staticmethod
    def check_path(path: Any) -> str:
        parts = path.split("/") if isinstance(path, str) else []
        if not parts or any(part in ("", ".", "..") for part in parts) or ".git" in parts:
            raise invalid("tree.path contains a malformed path component")
        return str(path)

    def apply_tree_item(self, repo: Repo, flat: dict[str, TreeEntry], item: Any) -> None:
        if not isinstance(item, dict):
            raise invalid("Invalid tree info")
        path = self.check_path(item.get("path"))
        mode, kind = item.get("mode"), item.get("type")
        has_sha, has_content = "sha" in item, "content" in item
        if has_sha == has_content:
            raise invalid("Must supply either tree.sha or tree.content, not both")
        if kind == "tree" and mode == TREE_MODE:
            inside = f"{path}/"
            for key in [k for k in flat if k == path or k.startswith(inside)]:
                del flat[key]
            if item["sha"] is None:
                return
            if item["sha"] not in repo.git.trees:
                raise invalid(f"tree.sha {item['sha']} is not a valid tree")
            for sub, entry in repo.git.flatten(item["sha"]).items():
                flat[f"{inside}{sub}"] = entry
            return
        if kind not in ("blob", "commit") or mode not in (*BLOB_MODES, COMMIT_MODE):
            raise invalid(f"tree.mode {mode!r} and tree.type {kind!r} do not match")
        if (kind == "commit") != (mode == COMMIT_MODE):
            raise invalid(f"tree.mode {mode!r} and tree.type {kind!r} do not match")
        if has_content:
            content = item["content"]
            if not isinstance(content, str):
                raise invalid("tree.content must be a string")
            sha = repo.git.put_blob(content.encode("utf-8"))
        else:
            sha = item["sha"]
            if sha is None:
                if path not in flat:
                    raise invalid(f"tree.path {path} does not exist in base_tree")
                del flat[path]
                return
            if kind == "blob" and sha not in repo.git.blobs:
                raise invalid(f"tree.sha {sha} is not a valid blob")
        for key in [k for k in flat if k.startswith(f"{path}/")]:
            del flat[key]  # a file replaces a folder of the same name
        parent = path.rsplit("/", 1)[0] if "/" in path else None
        while parent is not None:  # and a folder replaces a file of the same name
            flat.pop(parent, None)
            parent = parent.rsplit("/", 1)[0] if "/" in parent else None
        flat[path] = TreeEntry(path, mode, sha)

    def get_blob(self, call: Call) -> Reply:
        repo = self.repo(call)
        data = repo.git.blobs.get(call.args["sha"])
        if data is None:
            raise not_found()
        return Reply(200, self.shapes.blob(repo, call.args["sha"], data))

    def create_blob(self, call: Call) -> Reply:
        repo = self.repo(call)
        body = call.json_object()
        content, encoding = body.get("content"), body.get("encoding", "utf-8")
        if not isinstance(content, str):
            raise invalid("Invalid request. \"content\" is required.")
        if encoding == "base64":
            try:
                data = base64.b64decode(content, validate=False)
            except binascii.Error as exc:
                raise invalid("content is not valid Base64") from exc
        elif encoding in ("utf-8", "utf8"):
            data = content.encode("utf-8")
        else:
            raise invalid(f"encoding must be utf-8 or base64, not {encoding}")
        return Reply(201, self.shapes.short_blob(repo, repo.git.put_blob(data)))
