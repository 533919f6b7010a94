"""RQ job entry points: thin functions that load state, call the engine and the GitHub adapter,
and save state. Each runs under the plan's lock, so two jobs of one plan never interleave."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from githubkit.exception import GitHubException, RateLimitExceeded, RequestFailed
from redis.exceptions import LockError, RedisError
from redis.lock import Lock
from rq import get_current_job

from bot.github.comments import Marker, find_own_comments
from bot.github.issues import get_issue
from bot.github.retry import is_transient
from bot.jobs import IssueRef, JobKind, JobRequest
from bot.logs import bind
from bot.plan_state import PlanPhase
from bot.planning.render import render_template
from workers.commands import run_command
from workers.plan_job import PlanJob
from workers.review import FinishPlan, ReplanPlan
from workers.runtime import Runtime, runtime
from workers.start_plan import StartPlan
from workers.stop_plan import cancel
from workers.sweep import Sweep, schedule_next_sweep
from workers.voting import CollectVotes

log = logging.getLogger(__name__)

LOCK_WAIT_SECONDS = 180  # how long a job waits for another job of the same plan


class PlanBusyError(RuntimeError):
    """Another job of the same plan held the lock for too long; the job fails and can be requeued."""


@contextmanager
def plan_lock(rt: Runtime, issue: IssueRef) -> Iterator[None]:
    """Hold the plan's lock for the job. A thread renews it every third of its lifetime, so a long
    job keeps it while a killed worker's lock expires within `lock_ttl_seconds`."""
    ttl = rt.settings.lock_ttl_seconds
    lock = Lock(rt.redis, f"planbot:lock:{issue.plan_key}", timeout=ttl, blocking_timeout=LOCK_WAIT_SECONDS,
                thread_local=False)  # the renewing thread uses the same token
    if not lock.acquire():
        raise PlanBusyError(f"{issue.plan_key} is busy with another job")
    done = threading.Event()

    def renew() -> None:
        while not done.wait(ttl / 3):
            try:
                lock.reacquire()
            except LockError:
                log.warning("lost the plan lock while the job ran")
                return

    keeper = threading.Thread(target=renew, name="plan-lock", daemon=True)
    keeper.start()
    try:
        yield
    finally:
        done.set()
        keeper.join()
        try:
            lock.release()
        except LockError:
            log.warning("plan lock had expired before release")


def _job(payload: dict[str, Any]) -> tuple[Runtime, JobRequest]:
    return runtime(), JobRequest.model_validate(payload)


def _logged(request: JobRequest) -> AbstractContextManager[None]:
    """Every log line of the job carries the ids that follow one plan from webhook to PR."""
    return bind(delivery_id=request.delivery_id, installation_id=request.issue.installation_id,
                repository=request.issue.full_name, issue=request.issue.number, job_id=request.job_id)


# What each job was doing, for the comment that says it failed.
STEPS: dict[JobKind, str] = {
    JobKind.START_PLAN: "starting the plan",
    JobKind.CANCEL_PLAN: "cancelling the plan",
    JobKind.COMMAND: "a /plan command",
    JobKind.TALLY: "counting the votes or publishing the plan",
    JobKind.REPLAN: "re-planning from the review",
    JobKind.FINISH: "closing the plan",
}


def diagnosis(exc: BaseException) -> str:
    """One line that says what went wrong, without secrets or tracebacks."""
    if isinstance(exc, RequestFailed):
        status = exc.response.status_code
        kind = ("GitHub's rate limit held planbot back" if isinstance(exc, RateLimitExceeded)
                else "GitHub is failing" if status >= 500 else "GitHub refused a request")
        return f"{kind} (HTTP {status} on {exc.response.raw_request.method} {exc.response.raw_request.url.path})."
    if isinstance(exc, GitHubException):
        return f"GitHub could not be reached ({type(exc).__name__})."
    if isinstance(exc, RedisError):
        return "Redis, where planbot keeps its queue and state, could not be reached."
    if isinstance(exc, PlanBusyError):
        return "Another job of this plan held it for too long."
    return f"An unexpected error stopped the job ({type(exc).__name__}); the operator's logs have the details."


