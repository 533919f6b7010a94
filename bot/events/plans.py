"""The trigger label starts a plan; removing it, or closing the issue, cancels the plan.

A repository may name its own trigger and needs-detail labels in `.github/planbot.yml`, which
the web process does not read. So a label added or removed goes to the worker with its name, and
the job reads the repository's config and does nothing unless the label is that repository's
trigger; likewise an edit (planned again only when the issue waits for detail) or a close (only
an issue with a plan has anything to cancel) of a labelled issue.
"""

from __future__ import annotations

from bot.events.models import IssuesEvent
from bot.events.router import Router
from bot.jobs import JobKind, JobRequest
from bot.settings import Settings

router = Router()


@router.register("issues", "labeled")
def start_on_label(payload: IssuesEvent, delivery_id: str, settings: Settings) -> list[JobRequest]:
    if payload.label is None:
        return []
    return [_request(JobKind.START_PLAN, payload, delivery_id, label=payload.label.name)]


@router.register("issues", "unlabeled")
def cancel_on_unlabel(payload: IssuesEvent, delivery_id: str, settings: Settings) -> list[JobRequest]:
    if payload.label is None:
        return []
    return [_request(JobKind.CANCEL_PLAN, payload, delivery_id, label=payload.label.name)]


@router.register("issues", "closed")
def cancel_on_close(payload: IssuesEvent, delivery_id: str, settings: Settings) -> list[JobRequest]:
    """Only an issue that still carries a label (its trigger) can have a plan in progress to cancel."""
    if not payload.issue.labels:
        return []
    return [_request(JobKind.CANCEL_PLAN, payload, delivery_id)]


@router.register("issues", "edited")
def resume_on_edit(payload: IssuesEvent, delivery_id: str, settings: Settings) -> list[JobRequest]:
    """An issue marked as needing detail, still carrying its trigger, is planned again when edited
    (both labels: the job checks they are the repository's)."""
    if len(payload.issue.labels) < 2:
        return []
    return [_request(JobKind.START_PLAN, payload, delivery_id, edited=True)]


def _request(kind: JobKind, payload: IssuesEvent, delivery_id: str, *, label: str | None = None,
             edited: bool = False) -> JobRequest:
    return JobRequest(kind=kind, issue=payload.issue_ref(), delivery_id=delivery_id, sender=payload.sender.login,
                      label=label, edited=edited)
