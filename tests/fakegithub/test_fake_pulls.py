"""The fake's pull requests: merging and closing them, reviews and review comments, and the
issue comments of a pull request (conditional requests, reaction counts)."""

from __future__ import annotations


import pytest

from tests.fakegithub import FakeGitHub
from tests.fakegithub.fixtures import Client, OWNER, REPO, status_of

BRANCH = "001-login"




def open_plan_pull(fake: FakeGitHub, gh: Client) -> int:
    fake.push(OWNER, REPO, BRANCH, {"specs/001-login/plan.md": "# Plan\n"})
    made = gh.rest.pulls.create(OWNER, REPO, title="Plan: login", head=BRANCH, base="main", body="the plan")
    return made.parsed_data.number


# -- merging and closing ------------------------------------------------------------------


def test_merging_an_untouched_base_fast_forwards(fake_github: FakeGitHub, gh: Client) -> None:
    number = open_plan_pull(fake_github, gh)
    head = fake_github.branch(OWNER, REPO, BRANCH)

    new_head = fake_github.merge_pull(OWNER, REPO, number, merged_by="maya")

    answer = gh.rest.pulls.get(OWNER, REPO, number)
    pull = answer.parsed_data
    assert new_head == head == fake_github.branch(OWNER, REPO, "main")
    assert (pull.state, pull.merged, pull.merged_at is not None) == ("closed", True, True)
    assert pull.merged_by is not None and pull.merged_by.login == "maya"
    assert answer.raw_response.json()["merge_commit_sha"] == head  # githubkit's model leaves it out
    assert (pull.head.ref, pull.head.sha, pull.base.ref) == (BRANCH, head, "main")
    assert pull.user is not None and pull.user.login == "planbot[bot]"
    assert pull.html_url == f"{fake_github.web_url}/{OWNER}/{REPO}/pull/{number}"
    assert pull.body == "the plan"
    listed = gh.rest.pulls.list(OWNER, REPO, state="closed", head=f"{OWNER}:{BRANCH}").parsed_data
    assert [(p.number, p.merged_at is not None) for p in listed] == [(number, True)]
    assert gh.rest.pulls.check_if_merged(OWNER, REPO, number).status_code == 204
    view = fake_github.pulls(OWNER, REPO)[0]
    assert (view.merged, view.merged_by, view.state) == (True, "maya", "closed")


def test_merging_after_the_base_moved_makes_a_merge_commit_with_the_heads_tree(
    fake_github: FakeGitHub, gh: Client
) -> None:
    number = open_plan_pull(fake_github, gh)
    head = fake_github.branch(OWNER, REPO, BRANCH)
    moved = fake_github.push(OWNER, REPO, "main", {"CHANGELOG.md": "x\n"}, author="bob")

    merged = fake_github.merge_pull(OWNER, REPO, number)

    commit = fake_github.commit(OWNER, REPO, merged)
    assert commit.parents == (moved, head)
    assert commit.message.startswith(f"Merge pull request #{number} from {OWNER}/{BRANCH}")
    assert commit.tree == fake_github.commit(OWNER, REPO, head or "").tree
    assert fake_github.branch(OWNER, REPO, "main") == merged
    assert gh.rest.pulls.get(OWNER, REPO, number).raw_response.json()["merge_commit_sha"] == merged
    with pytest.raises(ValueError):
        fake_github.merge_pull(OWNER, REPO, number)


def test_a_merged_pull_keeps_the_head_it_merged_with(fake_github: FakeGitHub, gh: Client) -> None:
    number = open_plan_pull(fake_github, gh)
    head = fake_github.branch(OWNER, REPO, BRANCH)
    fake_github.merge_pull(OWNER, REPO, number)
    fake_github.push(OWNER, REPO, BRANCH, {"later.md": "later\n"})

    assert gh.rest.pulls.get(OWNER, REPO, number).parsed_data.head.sha == head


def test_closing_without_merging(fake_github: FakeGitHub, gh: Client) -> None:
    number = open_plan_pull(fake_github, gh)
    main = fake_github.branch(OWNER, REPO, "main")

    fake_github.close_pull(OWNER, REPO, number)

    pull = gh.rest.pulls.get(OWNER, REPO, number).parsed_data
    assert (pull.state, pull.merged, pull.merged_at, pull.merged_by) == ("closed", False, None, None)
    assert pull.closed_at is not None
    assert fake_github.branch(OWNER, REPO, "main") == main
    assert gh.rest.pulls.list(OWNER, REPO, state="open").parsed_data == []
    assert status_of(lambda: gh.rest.pulls.check_if_merged(OWNER, REPO, number)) == 404
    reopened = gh.rest.pulls.update(OWNER, REPO, number, state="open").parsed_data
    assert reopened.state == "open"


