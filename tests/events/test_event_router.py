"""The router: registration, wildcard actions, combining routers, and bots ignored."""

from __future__ import annotations

import pytest
from event_payloads import make_settings, payload_dict, parsed

from bot.events import router as planbot_router
from bot.events.models import IssuesEvent
from bot.events.router import Router
from bot.jobs import JobKind, JobRequest
from bot.settings import Settings


def _start(payload: IssuesEvent, delivery_id: str, settings: Settings) -> list[JobRequest]:
    return [
        JobRequest(
            kind=JobKind.START_PLAN, issue=payload.issue_ref(), delivery_id=delivery_id, sender=payload.sender.login
        )
    ]


def test_handlers_for_an_action_and_for_every_action() -> None:
    router = Router()
    calls: list[str] = []

    @router.register("issues", "labeled")
    def on_labeled(payload: IssuesEvent, delivery_id: str, settings: Settings) -> list[JobRequest]:
        calls.append("labeled")
        return _start(payload, delivery_id, settings)

    @router.register("issues")
    def on_any(payload: IssuesEvent, delivery_id: str, settings: Settings) -> list[JobRequest]:
        calls.append(f"any:{payload.action}")
        return []

    assert router.wants("issues", "labeled")
    assert router.wants("issues", "edited")  # the wildcard takes it
    assert not router.wants("issue_comment", "created")

    jobs = router.dispatch("issues", parsed("issues", payload_dict("issues.labeled")), "d-1", make_settings())
    assert [job.kind for job in jobs] == [JobKind.START_PLAN]
    assert calls == ["labeled", "any:labeled"]


def test_routers_combine() -> None:
    first, second = Router(), Router()
    first.register("issues", "labeled")(_start)
    second.register("issues", "labeled")(_start)
    second.register("installation")(lambda payload, delivery_id, settings: [])
    combined = Router(first, second)
    assert combined.routes() == [("installation", None), ("issues", "labeled")]
    assert len(combined.handlers("issues", "labeled")) == 2


def test_registering_an_event_without_a_model_fails_at_once() -> None:
    with pytest.raises(ValueError, match="no payload model for event 'check_suite'"):
        Router().register("check_suite", "requested")


def test_envelope_without_action_is_wanted_only_by_a_wildcard() -> None:
    router = Router()
    router.register("issues", "labeled")(_start)
    assert not router.wants("issues", None)


@pytest.mark.parametrize(("login", "kind"), [("planbot[bot]", "Bot"), ("renovate[bot]", "User"), ("automation", "Bot")])
def test_events_from_bots_give_no_jobs(login: str, kind: str) -> None:
    data = payload_dict("issues.labeled")
    data["sender"] = {"login": login, "type": kind}
    jobs = planbot_router.dispatch("issues", parsed("issues", data), "d-2", make_settings())
    assert jobs == []


def test_planbot_routes_are_the_behaviours() -> None:
    assert planbot_router.routes() == [
        ("installation", None),
        ("installation_repositories", None),
        ("issue_comment", "created"),
        ("issues", "closed"),
        ("issues", "edited"),
        ("issues", "labeled"),
        ("issues", "unlabeled"),
        ("pull_request", "closed"),
        ("pull_request_review", "submitted"),
    ]


def test_an_edit_resumes_only_an_issue_waiting_for_detail() -> None:
    from bot.events.plans import resume_on_edit

    def event(labels: list[str]) -> IssuesEvent:
        return IssuesEvent.model_validate({
            "action": "edited",
            "sender": {"login": "maria", "type": "User"},
            "installation": {"id": 1},
            "repository": {"name": "widgets", "full_name": "acme/widgets", "owner": {"login": "acme"}},
            "issue": {"number": 3, "title": "t", "labels": [{"name": n} for n in labels], "state": "open"},
        })

    settings = make_settings()
    assert resume_on_edit(event(["needs-plan"]), "d1", settings) == []  # voting: an edit changes nothing
    assert resume_on_edit(event(["needs-detail"]), "d2", settings) == []  # not asked for a plan
    jobs = resume_on_edit(event(["needs-plan", "needs-detail"]), "d3", settings)
    assert [(j.kind.value, j.issue.number) for j in jobs] == [("start_plan", 3)]
