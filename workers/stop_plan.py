"""Cancelling a plan: the trigger label removed by a person, or the issue closed.

Nothing is deleted: the branch and the decision comments stay, and labelling the issue again
resumes where the plan stopped.
"""

from __future__ import annotations

from bot.events.models import same_label
from bot.github.issues import get_issue
from bot.github.repo_config import RepoConfigError, load_repo_config
from bot.jobs import JobRequest
from bot.plan_state import PlanPhase, PlanState
from workers.runtime import Runtime
from workers.start_plan import StartPlan

STOPPABLE = (PlanPhase.INTAKE, PlanPhase.NEEDS_DETAIL, PlanPhase.ANALYSIS, PlanPhase.BRANCH, PlanPhase.VOTING,
             PlanPhase.FAILED)


def trigger_label(job: StartPlan) -> str:
    """The repository's trigger label (the app's when its config cannot be read)."""
    try:
        return load_repo_config(job.inst, job.issue.owner, job.issue.repo).config.labels.trigger
    except RepoConfigError:
        return job.rt.settings.trigger_label


def cancel(rt: Runtime, request: JobRequest) -> PlanState | None:
    """Mark the plan cancelled; None when the issue never had one (or the label removed is not the
    repository's trigger), unchanged once the PR is open."""
    job = StartPlan(rt, request)
    if request.label is not None and not same_label(request.label, trigger_label(job)):
        return None
    state = job.resume()
    if state.status_comment_id is None and state.phase is PlanPhase.INTAKE:
        return None  # planbot never started on this issue
    if state.phase not in STOPPABLE:
        return state
    state.cancelled_from = state.phase
    state.phase = PlanPhase.CANCELLED
    info = get_issue(job.inst, request.issue)
    job.save(state, info, [], f"Cancelled after `{request.sender}` removed the label or closed the issue. "
                              "Add the label again to resume where the plan stopped.")
    return state
