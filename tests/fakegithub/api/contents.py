"""Repositories and file contents."""

from __future__ import annotations

from tests.fakegithub.api.base import REPO, Handlers
from tests.fakegithub.gitstore import COMMIT_MODE, TREE_MODE, TreeEntry
from tests.fakegithub.routing import Call, Reply, Router, not_found


class ContentRoutes(Handlers):
    """`GET /repos/{o}/{r}` and the contents API."""

    def register(self, router: Router) -> None:
        router.add("GET", REPO, self.get_repo)
        router.add("GET", f"{REPO}/contents", self.get_contents)
        router.add("GET", f"{REPO}/contents/{{path:path}}", self.get_contents)

    def get_repo(self, call: Call) -> Reply:
        return Reply(200, self.shapes.repo(self.repo(call)))

    def get_contents(self, call: Call) -> Reply:
        repo = self.repo(call)
        ref = call.params.get("ref") or repo.default_branch
        commit = repo.git.commits[self.resolve(repo, ref)]
        path = call.args.get("path", "").strip("/")
        if not path:
            entries = [TreeEntry(e.name, e.mode, e.sha) for e in repo.git.trees[commit.tree]]
            return Reply(200, [self.shapes.content_item(repo, e, ref) for e in entries])
        entry = repo.git.lookup(commit.tree, path)
        if entry is None:
            raise not_found()
        if entry.mode == TREE_MODE:
            entries = [TreeEntry(f"{path}/{e.name}", e.mode, e.sha) for e in repo.git.trees[entry.sha]]
            return Reply(200, [self.shapes.content_item(repo, e, ref) for e in entries])
        if entry.mode == COMMIT_MODE:
            return Reply(200, self.shapes.content_item(repo, TreeEntry(path, entry.mode, entry.sha), ref))
        data = repo.git.blobs[entry.sha]
        return Reply(200, self.shapes.content_file(repo, path, entry.sha, data, ref))
