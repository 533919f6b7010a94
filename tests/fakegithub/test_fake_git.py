"""The fake's repository contents and Git Data API, driven through githubkit."""

from __future__ import annotations

import base64
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.fakegithub import FakeGitHub
from tests.fakegithub.fixtures import Client, OWNER, REPO, status_of





def test_one_commit_with_many_files_through_the_git_data_api(fake_github: FakeGitHub, gh: Client) -> None:
    base = gh.rest.git.get_ref(OWNER, REPO, "heads/main").parsed_data.object_.sha
    base_tree = gh.rest.git.get_commit(OWNER, REPO, base).parsed_data.tree.sha
    files = {
        "specs/001-login/spec.md": "# Login\n",
        "specs/001-login/plan.md": "# Plan\n",
        "specs/001-login/contracts/openapi.yaml": "openapi: 3.1.0\n",
        ".specify/memory/technical-decisions-log.json": "[]\n",
    }
    tree = gh.rest.git.create_tree(
        OWNER, REPO, base_tree=base_tree,
        tree=[{"path": p, "mode": "100644", "type": "blob", "content": t} for p, t in files.items()],
    ).parsed_data
    commit = gh.rest.git.create_commit(OWNER, REPO, message="Plan 001-login", tree=tree.sha, parents=[base]).parsed_data
    ref = gh.rest.git.create_ref(OWNER, REPO, ref="refs/heads/001-login", sha=commit.sha).parsed_data

    assert ref.ref == "refs/heads/001-login" and ref.object_.sha == commit.sha
    assert [p.sha for p in commit.parents] == [base]
    assert fake_github.files(OWNER, REPO, "001-login") == {
        "README.md": b"# widgets\n", **{p: t.encode() for p, t in files.items()}
    }
    assert len(fake_github.history(OWNER, REPO, "001-login")) == 2
    listing = gh.rest.git.get_tree(OWNER, REPO, tree.sha, recursive="1").parsed_data
    assert {e.path for e in listing.tree if e.type == "blob"} == {"README.md", *files}
    assert {e.path for e in listing.tree if e.type == "tree"} == {
        "specs", "specs/001-login", "specs/001-login/contracts", ".specify", ".specify/memory"
    }
    blob_sha = next(e.sha for e in listing.tree if e.path == "specs/001-login/spec.md")
    blob = gh.rest.git.get_blob(OWNER, REPO, blob_sha).parsed_data
    assert blob.encoding == "base64" and base64.b64decode(blob.content) == b"# Login\n"


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_object_ids_are_the_ones_git_computes(fake_github: FakeGitHub, tmp_path: Path) -> None:
    files = {"a.txt": "alpha\n", "docs/b.md": "beta\n", "docs/deep/c.md": "gamma\n", "docs-x": "d\n"}
    fake_github.add_repo(OWNER, "ids", files=files)
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)
    tree = subprocess.run(["git", "write-tree"], cwd=tmp_path, check=True, capture_output=True, text=True)

    head = fake_github.branch(OWNER, "ids", "main")
    assert head is not None
    assert fake_github.commit(OWNER, "ids", head).tree == tree.stdout.strip()


def test_refs_create_update_and_list(fake_github: FakeGitHub, gh: Client) -> None:
    main = fake_github.branch(OWNER, REPO, "main")
    assert main is not None
    gh.rest.git.create_ref(OWNER, REPO, ref="refs/heads/feature/x", sha=main)

    assert status_of(lambda: gh.rest.git.create_ref(OWNER, REPO, ref="refs/heads/feature/x", sha=main)) == 422
    assert status_of(lambda: gh.rest.git.get_ref(OWNER, REPO, "heads/nope")) == 404
    names = [r.ref for r in gh.rest.git.list_matching_refs(OWNER, REPO, "heads/").parsed_data]
    assert names == ["refs/heads/feature/x", "refs/heads/main"]
    assert gh.rest.git.list_matching_refs(OWNER, REPO, "heads/feat").parsed_data[0].ref == "refs/heads/feature/x"
    assert gh.rest.git.list_matching_refs(OWNER, REPO, "heads/zzz").parsed_data == []

    ahead = fake_github.push(OWNER, REPO, "main", {"new.txt": "new\n"})
    gh.rest.git.update_ref(OWNER, REPO, "heads/feature/x", sha=ahead)  # a fast-forward
    side = fake_github.push(OWNER, REPO, "other", {"side.txt": "side\n"})
    assert fake_github.commit(OWNER, REPO, side).parents == (ahead,)
    diverged = fake_github.push(OWNER, REPO, "third", {"t.txt": "t\n"})
    gh.rest.git.update_ref(OWNER, REPO, "heads/feature/x", sha=side)
    # feature/x is at `side`; `diverged` does not descend from it
    assert status_of(lambda: gh.rest.git.update_ref(OWNER, REPO, "heads/feature/x", sha=diverged)) == 422
    gh.rest.git.update_ref(OWNER, REPO, "heads/feature/x", sha=diverged, force=True)
    assert fake_github.branch(OWNER, REPO, "feature/x") == diverged