def test_the_merge_endpoint(fake_github: FakeGitHub, gh: Client) -> None:
    number = open_plan_pull(fake_github, gh)
    head = fake_github.branch(OWNER, REPO, BRANCH)
    main = fake_github.branch(OWNER, REPO, "main")

    assert status_of(lambda: gh.rest.pulls.merge(OWNER, REPO, number, sha="0" * 40)) == 409
    result = gh.rest.pulls.merge(OWNER, REPO, number, sha=head).parsed_data

    assert result.merged and result.sha == fake_github.branch(OWNER, REPO, "main")
    assert fake_github.commit(OWNER, REPO, result.sha).parents == (main, head)  # always a merge commit
    merged = gh.rest.pulls.get(OWNER, REPO, number).parsed_data
    assert merged.merged_by is not None and merged.merged_by.login == "planbot[bot]"
    assert status_of(lambda: gh.rest.pulls.merge(OWNER, REPO, number)) == 405
    assert status_of(lambda: gh.rest.pulls.update(OWNER, REPO, number, state="open")) == 422


def test_squash_merging(fake_github: FakeGitHub, gh: Client) -> None:
    number = open_plan_pull(fake_github, gh)
    main = fake_github.branch(OWNER, REPO, "main")

    result = gh.rest.pulls.merge(OWNER, REPO, number, merge_method="squash").parsed_data

    commit = fake_github.commit(OWNER, REPO, result.sha)
    assert commit.parents == (main,)
    assert commit.message == f"Plan: login (#{number})"
    assert "specs/001-login/plan.md" in fake_github.files(OWNER, REPO, "main")


def test_pulls_opened_by_people(fake_github: FakeGitHub, gh: Client) -> None:
    fake_github.push(OWNER, REPO, "fix", {"a.md": "a\n"}, author="bob")
    number = fake_github.add_pull(OWNER, REPO, "fix", "A fix", "please", author="bob")

    pull = gh.rest.pulls.get(OWNER, REPO, number).parsed_data

    assert pull.user is not None and (pull.user.login, pull.user.type) == ("bob", "User")
    assert (pull.head.ref, pull.base.ref, pull.state) == ("fix", "main", "open")
    with pytest.raises(KeyError):
        fake_github.add_pull(OWNER, REPO, "missing", "t")


# -- reviews ------------------------------------------------------------------------------


def test_reviews_and_their_line_comments(fake_github: FakeGitHub, gh: Client) -> None:
    number = open_plan_pull(fake_github, gh)
    head = fake_github.branch(OWNER, REPO, BRANCH)
    approved = fake_github.add_review(OWNER, REPO, number, user="tara", state="APPROVED")
    plan = "specs/001-login/plan.md"
    changes = fake_github.add_review(OWNER, REPO, number, user="maya", body="Needs caching.",
                                     comments=[(plan, 1, "Cache the sessions."), (plan, None, "Whole file")])

    reviews = gh.rest.pulls.list_reviews(OWNER, REPO, number).parsed_data
    review = gh.rest.pulls.get_review(OWNER, REPO, number, changes).parsed_data
    of_review = gh.rest.pulls.list_comments_for_review(OWNER, REPO, number, changes).parsed_data
    of_pull = gh.rest.pulls.list_review_comments(OWNER, REPO, number).parsed_data

    assert [(r.id, r.state) for r in reviews] == [(approved, "APPROVED"), (changes, "CHANGES_REQUESTED")]
    assert review.user is not None and review.user.login == "maya"
    assert (review.body, review.commit_id) == ("Needs caching.", head)
    assert review.html_url.endswith(f"/pull/{number}#pullrequestreview-{changes}")
    assert [(c.path, c.line, c.body, c.pull_request_review_id) for c in of_review] == [
        (plan, 1, "Cache the sessions.", changes),
        (plan, None, "Whole file", changes),
    ]
    assert [c.id for c in of_pull] == [c.id for c in of_review]
    assert of_pull[0].user is not None and of_pull[0].user.login == "maya"
    assert of_pull[0].html_url.endswith(f"/pull/{number}#discussion_r{of_pull[0].id}")
    assert gh.rest.pulls.list_comments_for_review(OWNER, REPO, number, approved).parsed_data == []
    assert gh.rest.pulls.get(OWNER, REPO, number).parsed_data.review_comments == 2
    assert [(c.path, c.line, c.author) for c in fake_github.review_comments(OWNER, REPO, number)] == [
        (plan, 1, "maya"), (plan, None, "maya"),
    ]


def test_a_review_belongs_to_its_pull(fake_github: FakeGitHub, gh: Client) -> None:
    number = open_plan_pull(fake_github, gh)
    fake_github.push(OWNER, REPO, "other", {"b.md": "b\n"})
    other = fake_github.add_pull(OWNER, REPO, "other", "Other")
    review = fake_github.add_review(OWNER, REPO, number, user="maya", comments=[("a", 1, "x")])

    assert status_of(lambda: gh.rest.pulls.get_review(OWNER, REPO, other, review)) == 404
    assert status_of(lambda: gh.rest.pulls.list_comments_for_review(OWNER, REPO, other, review)) == 404
    assert gh.rest.pulls.list_review_comments(OWNER, REPO, other).parsed_data == []
    with pytest.raises(ValueError):
        fake_github.add_review(OWNER, REPO, number, user="maya", state="LGTM")


