"""A person's new comment on an issue being planned is a reason to count the votes again: it may
hold `/decide`, `/plan approve` or a quote-reply, and reactions may have moved meanwhile (GitHub
sends no webhook for reactions)."""

from __future__ import annotations

from bot.events.models import IssueCommentEvent
from bot.events.router import Router
from bot.jobs import JobKind, JobRequest
from bot.settings import Settings

router = Router()


@router.register("issue_comment", "created")
def tally_on_comment(payload: IssueCommentEvent, delivery_id: str, settings: Settings) -> list[JobRequest]:
    issue = payload.issue
    if payload.comment.is_automated or issue.is_pull_request or not issue.has_label(settings.trigger_label):
        return []
    return [JobRequest(kind=JobKind.TALLY, issue=payload.issue_ref(), delivery_id=delivery_id,
                       sender=payload.sender.login, comment_id=payload.comment.id)]