def test_tree_entries_replace_and_delete(fake_github: FakeGitHub, gh: Client) -> None:
    fake_github.add_repo(OWNER, "trees", files={"keep.md": "k\n", "drop.md": "d\n", "dir/x.md": "x\n"})
    head = fake_github.branch(OWNER, "trees", "main")
    assert head is not None
    base_tree = fake_github.commit(OWNER, "trees", head).tree
    blob = gh.rest.git.create_blob(OWNER, "trees", content=base64.b64encode(b"\x00\x01").decode(),
                                   encoding="base64").parsed_data
    tree = gh.rest.git.create_tree(OWNER, "trees", base_tree=base_tree, tree=[
        {"path": "drop.md", "mode": "100644", "type": "blob", "sha": None},
        {"path": "dir/x.md", "mode": "100644", "type": "blob", "content": "changed\n"},
        {"path": "bin/data", "mode": "100644", "type": "blob", "sha": blob.sha},
    ]).parsed_data
    commit = gh.rest.git.create_commit(OWNER, "trees", message="edit", tree=tree.sha, parents=[head]).parsed_data
    gh.rest.git.update_ref(OWNER, "trees", "heads/main", sha=commit.sha)

    assert fake_github.files(OWNER, "trees", "main") == {"keep.md": b"k\n", "dir/x.md": b"changed\n",
                                                         "bin/data": b"\x00\x01"}
    assert status_of(lambda: gh.rest.git.create_tree(OWNER, "trees", base_tree=tree.sha, tree=[
        {"path": "missing.md", "mode": "100644", "type": "blob", "sha": None}])) == 422
    assert status_of(lambda: gh.rest.git.create_tree(OWNER, "trees", tree=[
        {"path": "../escape", "mode": "100644", "type": "blob", "content": "x"}])) == 422
    assert status_of(lambda: gh.rest.git.create_commit(OWNER, "trees", message="m", tree="0" * 40)) == 422


def test_contents_reads_files_at_a_ref_and_404s(fake_github: FakeGitHub, gh: Client) -> None:
    fake_github.push(OWNER, REPO, "dev", {".github/planbot.yml": "quorum: 2\n"})
    found = gh.rest.repos.get_content(OWNER, REPO, ".github/planbot.yml", ref="dev").parsed_data

    assert found.type == "file" and base64.b64decode(found.content) == b"quorum: 2\n"
    assert status_of(lambda: gh.rest.repos.get_content(OWNER, REPO, ".github/planbot.yml")) == 404
    listing = gh.rest.repos.get_content(OWNER, REPO, ".github", ref="dev").parsed_data
    assert [item.name for item in listing] == ["planbot.yml"]


def test_recursive_listings_can_be_truncated(fake_github: FakeGitHub, gh: Client) -> None:
    fake_github.set_tree_limit(2)
    fake_github.push(OWNER, REPO, "main", {"a/1.md": "1", "a/2.md": "2"})
    listing = gh.rest.git.get_tree(OWNER, REPO, "main", recursive="1").parsed_data
    assert listing.truncated and len(listing.tree) == 2
    assert not gh.rest.git.get_tree(OWNER, REPO, "main").parsed_data.truncated
