"""The trigger label starts a plan; removing it, or closing the issue, cancels the plan."""

from __future__ import annotations

from bot.events.models import IssuesEvent, same_label
from bot.events.router import Router
from bot.jobs import JobKind, JobRequest
from bot.settings import Settings

router = Router()


@router.register("issues", "labeled")
def start_on_label(payload: IssuesEvent, delivery_id: str, settings: Settings) -> list[JobRequest]:
    if not _is_trigger(payload, settings):
        return []
    return [_request(JobKind.START_PLAN, payload, delivery_id)]


@router.register("issues", "unlabeled")
def cancel_on_unlabel(payload: IssuesEvent, delivery_id: str, settings: Settings) -> list[JobRequest]:
    if not _is_trigger(payload, settings):
        return []
    return [_request(JobKind.CANCEL_PLAN, payload, delivery_id)]


@router.register("issues", "closed")
def cancel_on_close(payload: IssuesEvent, delivery_id: str, settings: Settings) -> list[JobRequest]:
    """Only an issue that still carries the trigger label has a plan in progress to cancel."""
    if not payload.issue.has_label(settings.trigger_label):
        return []
    return [_request(JobKind.CANCEL_PLAN, payload, delivery_id)]


@router.register("issues", "edited")
def resume_on_edit(payload: IssuesEvent, delivery_id: str, settings: Settings) -> list[JobRequest]:
    """An issue marked as needing detail is planned again when its author edits it."""
    issue = payload.issue
    if not (issue.has_label(settings.trigger_label) and issue.has_label(settings.needs_detail_label)):
        return []
    return [_request(JobKind.START_PLAN, payload, delivery_id)]


def _is_trigger(payload: IssuesEvent, settings: Settings) -> bool:
    return payload.label is not None and same_label(payload.label.name, settings.trigger_label)


def _request(kind: JobKind, payload: IssuesEvent, delivery_id: str) -> JobRequest:
    return JobRequest(kind=kind, issue=payload.issue_ref(), delivery_id=delivery_id, sender=payload.sender.login)
