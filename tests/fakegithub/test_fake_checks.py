"""The fake's check runs: create, update (annotations append), read, list for a commit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.fakegithub import FakeGitHub
from tests.fakegithub.fixtures import OWNER, REPO, Client, status_of

RUNS = f"/repos/{OWNER}/{REPO}/check-runs"


@pytest.fixture
def head(fake_github: FakeGitHub) -> str:
    return fake_github.push(OWNER, REPO, "001-login", {"specs/001-login/plan.md": "# Plan\n"})


def send(gh: Client, method: str, url: str, body: dict[str, Any]) -> Callable[[], object]:
    """A raw request: githubkit checks bodies itself, and these tests need GitHub's own refusals."""
    return lambda: gh.request(method, url, json=body)


def notes(start: int, count: int) -> list[dict[str, Any]]:
    return [{"path": "specs/001-login/plan.md", "start_line": n, "end_line": n, "annotation_level": "warning",
             "message": f"finding {n}"} for n in range(start, start + count)]


def test_a_completed_run_in_one_request(fake_github: FakeGitHub, gh: Client, head: str) -> None:
    made = gh.rest.checks.create(
        OWNER, REPO, name="planbot/validation", head_sha=head, status="completed", conclusion="failure",
        details_url="https://example.com/plan", output={"title": "2 problems", "summary": "See below.",
                                                       "text": "details", "annotations": notes(1, 2)},
    ).parsed_data

    run = gh.rest.checks.get(OWNER, REPO, made.id).parsed_data

    assert (run.name, run.head_sha, run.status, run.conclusion) == ("planbot/validation", head, "completed", "failure")
    assert (run.output.title, run.output.summary, run.output.text) == ("2 problems", "See below.", "details")
    assert run.output.annotations_count == 2 and run.completed_at is not None
    assert run.details_url == "https://example.com/plan"
    assert run.app is not None and run.app.id == fake_github.app.id
    [view] = fake_github.check_runs(OWNER, REPO)
    assert (view.id, view.status, view.conclusion, view.title, view.summary) == (
        made.id, "completed", "failure", "2 problems", "See below.")
    assert [a["message"] for a in view.annotations] == ["finding 1", "finding 2"]


def test_annotations_of_every_update_are_appended(fake_github: FakeGitHub, gh: Client, head: str) -> None:
    output = {"title": "120 findings", "summary": "Many."}
    made = gh.rest.checks.create(OWNER, REPO, name="planbot", head_sha=head, status="in_progress",
                                 output={**output, "annotations": notes(1, 50)}).parsed_data
    gh.rest.checks.update(OWNER, REPO, made.id, output={**output, "annotations": notes(51, 50)})
    done = gh.rest.checks.update(OWNER, REPO, made.id, status="completed", conclusion="neutral",
                                 output={**output, "annotations": notes(101, 20)}).parsed_data

    listed = list(gh.rest.paginate(gh.rest.checks.list_annotations, owner=OWNER, repo=REPO, check_run_id=made.id,
                                   per_page=100))

    assert (done.status, done.conclusion, done.output.annotations_count) == ("completed", "neutral", 120)
    assert [a.message for a in listed] == [f"finding {n}" for n in range(1, 121)]
    assert listed[0].annotation_level == "warning"
    assert listed[0].blob_href.endswith(f"/blob/{head}/specs/001-login/plan.md")
    assert len(fake_github.check_runs(OWNER, REPO)[0].annotations) == 120


def test_more_than_50_annotations_in_one_request_are_refused(fake_github: FakeGitHub, gh: Client, head: str) -> None:
    output = {"title": "t", "summary": "s", "annotations": notes(1, 51)}
    body = {"name": "planbot", "head_sha": head, "status": "completed", "conclusion": "failure", "output": output}

    assert status_of(send(gh, "POST", RUNS, body)) == 422
    made = gh.rest.checks.create(OWNER, REPO, name="planbot", head_sha=head).parsed_data
    assert status_of(send(gh, "PATCH", f"{RUNS}/{made.id}", {"output": output})) == 422

    [view] = fake_github.check_runs(OWNER, REPO)
    assert (view.status, view.annotations) == ("queued", [])


def test_requests_github_refuses(gh: Client, head: str) -> None:
    def create(**body: Any) -> Callable[[], object]:
        return send(gh, "POST", RUNS, {"name": "planbot", "head_sha": head, **body})

    assert status_of(create(status="completed")) == 422  # no conclusion
    assert status_of(create(head_sha="0" * 40)) == 422
    assert status_of(create(output={"summary": "no title"})) == 422
    assert status_of(create(output={"title": "t", "summary": "x" * 65536})) == 422
    bad_level = [{**notes(1, 1)[0], "annotation_level": "error"}]
    assert status_of(create(output={"title": "t", "summary": "s", "annotations": bad_level})) == 422
    assert status_of(lambda: gh.rest.checks.get(OWNER, REPO, 999999)) == 404


def test_listing_a_commits_runs(fake_github: FakeGitHub, gh: Client, head: str) -> None:
    main = fake_github.branch(OWNER, REPO, "main") or ""
    first = gh.rest.checks.create(OWNER, REPO, name="planbot", head_sha=head).parsed_data
    second = gh.rest.checks.create(OWNER, REPO, name="planbot", head_sha=head, conclusion="success",
                                   output={"title": "ok", "summary": "ok"}).parsed_data
    other = gh.rest.checks.create(OWNER, REPO, name="lint", head_sha=head).parsed_data
    gh.rest.checks.create(OWNER, REPO, name="planbot", head_sha=main)

    latest = gh.rest.checks.list_for_ref(OWNER, REPO, head).parsed_data
    every = gh.rest.checks.list_for_ref(OWNER, REPO, head, filter_="all").parsed_data
    named = gh.rest.checks.list_for_ref(OWNER, REPO, "001-login", check_name="planbot", filter_="all").parsed_data
    done = gh.rest.checks.list_for_ref(OWNER, REPO, head, status="completed").parsed_data

    assert [r.id for r in latest.check_runs] == [other.id, second.id] and latest.total_count == 2
    assert [r.id for r in every.check_runs] == [other.id, second.id, first.id]
    assert [r.id for r in named.check_runs] == [second.id, first.id]
    assert [r.id for r in done.check_runs] == [second.id]
    assert second.status == "completed"  # a conclusion completes the run
    empty = gh.rest.checks.list_for_ref(OWNER, REPO, head, app_id=fake_github.app.id + 1).parsed_data
    assert empty.total_count == 0


def test_runs_name_the_open_pull_requests_of_their_commit(fake_github: FakeGitHub, gh: Client, head: str) -> None:
    number = fake_github.add_pull(OWNER, REPO, "001-login", "Plan: login")

    run = gh.rest.checks.create(OWNER, REPO, name="planbot", head_sha=head).parsed_data

    assert [(p.number, p.head.ref, p.head.sha) for p in run.pull_requests] == [(number, "001-login", head)]
