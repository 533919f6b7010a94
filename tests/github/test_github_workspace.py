"""`GitHubWorkspace`: the engine's workspace port over the Git Data API."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from bot.github.client import Installation
from bot.github.workspace import BranchTaken, GitHubWorkspace, WorkspaceError, git_blob_id
from bot.planning.ports import Workspace
from tests.fakegithub import FakeGitHub
from tests.fakegithub.fixtures import OWNER

REPO = "shop"
FILES = {
    "README.md": "# shop\n",
    "pyproject.toml": "[project]\nname = 'shop'\n",
    "specs/001-cart/spec.md": "# Cart\n",
    "src/shop/__init__.py": "",
    "assets/logo.png": "\x89PNG\r\n",
}
PLAN = {
    "specs/002-login/spec.md": "# Login\n",
    "specs/002-login/plan.md": "# Plan\n",
    "specs/002-login/tasks.md": "- [ ] T001 Set up\n",
    ".specify/memory/technical-decisions-log.json": "[]\n",
}


@pytest.fixture
def shop(fake_github: FakeGitHub) -> FakeGitHub:
    fake_github.add_repo(OWNER, REPO, default_branch="trunk", files={**FILES, "assets/logo.png": b"\x89PNG\xff\x00"})
    return fake_github


def workspace(inst: Installation, ref: str | None = None) -> Workspace:
    return GitHubWorkspace(inst, OWNER, REPO, ref)


def writes(fake: FakeGitHub) -> list[tuple[str, str]]:
    return [(r.method, r.path.removeprefix(f"/repos/{OWNER}/{REPO}")) for r in fake.writes()]


def test_paths_come_from_one_recursive_listing_and_files_are_read_once(shop: FakeGitHub, inst: Installation) -> None:
    ws = workspace(inst)

    assert ws.paths() == sorted(FILES)
    assert ws.read_text("specs/001-cart/spec.md") == "# Cart\n"
    assert ws.read_text("specs/001-cart/spec.md") == "# Cart\n"
    assert ws.read_text("assets/logo.png") is None  # not UTF-8 text
    assert ws.read_text("specs") is None and ws.read_text("missing.md") is None

    assert len(shop.requests("GET", r".*/git/trees/.*")) == 1
    assert len(shop.requests("GET", r".*/git/blobs/.*")) == 2  # the spec once, the image once


def test_a_truncated_listing_is_walked_folder_by_folder(shop: FakeGitHub, inst: Installation) -> None:
    shop.set_tree_limit(3)
    assert workspace(inst).paths() == sorted(FILES)


def test_branches_and_reading_another_ref(shop: FakeGitHub, inst: Installation) -> None:
    shop.push(OWNER, REPO, "001-cart", {"specs/001-cart/plan.md": "# Cart plan\n"})
    head = shop.branch(OWNER, REPO, "001-cart")
    assert head is not None

    assert workspace(inst).branches() == ["001-cart", "trunk"]
    assert workspace(inst, "001-cart").read_text("specs/001-cart/plan.md") == "# Cart plan\n"
    assert workspace(inst, head).read_text("specs/001-cart/plan.md") == "# Cart plan\n"
    assert workspace(inst).read_text("specs/001-cart/plan.md") is None
    with pytest.raises(WorkspaceError, match="no branch nope"):
        workspace(inst, "nope").paths()


def test_a_new_branch_gets_all_files_in_one_commit(shop: FakeGitHub, inst: Installation) -> None:
    ws = workspace(inst)
    base = shop.branch(OWNER, REPO, "trunk")

    sha = ws.commit("002-login", PLAN, "Plan 002-login")

    assert shop.branch(OWNER, REPO, "002-login") == sha
    assert shop.commit(OWNER, REPO, sha).parents == (base,)
    assert shop.commit(OWNER, REPO, sha).message == "Plan 002-login"
    files = shop.files(OWNER, REPO, "002-login")
    assert {p: files[p].decode() for p in PLAN} == PLAN and set(files) == set(FILES) | set(PLAN)
    assert writes(shop) == [("POST", "/git/trees"), ("POST", "/git/commits"), ("POST", "/git/refs")]
    assert ws.read_text("specs/002-login/plan.md") == "# Plan\n"  # the workspace reads its commit
    assert shop.branch(OWNER, REPO, "trunk") == base


def test_committing_the_same_files_again_writes_nothing(shop: FakeGitHub, inst: Installation) -> None:
    first = workspace(inst).commit("002-login", PLAN, "Plan 002-login")
    shop.clear_requests()

    again = workspace(inst).commit("002-login", PLAN, "Plan 002-login")

    assert again == first and shop.writes() == []


def test_an_existing_branch_is_fast_forwarded(shop: FakeGitHub, inst: Installation) -> None:
    first = workspace(inst).commit("002-login", PLAN, "Plan 002-login")
    person = shop.push(OWNER, REPO, "002-login", {"notes.md": "from a person\n"})
    shop.clear_requests()

    second = workspace(inst).commit("002-login", {"specs/002-login/plan.md": "# Plan v2\n"}, "Re-plan")

    assert shop.commit(OWNER, REPO, second).parents == (person,)
    history = [c.sha for c in shop.history(OWNER, REPO, "002-login")]
    assert history[:3] == [second, person, first]
    files = shop.files(OWNER, REPO, "002-login")
    assert files["specs/002-login/plan.md"] == b"# Plan v2\n" and files["notes.md"] == b"from a person\n"
    assert writes(shop)[-1] == ("PATCH", "/git/refs/heads/002-login")


def test_a_claimed_branch_that_holds_someone_elses_commits_is_refused(shop: FakeGitHub, inst: Installation) -> None:
    person = shop.push(OWNER, REPO, "002-login", {"notes.md": "a person's work\n"}, message="Start login")
    shop.clear_requests()

    with pytest.raises(BranchTaken) as refused:
        workspace(inst).commit("002-login", PLAN, "Plan 002-login\n\nRefs #7", claim="Refs #7")

    assert refused.value.branch == "002-login"
    assert shop.branch(OWNER, REPO, "002-login") == person and shop.writes() == []


def test_a_claimed_branch_that_holds_the_plans_own_commit_is_committed_on(shop: FakeGitHub, inst: Installation) -> None:
    first = workspace(inst).commit("002-login", PLAN, "Plan 002-login\n\nRefs #7", claim="Refs #7")
    person = shop.push(OWNER, REPO, "002-login", {"notes.md": "review notes\n"}, message="Notes")

    again = workspace(inst).commit("002-login", {"specs/002-login/plan.md": "# Plan v2\n"}, "Re-plan\n\nRefs #7",
                                   claim="Refs #7")

    assert shop.commit(OWNER, REPO, again).parents == (person,)
    assert [c.sha for c in shop.history(OWNER, REPO, "002-login")][:3] == [again, person, first]
    with pytest.raises(BranchTaken):  # "Refs #71" is another issue, not #7
        workspace(inst).commit("002-login", {"x.md": "x\n"}, "Plan\n\nRefs #71", claim="Refs #71")


class PushingWorkspace(GitHubWorkspace):
    """Someone pushes to the branch between planbot's commit and its ref update, once."""

    def __init__(self, inst: Installation, fake: FakeGitHub) -> None:
        super().__init__(inst, OWNER, REPO)
        self.fake = fake
        self.pushed = False

    def _fast_forward(self, branch: str, sha: str) -> str | None:
        if not self.pushed:
            self.pushed = True
            self.fake.push(OWNER, REPO, branch, {"notes.md": "pushed meanwhile\n"})
        return super()._fast_forward(branch, sha)


