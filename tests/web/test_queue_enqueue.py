"""`enqueue_job`: one job per request id, by dotted path, with the request as plain JSON."""

from __future__ import annotations

import threading

import redis
from rq import Queue

from bot.jobs import JOB_FUNCTIONS, IssueRef, JobKind, JobRequest
from bot.queue import (
    FAILURE_TTL_SECONDS,
    JOB_TIMEOUT_SECONDS,
    RESULT_TTL_SECONDS,
    EnqueueStatus,
    connect_redis,
    enqueue_job,
)

REQUEST = JobRequest(
    kind=JobKind.COMMAND,
    issue=IssueRef(installation_id=7, owner="Octo-Org", repo="Hello-World", number=12),
    delivery_id="5c2c5a6e-0d7f-11ee-9a3c-2f1d4c7f4b11",
    sender="octocat",
    comment_id=99,
    command="/plan restart",
)


def test_enqueued_job_carries_the_request_as_json(queue: Queue) -> None:
    result = enqueue_job(queue, REQUEST, retry=None)
    assert (result.job_id, result.status) == (REQUEST.job_id, EnqueueStatus.ENQUEUED)
    [job] = queue.get_jobs()
    assert job.id == "command-5c2c5a6e-0d7f-11ee-9a3c-2f1d4c7f4b11"
    assert job.func_name == JOB_FUNCTIONS[JobKind.COMMAND] == "workers.jobs.command"
    assert job.args == (REQUEST.model_dump(mode="json"),)
    assert job.kwargs == {}
    assert JobRequest.model_validate(job.args[0]) == REQUEST
    assert (job.timeout, job.result_ttl, job.failure_ttl) == (
        JOB_TIMEOUT_SECONDS[JobKind.COMMAND],
        RESULT_TTL_SECONDS,
        FAILURE_TTL_SECONDS,
    )
    assert job.retries_left is None
    assert "octo-org/hello-world#12" in (job.description or "")


def test_same_request_twice_is_one_job(queue: Queue) -> None:
    assert enqueue_job(queue, REQUEST, retry=None).status is EnqueueStatus.ENQUEUED
    assert enqueue_job(queue, REQUEST, retry=None).status is EnqueueStatus.DUPLICATE
    assert queue.count == 1


def test_racing_enqueues_of_one_request_make_one_job(queue: Queue, redis_url: str) -> None:
    statuses: list[EnqueueStatus] = []
    barrier = threading.Barrier(8)

    def enqueue() -> None:
        connection = redis.Redis.from_url(redis_url)
        own_queue = Queue(queue.name, connection=connection)
        barrier.wait()
        statuses.append(enqueue_job(own_queue, REQUEST, retry=None).status)
        connection.close()

    threads = [threading.Thread(target=enqueue) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [EnqueueStatus.DUPLICATE] * 7 + [EnqueueStatus.ENQUEUED]
    assert queue.count == 1


def test_every_kind_has_a_timeout() -> None:
    assert set(JOB_TIMEOUT_SECONDS) == set(JobKind)


def test_connect_redis_gives_bytes_for_rq(redis_url: str) -> None:
    client = connect_redis(redis_url)
    client.set("k", "v")
    assert client.get("k") == b"v"
    client.close()
