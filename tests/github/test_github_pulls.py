"""The plan's pull request: found by branch, opened exactly once, edited, and review feedback."""

from __future__ import annotations

import threading

import pytest

from bot.github.client import Installation
from bot.github.comments import MAX_BODY_CHARS
from bot.github.pulls import LineComment, find_pull, get_pull, open_pull, review_feedback, update_pull
from tests.fakegithub import FakeGitHub
from tests.fakegithub.fixtures import OWNER, REPO

BRANCH = "001-login"
PULLS = rf"/repos/{OWNER}/{REPO}/pulls"
BODY = 'The plan.\n\n<!-- planbot:plan {"issue":1} -->'


@pytest.fixture
def branch(fake_github: FakeGitHub) -> str:
    return fake_github.push(OWNER, REPO, BRANCH, {"specs/001-login/plan.md": "# Plan\n"})


def test_open_pull_creates_the_pull_request(fake_github: FakeGitHub, inst: Installation, branch: str) -> None:
    made = open_pull(inst, OWNER, REPO, head=BRANCH, base="main", title="Plan: login", body=BODY)

    assert (made.state, made.merged, made.title, made.body) == ("open", False, "Plan: login", BODY)
    assert (made.head_ref, made.head_sha, made.base_ref) == (BRANCH, branch, "main")
    assert (made.author, made.author_type) == ("planbot[bot]", "Bot")
    assert made.html_url == f"{fake_github.web_url}/{OWNER}/{REPO}/pull/{made.number}"
    assert [(p.number, p.head, p.body) for p in fake_github.pulls(OWNER, REPO)] == [(made.number, BRANCH, BODY)]


def test_open_pull_again_reuses_it_and_edits_only_what_changed(
    fake_github: FakeGitHub, inst: Installation, branch: str
) -> None:
    first = open_pull(inst, OWNER, REPO, head=BRANCH, base="main", title="Plan: login", body=BODY)
    fake_github.clear_requests()

    same = open_pull(inst, OWNER, REPO, head=BRANCH, base="main", title="Plan: login", body=BODY)
    assert fake_github.writes() == []
    retitled = open_pull(inst, OWNER, REPO, head=BRANCH, base="main", title="Plan: sign-in", body=BODY)

    assert first.number == same.number == retitled.number and retitled.title == "Plan: sign-in"
    assert [(r.method, r.body) for r in fake_github.writes()] == [("PATCH", {"title": "Plan: sign-in"})]
    assert len(fake_github.pulls(OWNER, REPO)) == 1


def test_a_lost_answer_never_makes_a_second_pull_request(
    fake_github: FakeGitHub, inst: Installation, branch: str
) -> None:
    fake_github.fail(PULLS, "POST", status=502, after=True)

    made = open_pull(inst, OWNER, REPO, head=BRANCH, base="main", title="Plan: login", body=BODY)

    assert [p.number for p in fake_github.pulls(OWNER, REPO)] == [made.number]
    assert [r.status for r in fake_github.requests("POST", PULLS)] == [502]


def test_a_pull_request_opened_meanwhile_is_reused(fake_github: FakeGitHub, inst: Installation, branch: str) -> None:
    # the first look finds nothing; before the create, someone opens one from the branch
    fake_github.slow(PULLS, "GET", seconds=0.6)
    opener = threading.Timer(0.1, lambda: fake_github.add_pull(OWNER, REPO, BRANCH, "by hand", author="bob"))
    opener.start()
    try:
        made = open_pull(inst, OWNER, REPO, head=BRANCH, base="main", title="Plan: login", body=BODY)
    finally:
        opener.join()

    assert [(p.number, p.title, p.author) for p in fake_github.pulls(OWNER, REPO)] == [
        (made.number, "Plan: login", "bob")]
    assert [r.status for r in fake_github.requests("POST", PULLS)] == [422]


def test_bodies_over_githubs_limit_are_refused_before_any_request(
    fake_github: FakeGitHub, inst: Installation, branch: str
) -> None:
    with pytest.raises(ValueError):
        open_pull(inst, OWNER, REPO, head=BRANCH, base="main", title="t", body="x" * (MAX_BODY_CHARS + 1))
    assert fake_github.requests() == []


