"""Comments on a planned issue become tallies; the plan pull request's comments, reviews and end
become re-plan and finish jobs, but only for a pull request whose body names its issue."""

from __future__ import annotations

from event_payloads import make_settings, payload_dict, parsed

from bot.events import router
from bot.jobs import JobKind, JobRequest

MARKER = '\n\n<!-- planbot:plan {"issue":7} -->'


def _comment(body: str, *, labels: list[str], pull_body: str | None = None, bot: bool = False) -> list[JobRequest]:
    data = payload_dict("issue_comment.created")
    data["comment"]["body"] = body
    data["issue"]["labels"] = [{"name": name} for name in labels]
    if pull_body is not None:
        data["issue"]["pull_request"] = {"url": "https://api.github.com/repos/Codertocat/Hello-World/pulls/1"}
        data["issue"]["body"] = pull_body
    if bot:
        data["sender"] = data["comment"]["user"] = {"login": "helper[bot]", "type": "Bot"}
    return router.dispatch("issue_comment", parsed("issue_comment", data), "d-1", make_settings())


def test_a_comment_on_a_planned_issue_counts_the_votes_again() -> None:
    [job] = _comment("Option B, we know it well.", labels=["needs-plan"])
    assert job.kind is JobKind.TALLY and job.issue.number == 1
    assert _comment("hello", labels=["bug"]) == []
    assert _comment("hello", labels=["needs-plan"], bot=True) == []


def test_replan_and_decide_on_the_plan_pull_request_name_its_issue() -> None:
    [job] = _comment("/replan add caching", labels=[], pull_body="The plan." + MARKER)
    assert job.kind is JobKind.REPLAN and job.issue.number == 7 and job.pull_number == 1
    [decide] = _comment("/decide TD002 B cheaper", labels=[], pull_body="The plan." + MARKER)
    assert decide.kind is JobKind.REPLAN
    assert _comment("looks good", labels=[], pull_body="The plan." + MARKER) == []
    assert _comment("/replan add caching", labels=[], pull_body="Someone else's pull request") == []


def _pull_event(event: str, action: str, **changes: object) -> dict:  # type: ignore[type-arg]
    data = payload_dict("issue_comment.created")  # borrow a genuine envelope: repository, installation, sender
    pull = {"number": 3, "body": "The plan." + MARKER, "merged": False, "user": {"login": "planbot[bot]", "type": "Bot"}}
    pull.update(changes)
    return {"action": action, "sender": data["sender"], "installation": data["installation"],
            "repository": data["repository"], "pull_request": pull}


def test_a_review_requesting_changes_replans() -> None:
    data = _pull_event("pull_request_review", "submitted")
    data["review"] = {"id": 99, "state": "changes_requested", "body": "more detail", "user": data["sender"]}
    [job] = router.dispatch("pull_request_review", parsed("pull_request_review", data), "d-2", make_settings())
    assert job.kind is JobKind.REPLAN and job.review_id == 99 and job.issue.number == 7 and job.pull_number == 3
    data["review"]["state"] = "approved"
    assert router.dispatch("pull_request_review", parsed("pull_request_review", data), "d-3", make_settings()) == []


def test_the_plan_pull_request_closing_finishes_the_plan() -> None:
    data = _pull_event("pull_request", "closed", merged=True)
    [job] = router.dispatch("pull_request", parsed("pull_request", data), "d-4", make_settings())
    assert job.kind is JobKind.FINISH and job.merged is True and job.issue.number == 7
    data["pull_request"]["body"] = "no marker"
    assert router.dispatch("pull_request", parsed("pull_request", data), "d-5", make_settings()) == []
