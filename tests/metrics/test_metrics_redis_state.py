"""Jobs by state and plans by phase: read from Redis at scrape time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import redis
from rq import Queue, SimpleWorker

from bot.github.permissions import CollaboratorPermission
from bot.jobs import IssueRef
from bot.metrics import SCAN_BATCH, PlanCollector
from bot.plan_state import PlanPhase, PlanState, SpecCopy, StateStore
from bot.settings import Settings
from tests.metrics.scraping import Scrape


def jobs(scrape: Scrape) -> dict[str, float | None]:
    return {state: scrape.value("planbot_jobs", state=state)
            for state in ("queued", "started", "scheduled", "failed", "finished")}


def test_jobs_by_state_follow_rq(settings: Settings, redis_url: str, scrape: Callable[[], Scrape]) -> None:
    assert jobs(scrape()) == {"queued": 0, "started": 0, "scheduled": 0, "failed": 0, "finished": 0}

    connection = redis.Redis.from_url(redis_url)  # the worker's own, as in a worker process
    queue = Queue(settings.queue_name, connection=connection)
    queue.enqueue("math.sqrt", 4.0)
    queue.enqueue("math.sqrt", -1.0)  # ValueError: fails
    SimpleWorker([queue], connection=connection).work(burst=True)
    queue.enqueue("math.sqrt", 9.0)
    queue.enqueue_at(datetime.now(UTC) + timedelta(hours=1), "math.sqrt", 16.0)
    connection.close()

    assert jobs(scrape()) == {"queued": 1, "started": 0, "scheduled": 1, "failed": 1, "finished": 1}


def issue(number: int) -> IssueRef:
    return IssueRef(installation_id=7, owner="Acme", repo="Widgets", number=number)


def test_plans_by_phase_count_only_plan_states(redis_client: redis.Redis, scrape: Callable[[], Scrape]) -> None:
    states = StateStore(redis_client)
    for number, phase in ((1, PlanPhase.VOTING), (2, PlanPhase.VOTING), (3, PlanPhase.DONE)):
        states.save(PlanState(issue=issue(number), phase=phase))
    states.save_spec(issue(1), SpecCopy(text="Users sign in."))  # a cache beside the state: not a plan
    states.permissions(issue(1))["alice"] = CollaboratorPermission(login="alice", permission="write", role_name="write")
    redis_client.set(states.key(issue(4)), b"not a plan state")  # unreadable: not counted

    after = scrape()
    counts = {phase.value: after.value("planbot_plans", phase=phase.value) for phase in PlanPhase}
    assert counts == {phase.value: 0 for phase in PlanPhase} | {"voting": 2, "done": 1}
    assert after.value("planbot_plans_scan_truncated") == 0


def test_the_plan_scan_is_bounded(redis_client: redis.Redis) -> None:
    states = StateStore(redis_client)
    for number in range(1, 6):
        states.save(PlanState(issue=issue(number), phase=PlanPhase.REVIEW))
    collector = PlanCollector(states, [phase.value for phase in PlanPhase], max_keys=3)
    counts, truncated = collector.phase_counts()
    assert truncated and counts["review"] == 3
    truncated_sample = {m.name: m.samples[0].value for m in collector.collect()}["planbot_plans_scan_truncated"]
    assert truncated_sample == 1

    redis_client.mset({f"unrelated:{number}": b"x" for number in range(3 * SCAN_BATCH)})
    walked_little = PlanCollector(states, [phase.value for phase in PlanPhase], max_scan_calls=1)
    assert walked_little.state_keys()[1]  # one page of a keyspace this size cannot be all of it
