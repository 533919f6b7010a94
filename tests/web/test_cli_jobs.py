"""`planbot jobs`: the queue's queued, scheduled and failed jobs, and requeueing a failed one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import redis
from rq import Queue, SimpleWorker

from bot.jobs import IssueRef, JobKind, JobRequest
from bot.queue import enqueue_job, schedule_job

ROOT = Path(__file__).resolve().parents[2]
QUEUE = "planbot-jobs-test"


def planbot_jobs(redis_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REDIS_URL": redis_url, "PLANBOT_QUEUE": QUEUE}  # no app credentials needed
    return subprocess.run([sys.executable, "-m", "bot", "jobs", *args], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=60)


def failing(payload: dict) -> None:  # type: ignore[type-arg]
    raise RuntimeError("GitHub answered 502 three times")


def test_jobs_lists_every_state_and_requeues_a_failed_one(redis_url: str) -> None:
    connection = redis.Redis.from_url(redis_url)
    queue = Queue(QUEUE, connection=connection)
    queue.enqueue(failing, {}, job_id="broken-1")
    SimpleWorker([queue], connection=connection).work(burst=True)  # the only job: it fails
    issue = IssueRef(installation_id=1, owner="acme", repo="widgets", number=3)
    enqueue_job(queue, JobRequest(kind=JobKind.START_PLAN, issue=issue, delivery_id="d1", sender="maria"), retry=None)
    schedule_job(queue, JobRequest(kind=JobKind.TALLY, issue=issue, delivery_id="d2", sender="maria"),
                 datetime.now(UTC) + timedelta(minutes=5), retry=None)

    listed = json.loads(planbot_jobs(redis_url, "--json").stdout)
    by_id = {line["id"]: line for line in listed}
    assert by_id["start_plan-d1"]["state"] == "queued"
    assert by_id["tally-d2"]["state"] == "scheduled"
    assert by_id["broken-1"]["state"] == "failed" and "502 three times" in by_id["broken-1"]["error"]
    table = planbot_jobs(redis_url, "--state", "failed")
    assert table.returncode == 0 and "broken-1" in table.stdout and "start_plan-d1" not in table.stdout

    assert planbot_jobs(redis_url, "requeue", "nope").returncode == 1
    assert planbot_jobs(redis_url, "requeue").returncode == 2
    done = planbot_jobs(redis_url, "requeue", "broken-1")
    assert done.returncode == 0 and "requeued 1" in done.stdout
    assert {line["id"]: line["state"] for line in json.loads(planbot_jobs(redis_url, "--json").stdout)}["broken-1"] == "queued"
