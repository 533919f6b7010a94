"""The plan pull request: `/replan` and `/decide` in its comments, a review requesting changes,
and its end (merged or closed).

A plan pull request names its issue in a hidden marker at the end of its body; the job checks
that the app itself opened the pull request before it trusts that, so a forged marker in someone
else's pull request plans nothing.
"""

from __future__ import annotations

from bot.events.models import IssueCommentEvent, PullRequestEvent, PullRequestReviewEvent
from bot.events.router import Router
from bot.github.comments import parse_markers
from bot.jobs import IssueRef, JobKind, JobRequest
from bot.replies import Decide, Replan, intents
from bot.settings import Settings

PLAN_MARKER_KIND = "plan"

router = Router()


def plan_issue(body: str | None) -> int | None:
    """The issue number a plan pull request's hidden marker names, if any."""
    for marker in parse_markers(body or ""):
        if marker.kind == PLAN_MARKER_KIND and marker.data is not None:
            number = marker.data.get("issue")
            if isinstance(number, int) and number > 0:
                return number
    return None


def _issue(pull: IssueRef, number: int) -> IssueRef:
    return pull.model_copy(update={"number": number})


@router.register("issue_comment", "created")
def replan_on_comment(payload: IssueCommentEvent, delivery_id: str, settings: Settings) -> list[JobRequest]:
    if not payload.issue.is_pull_request or payload.comment.is_automated:
        return []
    number = plan_issue(payload.issue.body)
    if number is None or not any(isinstance(i, Replan | Decide) for i in intents(payload.comment.body)):
        return []
    pull = payload.issue_ref()
    return [JobRequest(kind=JobKind.REPLAN, issue=_issue(pull, number), delivery_id=delivery_id,
                       sender=payload.sender.login, pull_number=pull.number, comment_id=payload.comment.id)]


@router.register("pull_request_review", "submitted")
def replan_on_review(payload: PullRequestReviewEvent, delivery_id: str, settings: Settings) -> list[JobRequest]:
    number = plan_issue(payload.pull_request.body)
    if number is None or payload.review.state.lower() != "changes_requested" or payload.review.user.is_bot:
        return []
    pull = payload.pull_ref()
    return [JobRequest(kind=JobKind.REPLAN, issue=_issue(pull, number), delivery_id=delivery_id,
                       sender=payload.sender.login, pull_number=pull.number, review_id=payload.review.id)]


@router.register("pull_request", "closed")
def finish_on_close(payload: PullRequestEvent, delivery_id: str, settings: Settings) -> list[JobRequest]:
    number = plan_issue(payload.pull_request.body)
    if number is None:
        return []
    pull = payload.pull_ref()
    return [JobRequest(kind=JobKind.FINISH, issue=_issue(pull, number), delivery_id=delivery_id,
                       sender=payload.sender.login, pull_number=pull.number, merged=payload.pull_request.merged)]
