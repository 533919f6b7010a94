"""`/plan status`, `/plan restart` and `/plan cancel` on the issue, from eligible people only."""

from __future__ import annotations

import logging
import re

from bot.github.issues import get_issue, react_to_comment
from bot.github.permissions import is_eligible
from bot.github.repo_config import RepoConfigError, VotersConfig, load_repo_config
from bot.jobs import JobRequest
from bot.plan_state import PlanPhase
from bot.voting import ACKNOWLEDGE
from workers.runtime import Runtime
from workers.start_plan import StartPlan
from workers.stop_plan import cancel

log = logging.getLogger(__name__)

COMMAND = re.compile(r"^/plan\s+(?P<verb>status|restart|cancel)\b", re.IGNORECASE)


def run_command(rt: Runtime, request: JobRequest) -> str:
    found = COMMAND.match((request.command or "").strip())
    if found is None:
        return "ignored: not a /plan command"
    verb = found["verb"].lower()
    inst = rt.app.installation(request.issue.installation_id)
    try:
        voters = load_repo_config(inst, request.issue.owner, request.issue.repo).config.voting.voters
    except RepoConfigError:
        voters = VotersConfig()  # a broken config still lets the default voters restart the plan
    if not is_eligible(inst, request.issue.owner, request.issue.repo, request.sender, voters):
        log.info("ignored /plan %s from %s: not an eligible person", verb, request.sender)
        return "ignored: not eligible"
    if request.comment_id is not None:
        react_to_comment(inst, request.issue, request.comment_id, ACKNOWLEDGE.content)  # type: ignore[arg-type]
    if verb == "cancel":
        cancel(rt, request)
    elif verb == "restart":
        restart(rt, request)
    else:
        status(rt, request)
    return verb


def restart(rt: Runtime, request: JobRequest) -> None:
    """Plan again from the issue as it is now, on the same branch and decision comments."""
    job = StartPlan(rt, request)
    state = job.resume()
    fresh = state.model_copy(update={"phase": PlanPhase.INTAKE, "base_sha": None, "branch_sha": None,
                                     "started_at": None, "posted": {}, "outcomes": {},
                                     "failure": None, "cancelled_from": None})
    rt.states.save(fresh)
    StartPlan(rt, request).run()


def status(rt: Runtime, request: JobRequest) -> None:
    """Bring the status comment up to date."""
    job = StartPlan(rt, request)
    state = job.resume()
    if state.phase is PlanPhase.VOTING:
        job.run()  # rebuilds the decisions and rewrites the status comment; posts nothing twice
        return
    if state.status_comment_id is not None:
        job.save(state, get_issue(job.inst, request.issue), [], "Nothing is running; comment `/plan restart` to plan again.")
