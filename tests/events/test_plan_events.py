"""The trigger label starts a plan; removing it or closing the issue cancels it."""

from __future__ import annotations

from event_payloads import make_settings, payload_dict, parsed

from bot.events import router
from bot.jobs import IssueRef, JobKind, JobRequest

ISSUE = IssueRef(installation_id=957387, owner="Codertocat", repo="Hello-World", number=1)


def _jobs(name: str, data: dict | None = None, **settings: object) -> list[JobRequest]:  # type: ignore[type-arg]
    event = name.split(".")[0]
    return router.dispatch(event, parsed(event, data or payload_dict(name)), "0f1e2d3c", make_settings(**settings))


def test_a_label_added_asks_the_worker_with_its_name() -> None:
    [job] = _jobs("issues.labeled")
    assert job == JobRequest(kind=JobKind.START_PLAN, issue=ISSUE, delivery_id="0f1e2d3c", sender="Codertocat",
                             label="needs-plan")
    assert job.job_id == "start_plan-0f1e2d3c"


def test_any_label_goes_to_the_worker_which_knows_the_repositorys_trigger() -> None:
    # `.github/planbot.yml` may name another trigger label: only the job, which reads it, can tell
    data = payload_dict("issues.labeled")
    data["label"]["name"] = "plan-me"
    [job] = _jobs("issues.labeled", data)
    assert (job.kind, job.label) == (JobKind.START_PLAN, "plan-me")


def test_a_label_removed_asks_the_worker_to_cancel_with_its_name() -> None:
    [job] = _jobs("issues.unlabeled")
    assert (job.kind, job.issue, job.label) == (JobKind.CANCEL_PLAN, ISSUE, "needs-plan")


def test_closing_a_labelled_issue_cancels() -> None:
    [job] = _jobs("issues.closed")
    assert (job.kind, job.issue, job.sender, job.label) == (JobKind.CANCEL_PLAN, ISSUE, "Codertocat", None)


def test_closing_an_issue_without_labels_cancels_nothing() -> None:
    data = payload_dict("issues.closed")
    data["issue"]["labels"] = []
    assert _jobs("issues.closed", data) == []


def test_editing_an_issue_with_two_labels_asks_the_worker_whether_it_waits_for_detail() -> None:
    data = payload_dict("issues.labeled")
    data["action"] = "edited"
    [job] = _jobs("issues.edited", data)
    assert (job.kind, job.edited, job.label) == (JobKind.START_PLAN, True, None)
    data["issue"]["labels"] = data["issue"]["labels"][:1]
    assert _jobs("issues.edited", data) == []  # one label cannot be both the trigger and needs-detail


def test_planbot_removing_its_own_label_is_ignored() -> None:
    data = payload_dict("issues.unlabeled")
    data["sender"] = {"login": "planbot[bot]", "type": "Bot"}
    assert _jobs("issues.unlabeled", data) == []
