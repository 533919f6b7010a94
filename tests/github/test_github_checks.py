"""planbot's check run: one per name and commit, annotations 50 a request, never twice."""

from __future__ import annotations

import pytest
from githubkit.exception import RequestFailed
from pydantic import ValidationError

from bot.github.checks import (
    ANNOTATIONS_PER_REQUEST,
    MAX_ANNOTATION_TITLE_CHARS,
    MAX_OUTPUT_CHARS,
    CheckAnnotation,
    CheckResult,
    publish_check_run,
)
from bot.github.client import Installation
from tests.fakegithub import FakeGitHub
from tests.fakegithub.fixtures import OWNER, REPO

NAME = "planbot/plan"
PLAN = "specs/001-login/plan.md"
RUNS = rf"/repos/{OWNER}/{REPO}/check-runs(/\d+)?"


@pytest.fixture
def head(fake_github: FakeGitHub) -> str:
    return fake_github.push(OWNER, REPO, "001-login", {PLAN: "# Plan\n"})


def findings(count: int, start: int = 1) -> list[CheckAnnotation]:
    return [CheckAnnotation(path=PLAN, start_line=n, end_line=n, level="warning", message=f"finding {n}")
            for n in range(start, start + count)]


def failing(count: int, start: int = 1) -> CheckResult:
    return CheckResult(conclusion="failure", title=f"{count} problems", summary="See the annotations.",
                       annotations=findings(count, start))


def annotation_batches(fake: FakeGitHub) -> list[int]:
    return [len((r.body.get("output") or {}).get("annotations", [])) for r in fake.requests(path=RUNS)
            if r.method in ("POST", "PATCH")]


def test_a_small_result_is_one_request(fake_github: FakeGitHub, inst: Installation, head: str) -> None:
    result = CheckResult(conclusion="failure", title="2 problems", summary="See below.", text="More.",
                         annotations=[*findings(1), CheckAnnotation(path=PLAN, start_line=4, end_line=6,
                                                                     level="failure", message="gap", title="Gap")])

    run_id = publish_check_run(inst, OWNER, REPO, name=NAME, head_sha=head, result=result,
                               details_url="https://example.com/plans/1")

    [run] = fake_github.check_runs(OWNER, REPO)
    assert (run.id, run.name, run.head_sha, run.status, run.conclusion) == (run_id, NAME, head, "completed", "failure")
    assert (run.title, run.summary, run.text, run.details_url) == (
        "2 problems", "See below.", "More.", "https://example.com/plans/1")
    assert [(a["start_line"], a["end_line"], a["annotation_level"], a["title"]) for a in run.annotations] == [
        (1, 1, "warning", None), (4, 6, "failure", "Gap")]
    assert [r.method for r in fake_github.writes()] == ["POST"]


def test_120_findings_go_out_in_3_requests(fake_github: FakeGitHub, inst: Installation, head: str) -> None:
    run_id = publish_check_run(inst, OWNER, REPO, name=NAME, head_sha=head, result=failing(120))

    [run] = fake_github.check_runs(OWNER, REPO)
    assert [a["message"] for a in run.annotations] == [f"finding {n}" for n in range(1, 121)]
    assert (run.id, run.status, run.conclusion) == (run_id, "completed", "failure")
    writes = fake_github.writes()
    assert [r.method for r in writes] == ["POST", "PATCH", "PATCH"]
    assert annotation_batches(fake_github) == [50, 50, 20]
    # only the last request completes the run: a run in progress was not fully published
    assert [(r.body.get("status"), r.body.get("conclusion")) for r in writes] == [
        ("in_progress", None), (None, None), ("completed", "failure")]


def test_publishing_the_same_result_again_sends_nothing(fake_github: FakeGitHub, inst: Installation, head: str) -> None:
    first = publish_check_run(inst, OWNER, REPO, name=NAME, head_sha=head, result=failing(60))
    fake_github.clear_requests()

    again = publish_check_run(inst, OWNER, REPO, name=NAME, head_sha=head, result=failing(60))

    assert again == first and fake_github.writes() == []
    assert len(fake_github.check_runs(OWNER, REPO)) == 1


def test_an_existing_run_is_reused_for_a_new_conclusion(fake_github: FakeGitHub, inst: Installation, head: str) -> None:
    first = publish_check_run(inst, OWNER, REPO, name=NAME, head_sha=head,
                              result=CheckResult(conclusion="neutral", title="Pending", summary="Waiting."))
    fake_github.clear_requests()

    second = publish_check_run(inst, OWNER, REPO, name=NAME, head_sha=head,
                               result=CheckResult(conclusion="success", title="All good", summary="No problems."))

    [run] = fake_github.check_runs(OWNER, REPO)
    assert second == first == run.id
    assert (run.conclusion, run.title, run.summary) == ("success", "All good", "No problems.")
    assert [r.method for r in fake_github.writes()] == ["PATCH"]


