"""`/plan status|restart|cancel` in a comment becomes a command job; other comments nothing."""

from __future__ import annotations

import pytest
from event_payloads import make_settings, payload_dict, parsed

from bot.events import router
from bot.events.commands import PLAN_COMMANDS, find_command
from bot.jobs import IssueRef, JobKind, JobRequest


def _jobs(body: str, **changes: object) -> list[JobRequest]:
    data = payload_dict("issue_comment.created")
    data["comment"]["body"] = body
    for key, value in changes.items():
        data["comment"][key] = value
    return router.dispatch("issue_comment", parsed("issue_comment", data), "c0ffee", make_settings())


def test_plan_status_comment_is_a_command() -> None:
    [job] = _jobs("/plan status")
    data = payload_dict("issue_comment.created")
    assert job == JobRequest(
        kind=JobKind.COMMAND,
        issue=IssueRef(installation_id=957387, owner="Codertocat", repo="Hello-World", number=1),
        delivery_id="c0ffee",
        sender="Codertocat",
        comment_id=data["comment"]["id"],
        command="/plan status",
    )


@pytest.mark.parametrize("command", PLAN_COMMANDS)
def test_every_plan_command_is_recognised(command: str) -> None:
    [job] = _jobs(f"Thanks for the update.\n\n  /plan {command}  please\n")
    assert job.command == f"/plan {command} please"


@pytest.mark.parametrize(
    "body",
    [
        "You are totally right! I'll get this fixed right away.",
        "Could we /plan status this later?",  # not at the start of a line
        "> /plan cancel",  # a quote
        "```\n/plan restart\n```",  # a code block
        "~~~~\n/plan restart\n~~~\n```\n~~~~",  # still inside the tilde block
        "/plan statuses",
        "/plan status-report",
        "/plan approve",  # not one of this behaviour's commands
        "/planstatus",
        "",
    ],
)
def test_other_comments_are_not_commands(body: str) -> None:
    assert _jobs(body) == []


def test_first_command_line_wins_and_code_blocks_end() -> None:
    body = "```sh\n/plan cancel\n```\nthen\n/plan restart\n/plan cancel"
    assert find_command(body) == "/plan restart"


def test_comment_through_an_app_is_not_a_command() -> None:
    assert _jobs("/plan cancel", performed_via_github_app={"id": 1, "slug": "planbot"}) == []


def test_comment_by_a_bot_user_is_not_a_command() -> None:
    assert _jobs("/plan cancel", user={"login": "planbot[bot]", "type": "Bot"}) == []