def test_a_push_during_the_commit_is_kept_and_the_commit_is_rebuilt_on_it(
    shop: FakeGitHub, inst: Installation
) -> None:
    workspace(inst).commit("002-login", PLAN, "Plan 002-login")
    ws = PushingWorkspace(inst, shop)

    sha = ws.commit("002-login", {"specs/002-login/plan.md": "# Plan v2\n"}, "Re-plan")

    files = shop.files(OWNER, REPO, "002-login")
    assert shop.branch(OWNER, REPO, "002-login") == sha
    assert files["notes.md"] == b"pushed meanwhile\n" and files["specs/002-login/plan.md"] == b"# Plan v2\n"
    assert [r.status for r in shop.requests("PATCH")] == [422, 200]


def test_a_lost_answer_to_the_branch_creation_is_not_a_failure(shop: FakeGitHub, inst: Installation) -> None:
    shop.fail(rf"/repos/{OWNER}/{REPO}/git/refs", "POST", status=502, after=True)

    sha = workspace(inst).commit("002-login", PLAN, "Plan 002-login")

    assert shop.branch(OWNER, REPO, "002-login") == sha
    assert [r.status for r in shop.requests("POST", r".*/git/refs")] == [502]
    assert len(shop.history(OWNER, REPO, "002-login")) == 2