def test_a_run_with_other_annotations_is_replaced(fake_github: FakeGitHub, inst: Installation, head: str) -> None:
    old = publish_check_run(inst, OWNER, REPO, name=NAME, head_sha=head, result=failing(3))

    new = publish_check_run(inst, OWNER, REPO, name=NAME, head_sha=head, result=failing(2, start=10))

    runs = fake_github.check_runs(OWNER, REPO)
    assert [r.id for r in runs] == [old, new] and new != old
    assert [a["message"] for a in runs[1].annotations] == ["finding 10", "finding 11"]
    other_commit = fake_github.push(OWNER, REPO, "001-login", {PLAN: "# Plan v2\n"})
    assert publish_check_run(inst, OWNER, REPO, name=NAME, head_sha=other_commit, result=failing(2)) not in (old, new)


def test_a_half_published_run_is_finished_where_it_stopped(
    fake_github: FakeGitHub, inst: Installation, head: str
) -> None:
    fake_github.fail(r"/repos/[^/]+/[^/]+/check-runs/\d+", "PATCH", status=502, times=inst.retry.attempts)
    with pytest.raises(RequestFailed):
        publish_check_run(inst, OWNER, REPO, name=NAME, head_sha=head, result=failing(120))
    [stopped] = fake_github.check_runs(OWNER, REPO)
    assert (stopped.status, len(stopped.annotations)) == ("in_progress", 50)
    fake_github.clear_requests()

    run_id = publish_check_run(inst, OWNER, REPO, name=NAME, head_sha=head, result=failing(120))

    [run] = fake_github.check_runs(OWNER, REPO)
    assert run.id == run_id == stopped.id and run.status == "completed"
    assert [a["message"] for a in run.annotations] == [f"finding {n}" for n in range(1, 121)]
    assert annotation_batches(fake_github) == [50, 20]


def test_a_lost_answer_never_doubles_annotations(fake_github: FakeGitHub, inst: Installation, head: str) -> None:
    fake_github.fail(r"/repos/[^/]+/[^/]+/check-runs/\d+", "PATCH", status=502, after=True)
    fake_github.fail(rf"/repos/{OWNER}/{REPO}/check-runs", "POST", status=502, after=True)

    publish_check_run(inst, OWNER, REPO, name=NAME, head_sha=head, result=failing(120))

    [run] = fake_github.check_runs(OWNER, REPO)
    assert [a["message"] for a in run.annotations] == [f"finding {n}" for n in range(1, 121)]
    assert run.status == "completed"
    assert annotation_batches(fake_github) == [50, 50, 20]  # neither lost answer was sent again


def test_a_failed_update_is_sent_again(fake_github: FakeGitHub, inst: Installation, head: str) -> None:
    fake_github.fail(r"/repos/[^/]+/[^/]+/check-runs/\d+", "PATCH", status=502)

    publish_check_run(inst, OWNER, REPO, name=NAME, head_sha=head, result=failing(60))

    [run] = fake_github.check_runs(OWNER, REPO)
    assert len(run.annotations) == 60 and run.status == "completed"
    assert annotation_batches(fake_github) == [50, 10, 10]


def test_texts_are_kept_within_githubs_limits(fake_github: FakeGitHub, inst: Installation, head: str) -> None:
    summary = "\n".join("s" * 99 for _ in range(1000))
    result = CheckResult(conclusion="neutral", title="Long", summary=summary, text="t" * 100_000,
                         annotations=[CheckAnnotation(path=PLAN, start_line=1, end_line=1, level="notice",
                                                      message="m" * 100_000, title="T" * 300)])

    publish_check_run(inst, OWNER, REPO, name=NAME, head_sha=head, result=result)

    [run] = fake_github.check_runs(OWNER, REPO)
    assert run.summary is not None and len(run.summary) <= MAX_OUTPUT_CHARS and run.summary.endswith("\n…")
    assert run.text is not None and len(run.text) <= MAX_OUTPUT_CHARS
    assert len(run.annotations[0]["title"]) <= MAX_ANNOTATION_TITLE_CHARS


def test_annotations_must_be_on_real_lines() -> None:
    with pytest.raises(ValidationError):
        CheckAnnotation(path=PLAN, start_line=5, end_line=4, level="warning", message="x")
    with pytest.raises(ValidationError):
        CheckAnnotation(path=PLAN, start_line=0, end_line=1, level="warning", message="x")
    with pytest.raises(ValidationError):
        CheckAnnotation(path=PLAN, start_line=1, end_line=1, level="error", message="x")  # type: ignore[arg-type]
    assert ANNOTATIONS_PER_REQUEST == 50