def passing(exc: BaseException) -> bool:
    """A failure a later run may well not meet: GitHub failing or timing out, a rate limit,
    another job holding the plan (or a `WorkspaceError` caused by one of these)."""
    return any(
        cause is not None and (is_transient(cause) or isinstance(cause, (RateLimitExceeded, PlanBusyError)))
        for cause in (exc, exc.__cause__)
    )


@contextmanager
def reported(rt: Runtime, request: JobRequest) -> Iterator[None]:
    """Run a job. A passing failure with retries left is left to RQ, which runs the job again
    later (see `bot.queue.job_retry`). Otherwise the job fails for good: the issue says so once
    (the status comment shows the failed step) and RQ keeps the job as failed, to be requeued.
    A later job that succeeds clears the failure."""
    try:
        yield
    except Exception as exc:
        job = get_current_job()
        if job is not None and job.retries_left:
            if passing(exc):
                log.warning("%s failed (%s); it runs again later, %d tries left", request.kind.value,
                            diagnosis(exc), job.retries_left)
                raise
            job.retries_left = 0  # no later run mends this: fail now and say so
        log.exception("%s failed", request.kind.value)
        _report_failure(rt, request, exc)
        raise
    else:
        _clear_failure(rt, request)


def _report_failure(rt: Runtime, request: JobRequest, exc: BaseException) -> None:
    try:
        job = PlanJob(rt, request)
        state = job.resume()
        step, why = STEPS[request.kind], diagnosis(exc)
        job.upsert(Marker(kind="job-failed"), render_template(
            "comments/job-failed.md.j2", step=step, diagnosis=why, job_id=request.job_id))
        if state.status_comment_id is not None:
            state.failure = f"{step}: {why}"
            job.save(state, get_issue(job.inst, request.issue), [], "Comment `/plan restart` once the cause is gone.")
    except Exception:  # noqa: BLE001 - GitHub or Redis may be the very thing that is down
        log.warning("could not report the failure on the issue", exc_info=True)


def _clear_failure(rt: Runtime, request: JobRequest) -> None:
    try:
        state = rt.states.load(request.issue)
        if state is None or state.failure is None or state.phase is PlanPhase.FAILED:
            return
        state.failure = None
        job = PlanJob(rt, request)
        job.comments = find_own_comments(job.inst, request.issue)
        job.save(state, get_issue(job.inst, request.issue), [], "Carrying on where the failed job stopped.")
    except Exception:  # noqa: BLE001 - the job itself succeeded
        log.warning("could not clear the failure on the issue", exc_info=True)


def start_plan(payload: dict[str, Any]) -> str:
    rt, request = _job(payload)
    with _logged(request):
        with reported(rt, request), plan_lock(rt, request.issue):
            state = StartPlan(rt, request).run()
        if state is None:
            log.info("start_plan: the event is not one that asks this repository for a plan")
            return "ignored"
        log.info("start_plan finished in phase %s", state.phase.value)
        return state.phase.value


def cancel_plan(payload: dict[str, Any]) -> str:
    rt, request = _job(payload)
    with _logged(request):
        with reported(rt, request), plan_lock(rt, request.issue):
            state = cancel(rt, request)
        return state.phase.value if state else "none"


def command(payload: dict[str, Any]) -> str:
    rt, request = _job(payload)
    with _logged(request):
        with reported(rt, request), plan_lock(rt, request.issue):
            return run_command(rt, request)


def tally(payload: dict[str, Any]) -> str:
    rt, request = _job(payload)
    with _logged(request):
        with reported(rt, request), plan_lock(rt, request.issue):
            state = CollectVotes(rt, request).run()
        return state.phase.value


def replan(payload: dict[str, Any]) -> str:
    rt, request = _job(payload)
    with _logged(request):
        with reported(rt, request), plan_lock(rt, request.issue):
            return ReplanPlan(rt, request).run()


def finish(payload: dict[str, Any]) -> str:
    rt, request = _job(payload)
    with _logged(request):
        with reported(rt, request), plan_lock(rt, request.issue):
            return FinishPlan(rt, request).run()


def sweep() -> str:
    """Missed deliveries and stopped plans (see workers.sweep); schedules the next sweep first, so
    a sweep that fails does not end the schedule."""
    rt = runtime()
    schedule_next_sweep(rt)
    report = Sweep(rt).run()
    return report.model_dump_json()
