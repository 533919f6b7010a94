"""Each delivery's jobs enqueued once, and the delivery marked seen once they are.

The seen-key is written only after every job is safely on the queue, so a delivery whose enqueue
failed is not seen and GitHub's redelivery goes through. RQ's `unique=True` keeps two racing
copies of a delivery to one job each; the seen-key (kept as long as GitHub allows a redelivery)
still answers "duplicate" after the job itself has finished and expired.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pydantic import BaseModel
from redis import Redis
from rq import Queue, Retry

from bot.jobs import JobRequest
from bot.queue import EnqueueResult, EnqueueStatus, enqueue_job

SEEN_KEY_PREFIX = "planbot:delivery:"


class Submission(BaseModel):
    duplicate: bool  # the delivery was seen before: nothing new was enqueued
    jobs: list[EnqueueResult]


class DeliveryLedger:
    def __init__(self, redis: Redis, queue: Queue, ttl_seconds: int, retry: Callable[[], Retry | None]) -> None:
        self.redis = redis
        self.queue = queue
        self.ttl_seconds = ttl_seconds
        self.retry = retry  # each job's retries (RQ `Retry`), drawn afresh for every job

    @staticmethod
    def seen_key(delivery_id: str) -> str:
        return SEEN_KEY_PREFIX + delivery_id

    def is_seen(self, delivery_id: str) -> bool:
        return bool(self.redis.exists(self.seen_key(delivery_id)))

    def submit(self, delivery_id: str, requests: Sequence[JobRequest]) -> Submission:
        """Enqueue the delivery's jobs unless it was seen; Redis errors propagate."""
        if self.is_seen(delivery_id):
            return Submission(duplicate=True, jobs=[])
        results = [enqueue_job(self.queue, request, retry=self.retry()) for request in requests]
        job_ids = ",".join(result.job_id for result in results)
        self.redis.set(self.seen_key(delivery_id), job_ids, nx=True, ex=self.ttl_seconds)
        duplicate = all(result.status is EnqueueStatus.DUPLICATE for result in results)
        return Submission(duplicate=duplicate, jobs=results)
