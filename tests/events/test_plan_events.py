"""The trigger label starts a plan; removing it or closing the issue cancels it."""

from __future__ import annotations

from event_payloads import make_settings, payload_dict, parsed

from bot.events import router
from bot.jobs import IssueRef, JobKind, JobRequest

ISSUE = IssueRef(installation_id=957387, owner="Codertocat", repo="Hello-World", number=1)


def _jobs(name: str, data: dict | None = None, **settings: object) -> list[JobRequest]:  # type: ignore[type-arg]
    event = name.split(".")[0]
    return router.dispatch(event, parsed(event, data or payload_dict(name)), "0f1e2d3c", make_settings(**settings))


def test_trigger_label_starts_a_plan() -> None:
    [job] = _jobs("issues.labeled")
    assert job == JobRequest(kind=JobKind.START_PLAN, issue=ISSUE, delivery_id="0f1e2d3c", sender="Codertocat")
    assert job.job_id == "start_plan-0f1e2d3c"


def test_trigger_label_matches_regardless_of_case() -> None:
    data = payload_dict("issues.labeled")
    data["label"]["name"] = "Needs-Plan"
    assert [job.kind for job in _jobs("issues.labeled", data)] == [JobKind.START_PLAN]


def test_other_labels_start_nothing() -> None:
    data = payload_dict("issues.labeled")
    data["label"]["name"] = "bug"
    assert _jobs("issues.labeled", data) == []


def test_configured_trigger_label_is_used() -> None:
    assert _jobs("issues.labeled", PLANBOT_TRIGGER_LABEL="plan-me") == []
    data = payload_dict("issues.labeled")
    data["label"]["name"] = "plan-me"
    assert [job.kind for job in _jobs("issues.labeled", data, PLANBOT_TRIGGER_LABEL="plan-me")] == [JobKind.START_PLAN]


def test_removing_the_trigger_label_cancels() -> None:
    [job] = _jobs("issues.unlabeled")
    assert (job.kind, job.issue) == (JobKind.CANCEL_PLAN, ISSUE)


def test_removing_another_label_cancels_nothing() -> None:
    data = payload_dict("issues.unlabeled")
    data["label"]["name"] = "bug"
    assert _jobs("issues.unlabeled", data) == []


def test_closing_a_labelled_issue_cancels() -> None:
    [job] = _jobs("issues.closed")
    assert (job.kind, job.issue, job.sender) == (JobKind.CANCEL_PLAN, ISSUE, "Codertocat")


def test_closing_an_issue_without_the_label_cancels_nothing() -> None:
    data = payload_dict("issues.closed")
    data["issue"]["labels"] = [label for label in data["issue"]["labels"] if label["name"] != "needs-plan"]
    assert _jobs("issues.closed", data) == []


def test_planbot_removing_its_own_label_is_ignored() -> None:
    data = payload_dict("issues.unlabeled")
    data["sender"] = {"login": "planbot[bot]", "type": "Bot"}
    assert _jobs("issues.unlabeled", data) == []
