"""RQ job entry points: thin functions that load state, call the engine and the GitHub adapter,
and save state. Each runs under the plan's lock, so two jobs of one plan never interleave."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from redis.exceptions import LockError
from redis.lock import Lock

from bot.jobs import IssueRef, JobRequest
from bot.logs import bind
from workers.commands import run_command
from workers.review import FinishPlan, ReplanPlan
from workers.runtime import Runtime, runtime
from workers.start_plan import StartPlan
from workers.stop_plan import cancel
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


def start_plan(payload: dict[str, Any]) -> str:
    rt, request = _job(payload)
    with _logged(request):
        with plan_lock(rt, request.issue):
            state = StartPlan(rt, request).run()
        log.info("start_plan finished in phase %s", state.phase.value)
        return state.phase.value


def cancel_plan(payload: dict[str, Any]) -> str:
    rt, request = _job(payload)
    with _logged(request):
        with plan_lock(rt, request.issue):
            state = cancel(rt, request)
        return state.phase.value if state else "none"


def command(payload: dict[str, Any]) -> str:
    rt, request = _job(payload)
    with _logged(request):
        with plan_lock(rt, request.issue):
            return run_command(rt, request)


def tally(payload: dict[str, Any]) -> str:
    rt, request = _job(payload)
    with _logged(request):
        with plan_lock(rt, request.issue):
            state = CollectVotes(rt, request).run()
        return state.phase.value


def replan(payload: dict[str, Any]) -> str:
    rt, request = _job(payload)
    with _logged(request):
        with plan_lock(rt, request.issue):
            return ReplanPlan(rt, request).run()


def finish(payload: dict[str, Any]) -> str:
    rt, request = _job(payload)
    with _logged(request):
        with plan_lock(rt, request.issue):
            return FinishPlan(rt, request).run()
