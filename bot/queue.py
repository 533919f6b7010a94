"""Putting job requests on the RQ queue, once each.

The web process names job functions by dotted path (`JOB_FUNCTIONS`), so it never imports worker
code, and passes the request as plain JSON so that the worker validates it back into a
`JobRequest`.

Every job can run again safely (each step looks for what it would create before creating it), so
jobs carry an RQ `Retry` (`job_retry`): a job that fails, or whose worker is killed, runs again
after a growing, jittered delay. The worker stops the retries of a failure no retry can mend
(see `workers.jobs.reported`).
"""

from __future__ import annotations

import random
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel
from redis import Redis
from redis.backoff import ExponentialWithJitterBackoff
from redis.retry import Retry
from rq import Queue, Retry as JobRetry
from rq.exceptions import DuplicateJobError

from bot.jobs import JOB_FUNCTIONS, JobKind, JobRequest
from bot.settings import Settings

# How long one job may run before RQ stops it. Starting a plan reads the repository, creates the
# branch and posts one comment per decision at ≥1 s apart; the others are a few requests.
JOB_TIMEOUT_SECONDS: dict[JobKind, int] = {
    JobKind.START_PLAN: 30 * 60,
    JobKind.CANCEL_PLAN: 5 * 60,
    JobKind.COMMAND: 10 * 60,
    JobKind.TALLY: 30 * 60,  # may end in generating the plan and opening its pull request
    JobKind.REPLAN: 30 * 60,
    JobKind.FINISH: 5 * 60,
}
RESULT_TTL_SECONDS = 24 * 3600  # a finished job stays visible for a day
FAILURE_TTL_SECONDS = 14 * 24 * 3600  # a failed one for two weeks, to be looked at and requeued

# A webhook must be answered within GitHub's 10 s: fail fast when Redis is unreachable.
REDIS_CONNECT_TIMEOUT_SECONDS = 1.0
REDIS_SOCKET_TIMEOUT_SECONDS = 2.0
REDIS_RETRIES = 1


class EnqueueStatus(StrEnum):
    ENQUEUED = "enqueued"
    DUPLICATE = "duplicate"  # a job with this id exists already


class EnqueueResult(BaseModel):
    job_id: str
    status: EnqueueStatus


def connect_redis(url: str) -> Redis:
    """A client for RQ (bytes responses) that gives up quickly when Redis is down."""
    return Redis.from_url(
        url,
        socket_connect_timeout=REDIS_CONNECT_TIMEOUT_SECONDS,
        socket_timeout=REDIS_SOCKET_TIMEOUT_SECONDS,
        retry=Retry(ExponentialWithJitterBackoff(base=0.01, cap=0.1), REDIS_RETRIES),
        health_check_interval=30,
    )


def make_queue(redis: Redis, settings: Settings) -> Queue:
    return Queue(settings.queue_name, connection=redis)


RETRY_GROWTH = 4  # each retry waits this many times longer than the one before
RETRY_JITTER = 0.25  # ± this share of each delay, so jobs failed by one burst do not return together


def job_retry(settings: Settings, rng: random.Random | None = None) -> JobRetry | None:
    """The retries a job gets: `job_retries` of them, the first after `job_retry_seconds`."""
    if settings.job_retries == 0:
        return None
    rng = rng or random.Random()
    delays = [settings.job_retry_seconds * RETRY_GROWTH**n for n in range(settings.job_retries)]
    return JobRetry(max=settings.job_retries,
                    interval=[max(1, round(d * rng.uniform(1 - RETRY_JITTER, 1 + RETRY_JITTER))) for d in delays])


def _job_options(request: JobRequest, retry: JobRetry | None) -> dict[str, object]:
    return {
        "retry": retry,
        "job_id": request.job_id,
        "unique": True,
        "job_timeout": JOB_TIMEOUT_SECONDS[request.kind],
        "result_ttl": RESULT_TTL_SECONDS,
        "failure_ttl": FAILURE_TTL_SECONDS,
        "description": f"{request.kind.value} {request.issue.plan_key} (delivery {request.delivery_id})",
    }


def schedule_job(queue: Queue, request: JobRequest, at: datetime, *, retry: JobRetry | None) -> EnqueueResult:
    """Run the request's job at `at` (a worker started with the scheduler moves it onto the queue);
    a job with the same id, scheduled or queued, is left as it is."""
    try:
        queue.enqueue_at(at, JOB_FUNCTIONS[request.kind], request.model_dump(mode="json"),
                         **_job_options(request, retry))
    except DuplicateJobError:
        return EnqueueResult(job_id=request.job_id, status=EnqueueStatus.DUPLICATE)
    return EnqueueResult(job_id=request.job_id, status=EnqueueStatus.ENQUEUED)


SWEEP_FUNCTION = "workers.jobs.sweep"


def schedule_sweep(queue: Queue, at: datetime, *, interval_seconds: float) -> EnqueueResult:
    """The sweep (missed deliveries, stopped plans) at `at`: one job per interval slot, however many
    workers schedule it."""
    job_id = f"sweep-{int(at.timestamp() // interval_seconds)}"
    try:
        queue.enqueue_at(at, SWEEP_FUNCTION, job_id=job_id, unique=True, job_timeout=30 * 60,
                         result_ttl=RESULT_TTL_SECONDS, failure_ttl=FAILURE_TTL_SECONDS, description="sweep")
    except DuplicateJobError:
        return EnqueueResult(job_id=job_id, status=EnqueueStatus.DUPLICATE)
    return EnqueueResult(job_id=job_id, status=EnqueueStatus.ENQUEUED)


def enqueue_job(queue: Queue, request: JobRequest, *, retry: JobRetry | None) -> EnqueueResult:
    """Enqueue the request's job under its id; a job with that id already there is left as it is.

    RQ's `unique=True` checks, saves and pushes in one Lua script, so two deliveries of the same
    event racing each other enqueue one job. Redis errors propagate (the caller answers 503).
    """
    try:
        queue.enqueue(JOB_FUNCTIONS[request.kind], request.model_dump(mode="json"), **_job_options(request, retry))
    except DuplicateJobError:
        return EnqueueResult(job_id=request.job_id, status=EnqueueStatus.DUPLICATE)
    return EnqueueResult(job_id=request.job_id, status=EnqueueStatus.ENQUEUED)