def test_review_comments_page(fake_github: FakeGitHub, gh: Client) -> None:
    number = open_plan_pull(fake_github, gh)
    review = fake_github.add_review(OWNER, REPO, number, user="maya",
                                    comments=[("plan.md", line, f"c{line}") for line in range(1, 131)])

    every = list(gh.rest.paginate(gh.rest.pulls.list_comments_for_review, owner=OWNER, repo=REPO,
                                  pull_number=number, review_id=review, per_page=100))

    assert [c.body for c in every] == [f"c{line}" for line in range(1, 131)]
    assert len(fake_github.requests("GET", rf"/repos/{OWNER}/{REPO}/pulls/{number}/reviews/{review}/comments")) == 2


# -- the conversation of a pull request ---------------------------------------------------


def test_pull_comments_answer_304_until_a_reaction_changes(fake_github: FakeGitHub, gh: Client) -> None:
    number = open_plan_pull(fake_github, gh)
    comment = fake_github.add_comment(OWNER, REPO, number, "TD001", as_app=True)

    first = gh.rest.issues.list_comments(OWNER, REPO, number)
    etag = first.headers["etag"]
    unchanged = gh.rest.issues.list_comments(OWNER, REPO, number, headers={"If-None-Match": etag})
    reaction = fake_github.add_reaction(OWNER, REPO, "heart", user="alice", comment=comment)
    fake_github.add_reaction(OWNER, REPO, "-1", user="bob", comment=comment)
    after_add = gh.rest.issues.list_comments(OWNER, REPO, number, headers={"If-None-Match": etag})
    gh_reactions = after_add.json()[0]["reactions"]
    gh.rest.reactions.delete_for_issue_comment(OWNER, REPO, comment, reaction)
    after_remove = gh.rest.issues.list_comments(OWNER, REPO, number,
                                                headers={"If-None-Match": after_add.headers["etag"]})

    assert first.status_code == 200 and unchanged.status_code == 304
    assert first.parsed_data[0].html_url.endswith(f"/pull/{number}#issuecomment-{comment}")
    assert after_add.status_code == 200 and after_add.headers["etag"] != etag
    assert {k: v for k, v in gh_reactions.items() if k != "url"} == {
        "+1": 0, "-1": 1, "laugh": 0, "hooray": 0, "confused": 0, "heart": 1, "rocket": 0, "eyes": 0,
        "total_count": 2,
    }
    assert after_remove.status_code == 200
    assert after_remove.parsed_data[0].reactions is not None
    assert (after_remove.parsed_data[0].reactions.heart, after_remove.parsed_data[0].reactions.total_count) == (0, 1)


# -- comparing ----------------------------------------------------------------------------


def test_comparing_a_branch_with_its_base(fake_github: FakeGitHub, gh: Client) -> None:
    fake_github.add_user("alice")  # a commit shows its GitHub author when the name is a known login
    fake_github.push(OWNER, REPO, "main", {"gone.md": "old\n", "kept.md": "one\ntwo\n"})
    first = fake_github.push(OWNER, REPO, BRANCH, {"specs/001-login/plan.md": "# Plan\n"})
    second = fake_github.push(OWNER, REPO, BRANCH, {"gone.md": None, "kept.md": "one\n2\nthree\n"})

    ahead = gh.rest.repos.compare_commits(OWNER, REPO, f"main...{BRANCH}").parsed_data
    moved = fake_github.push(OWNER, REPO, "main", {"other.md": "x\n"}, author="bob")
    diverged = gh.rest.repos.compare_commits(OWNER, REPO, f"main...{OWNER}:{BRANCH}").parsed_data
    behind = gh.rest.repos.compare_commits(OWNER, REPO, f"{BRANCH}...{first}").parsed_data
    same = gh.rest.repos.compare_commits(OWNER, REPO, f"{second}...{BRANCH}").parsed_data

    assert (ahead.status, ahead.ahead_by, ahead.behind_by) == ("ahead", 2, 0)
    assert [c.sha for c in ahead.commits] == [first, second]
    assert getattr(ahead.commits[0].author, "login", None) == "alice"
    files = {f.filename: (f.status, f.additions, f.deletions) for f in ahead.files or []}
    assert files == {"specs/001-login/plan.md": ("added", 1, 0), "gone.md": ("removed", 0, 1),
                     "kept.md": ("modified", 2, 1)}
    assert (diverged.status, diverged.ahead_by, diverged.behind_by) == ("diverged", 2, 1)
    assert diverged.base_commit.sha == moved and diverged.merge_base_commit.sha != moved
    assert diverged.base_commit.author is None  # "bob" is no GitHub user here
    assert {f.filename for f in diverged.files or []} == set(files)  # from the merge base, not the base
    assert (behind.status, behind.ahead_by, behind.behind_by) == ("behind", 0, 1)
    assert (same.status, same.files) == ("identical", [])
    assert status_of(lambda: gh.rest.repos.compare_commits(OWNER, REPO, "main...missing")) == 404