def test_a_failed_branch_creation_is_tried_again(shop: FakeGitHub, inst: Installation) -> None:
    shop.fail(rf"/repos/{OWNER}/{REPO}/git/refs", "POST", status=502)

    sha = workspace(inst).commit("002-login", PLAN, "Plan 002-login")

    assert shop.branch(OWNER, REPO, "002-login") == sha
    assert [r.status for r in shop.requests("POST", r".*/git/refs")] == [502, 201]


def test_git_object_writes_are_retried_by_the_client(shop: FakeGitHub, inst: Installation) -> None:
    shop.fail(rf"/repos/{OWNER}/{REPO}/git/trees", "POST", status=500)
    shop.fail(rf"/repos/{OWNER}/{REPO}/git/commits", "POST", status=502)

    sha = workspace(inst).commit("002-login", PLAN, "Plan 002-login")

    assert shop.branch(OWNER, REPO, "002-login") == sha


@pytest.mark.parametrize("path", ["/etc/passwd", "../up.md", "specs//x.md", ".git/config", "a/./b.md", ""])
def test_paths_outside_the_repository_are_refused(shop: FakeGitHub, inst: Installation, path: str) -> None:
    with pytest.raises(WorkspaceError, match="refusing to write"):
        workspace(inst).commit("002-login", {path: "x"}, "nope")
    assert shop.writes() == []


def test_nothing_to_commit_is_an_error(inst: Installation, shop: FakeGitHub) -> None:
    files: Mapping[str, str] = {}
    with pytest.raises(WorkspaceError, match="nothing to commit"):
        workspace(inst).commit("002-login", files, "empty")


def test_blob_ids_match_git() -> None:
    assert git_blob_id("hi") == "32f95c0d1244a78b2be1bab8de17906fabb2c4a8"
    assert git_blob_id("") == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"


def test_branch_names_that_need_escaping_in_urls(shop: FakeGitHub, inst: Installation) -> None:
    name = "plan/fix-50%+x@y"
    first = workspace(inst).commit(name, PLAN, "Plan")
    second = workspace(inst).commit(name, {"specs/002-login/plan.md": "# v2\n"}, "Re-plan")

    assert shop.branch(OWNER, REPO, name) == second
    assert shop.commit(OWNER, REPO, second).parents == (first,)
    assert name in workspace(inst).branches()


@pytest.mark.parametrize("name", ["", "fix#12", "a..b", "-x", "x/", "x.lock", "a b", ".hidden", "a/.b", "x~1"])
def test_unusable_branch_names_are_refused(shop: FakeGitHub, inst: Installation, name: str) -> None:
    with pytest.raises(WorkspaceError, match="refusing to commit"):
        workspace(inst).commit(name, PLAN, "Plan")
    assert shop.writes() == []
