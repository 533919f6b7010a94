"""`/plan status|restart|cancel` on a line of its own in an issue comment becomes a command job.

The command is the first line that starts with one (leading spaces allowed); lines inside fenced
code blocks and quotes (`> /plan …`) are text, not commands. Comments written by a bot or through
an app are never commands.
"""

from __future__ import annotations

import re

from bot.events.models import IssueCommentEvent
from bot.events.router import Router
from bot.jobs import JobKind, JobRequest
from bot.settings import Settings

PLAN_COMMANDS: tuple[str, ...] = ("status", "restart", "cancel")

_COMMAND = re.compile(rf"/plan[ \t]+(?:{'|'.join(PLAN_COMMANDS)})(?![\w-])")
_FENCE = re.compile(r"(`{3,}|~{3,})")

router = Router()


@router.register("issue_comment", "created")
def command_in_comment(payload: IssueCommentEvent, delivery_id: str, settings: Settings) -> list[JobRequest]:
    if payload.comment.is_automated:
        return []
    command = find_command(payload.comment.body)
    if command is None:
        return []
    return [
        JobRequest(
            kind=JobKind.COMMAND,
            issue=payload.issue_ref(),
            delivery_id=delivery_id,
            sender=payload.sender.login,
            comment_id=payload.comment.id,
            command=command,
        )
    ]


def find_command(body: str) -> str | None:
    """The first command line of a comment body, stripped, e.g. `/plan restart`."""
    fence: str | None = None
    for line in body.splitlines():
        text = line.strip()
        marker = _FENCE.match(text)
        if fence is not None:
            if marker and _closes(fence, marker.group(1), text):
                fence = None
        elif marker:
            fence = marker.group(1)
        elif _COMMAND.match(text):
            return " ".join(text.split())
    return None


def _closes(fence: str, marker: str, text: str) -> bool:
    """A closing fence: the opening's character, at least as many, nothing after it."""
    return marker[0] == fence[0] and len(marker) >= len(fence) and text == marker