def test_find_pull_gives_the_newest_in_any_state(fake_github: FakeGitHub, inst: Installation, branch: str) -> None:
    assert find_pull(inst, OWNER, REPO, BRANCH) is None
    first = open_pull(inst, OWNER, REPO, head=BRANCH, base="main", title="Plan v1", body=BODY)
    fake_github.close_pull(OWNER, REPO, first.number)
    second = open_pull(inst, OWNER, REPO, head=BRANCH, base="main", title="Plan v2", body=BODY)
    fake_github.push(OWNER, REPO, "other", {"x.md": "x\n"})
    fake_github.add_pull(OWNER, REPO, "other", "Other")

    found = find_pull(inst, OWNER, REPO, BRANCH)
    assert found is not None and (found.number, found.title, found.state) == (second.number, "Plan v2", "open")
    fake_github.merge_pull(OWNER, REPO, second.number, merged_by="maya")
    merged = find_pull(inst, OWNER, REPO, BRANCH)

    assert second.number != first.number
    assert merged is not None and (merged.number, merged.state, merged.merged) == (second.number, "closed", True)
    assert get_pull(inst, OWNER, REPO, first.number).merged is False
    assert find_pull(inst, OWNER, REPO, "no-such-branch") is None


def test_get_pull_follows_the_head_and_knows_who_opened_it(fake_github: FakeGitHub, inst: Installation) -> None:
    fake_github.push(OWNER, REPO, "fix", {"a.md": "a\n"})
    number = fake_github.add_pull(OWNER, REPO, "fix", "A fix", None, author="bob")
    later = fake_github.push(OWNER, REPO, "fix", {"a.md": "b\n"})

    pull = get_pull(inst, OWNER, REPO, number)

    assert (pull.author, pull.author_type, pull.body, pull.head_sha) == ("bob", "User", "", later)


def test_update_pull_sends_only_what_is_given(fake_github: FakeGitHub, inst: Installation, branch: str) -> None:
    made = open_pull(inst, OWNER, REPO, head=BRANCH, base="main", title="Plan: login", body=BODY)
    fake_github.clear_requests()

    update_pull(inst, OWNER, REPO, made.number, body="new body")
    renamed = update_pull(inst, OWNER, REPO, made.number, title="New title")
    unchanged = update_pull(inst, OWNER, REPO, made.number)

    assert [r.body for r in fake_github.writes()] == [{"body": "new body"}, {"title": "New title"}]
    assert (renamed.title, renamed.body) == ("New title", "new body") and unchanged == renamed


def test_review_feedback(fake_github: FakeGitHub, inst: Installation, branch: str) -> None:
    made = open_pull(inst, OWNER, REPO, head=BRANCH, base="main", title="Plan: login", body=BODY)
    plan = "specs/001-login/plan.md"
    review = fake_github.add_review(OWNER, REPO, made.number, user="maya", body="Please add caching.",
                                    comments=[(plan, 3, "Cache sessions here."), (plan, None, "Shorter, please.")])
    fake_github.add_review(OWNER, REPO, made.number, user="tara", state="COMMENTED", comments=[(plan, 1, "nit")])

    feedback = review_feedback(inst, OWNER, REPO, made.number, review)

    assert (feedback.review_id, feedback.state, feedback.author, feedback.body) == (
        review, "changes_requested", "maya", "Please add caching.")
    assert feedback.comments == [
        LineComment(path=plan, line=3, body="Cache sessions here.", author="maya"),
        LineComment(path=plan, line=None, body="Shorter, please.", author="maya"),
    ]


def test_review_feedback_reads_every_page(fake_github: FakeGitHub, inst: Installation, branch: str) -> None:
    made = open_pull(inst, OWNER, REPO, head=BRANCH, base="main", title="Plan: login", body=BODY)
    review = fake_github.add_review(OWNER, REPO, made.number, user="maya", state="APPROVED",
                                    comments=[("plan.md", n, f"c{n}") for n in range(1, 151)])

    feedback = review_feedback(inst, OWNER, REPO, made.number, review)

    assert feedback.state == "approved" and feedback.body == ""
    assert [c.line for c in feedback.comments] == list(range(1, 151))
