"""What planbot exposes to Prometheus, in one place: the metric objects and the collectors.

The web process and the workers are separate processes, often several, on several machines. What
the web process sees itself (deliveries and how fast they were answered) lives in its memory
(`WebMetrics`). What workers see (GitHub requests and the rate limit left) is written to Redis hashes
(`SharedMetrics`, a few fields each, renewed on every write and left to expire when nothing
writes), and the web process reads it back at scrape time, like RQ's registries, the workers'
heartbeats and the plans' phases. A scrape costs a few pipelined round trips, plus a SCAN for the
plans that stops after a bounded number of calls, so it stays cheap however large the deployment.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

import httpx
from prometheus_client import CollectorRegistry, Counter, GCCollector, Histogram, PlatformCollector, ProcessCollector
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from pydantic import BaseModel, ValidationError
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Worker
from rq.utils import utcparse

if TYPE_CHECKING:
    from bot.plan_state import StateStore

log = logging.getLogger(__name__)

METRICS_KEY_PREFIX = "planbot:metrics"
SHARED_TTL_SECONDS = 30 * 24 * 3600  # a counter nothing wrote to for a month starts again from zero
APP_LABEL = "app"  # the rate-limit label of requests made as the app itself (JWT), not an installation
HTTP_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"})
MAX_PLAN_KEYS = 10_000  # a scrape counts this many plans at most
SCAN_BATCH = 1_000
MAX_SCAN_CALLS = 200  # and walks at most this many SCAN pages (200,000 keys of any kind)
# A webhook is answered in milliseconds when all is well; GitHub gives up after 10 s.
ACK_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class DeliveryOutcome(StrEnum):
    ACCEPTED = "accepted"  # its jobs are on the queue
    DUPLICATE = "duplicate"  # seen before: acknowledged, nothing enqueued
    IGNORED = "ignored"  # no handler wants it
    REFUSED = "refused"  # answered with an error status (bad signature, bad payload, queue down)


class JobState(StrEnum):
    QUEUED = "queued"
    STARTED = "started"
    SCHEDULED = "scheduled"
    FAILED = "failed"
    FINISHED = "finished"


# -- the web process's own metrics -----------------------------------------------------------------


class WebMetrics:
    """Deliveries by event and outcome, and how long answering them took; one set per app."""

    def __init__(self) -> None:
        self.deliveries = Counter(
            "planbot_webhook_deliveries",
            "Webhook deliveries answered, by event and outcome.",
            ["event", "outcome"],
            registry=None,
        )
        self.ack_seconds = Histogram(
            "planbot_webhook_ack_seconds",
            "Time from receiving a webhook delivery to its answer, by outcome.",
            ["outcome"],
            buckets=ACK_BUCKETS,
            registry=None,
        )

    def delivery_answered(self, event: str | None, outcome: DeliveryOutcome, seconds: float) -> None:
        """Count one delivery; `event` is None when it was refused before its event was known."""
        self.deliveries.labels(event=event or "unknown", outcome=outcome.value).inc()
        self.ack_seconds.labels(outcome=outcome.value).observe(seconds)

    def collectors(self) -> list[Counter | Histogram]:
        return [self.deliveries, self.ack_seconds]


# -- what any process counts, kept in Redis --------------------------------------------------------


class GitHubRequestCount(BaseModel):
    method: str
    status: str
    count: int


class SharedSnapshot(BaseModel):
    """The Redis-kept metrics as read at one moment."""

    github_requests: list[GitHubRequestCount]
    ratelimit_remaining: dict[str, int]  # installation id (or "app") -> requests left
    recovered_deliveries: int


class SharedMetrics:
    """Counters and gauges that workers (or any process) write to Redis and `/metrics` reads.

    Each metric is one key: a hash for the labelled ones (a field per label value), a string for
    the plain counter. Every write renews the key's expiry, so a metric nobody writes to any more
    disappears instead of lingering with its last value.
    """

    def __init__(self, redis: Redis, prefix: str = METRICS_KEY_PREFIX, ttl_seconds: int = SHARED_TTL_SECONDS) -> None:
        self.redis = redis
        self.ttl_seconds = ttl_seconds
        self.requests_key = f"{prefix}:github-requests"  # field "METHOD STATUS" -> count
        self.ratelimit_key = f"{prefix}:github-ratelimit-remaining"  # field installation -> remaining
        self.recovered_key = f"{prefix}:recovered-deliveries"

    def count_github_response(self, method: str, status: int, installation: str, remaining: int | None) -> None:
        """One answer from GitHub (every attempt of a retried request counts), and the rate limit it reported."""
        method = method.upper() if method.upper() in HTTP_METHODS else "OTHER"
        pipe = self.redis.pipeline(transaction=False)
        pipe.hincrby(self.requests_key, f"{method} {status}", 1)
        pipe.expire(self.requests_key, self.ttl_seconds)
        if remaining is not None:
            pipe.hset(self.ratelimit_key, installation, remaining)
            pipe.expire(self.ratelimit_key, self.ttl_seconds)
        pipe.execute()

    def count_recovered_deliveries(self, count: int = 1) -> None:
        """Deliveries that were lost on the way (a failed enqueue, a dead worker) and queued again."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.incrby(self.recovered_key, count)
        pipe.expire(self.recovered_key, self.ttl_seconds)
        pipe.execute()

    def snapshot(self) -> SharedSnapshot:
        """Everything at once, in one round trip."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.hgetall(self.requests_key)
        pipe.hgetall(self.ratelimit_key)
        pipe.get(self.recovered_key)
        requests, remaining, recovered = pipe.execute()
        counts: list[GitHubRequestCount] = []
        for field, value in sorted(requests.items()):
            method, _, status = _text(field).partition(" ")
            counts.append(GitHubRequestCount(method=method, status=status, count=int(value)))
        return SharedSnapshot(
            github_requests=counts,
            ratelimit_remaining={_text(name): int(value) for name, value in remaining.items()},
            recovered_deliveries=int(recovered or 0),
        )


class GitHubResponseRecorder:
    """An httpx response hook that counts every answer from GitHub in `SharedMetrics`.

    It only reads the response, and a Redis error here is logged and dropped: counting a request
    never changes what happens to it. Requests signed with the app's JWT (`Bearer`, the token
    exchange included) report the app's own rate limit, so theirs is kept under `app`.
    """

    def __init__(self, shared: SharedMetrics, installation_id: int | None) -> None:
        self.shared = shared
        self.installation = str(installation_id) if installation_id is not None else APP_LABEL

    def __call__(self, response: httpx.Response) -> None:
        request = response.request
        as_app = request.headers.get("authorization", "").lower().startswith("bearer ")
        try:
            self.shared.count_github_response(
                request.method,
                response.status_code,
                APP_LABEL if as_app else self.installation,
                _int_or_none(response.headers.get("x-ratelimit-remaining")),
            )
        except RedisError as exc:
            log.debug("GitHub request not counted: Redis %s", type(exc).__name__)


# -- workers and their heartbeats ------------------------------------------------------------------


class WorkerHeartbeat(BaseModel):
    name: str
    last_heartbeat: datetime

    def age_seconds(self, now: datetime) -> float:
        return (now - self.last_heartbeat).total_seconds()


def worker_heartbeats(redis: Redis, queue_name: str) -> list[WorkerHeartbeat]:
    """The RQ workers registered on the queue and their last heartbeats, newest first.

    Reads RQ's worker registry directly (one SMEMBERS, then one pipelined HGET per worker) rather
    than through `Worker.all()`: building a `Worker` raises the connection pool's socket timeout to
    the worker's blocking-pop timeout, which would take the web process's fail-fast Redis client
    with it. A worker whose hash has expired (killed without unregistering) is left out.
    """
    keys = sorted(Worker.all_keys(queue=Queue(queue_name, connection=redis)))
    if not keys:
        return []
    pipe = redis.pipeline(transaction=False)
    for key in keys:
        pipe.hget(key, "last_heartbeat")
    beats: list[WorkerHeartbeat] = []
    prefix = Worker.redis_worker_namespace_prefix
    for key, raw in zip(keys, pipe.execute(), strict=True):
        if raw is None:
            continue
        try:
            when = utcparse(_text(raw))  # RQ writes UTC and parses it back as aware
        except ValueError:
            continue
        beats.append(WorkerHeartbeat(name=key.removeprefix(prefix), last_heartbeat=when))
    return sorted(beats, key=lambda beat: beat.last_heartbeat, reverse=True)


def fresh_workers(beats: Iterable[WorkerHeartbeat], stale_seconds: float, now: datetime | None = None) -> int:
    """How many of the workers sent a heartbeat within `stale_seconds`."""
    now = now or datetime.now(UTC)
    return sum(1 for beat in beats if beat.age_seconds(now) <= stale_seconds)


# -- collectors that read Redis at scrape time -----------------------------------------------------


class QueueCollector:
    """Jobs of the planbot queue by state (RQ's queue and registries) and workers with a fresh heartbeat."""

    def __init__(self, redis: Redis, queue_name: str, stale_seconds: float) -> None:
        self.redis = redis
        self.queue = Queue(queue_name, connection=redis)
        self.stale_seconds = stale_seconds

    def describe(self) -> list[Metric]:
        return [_jobs_family(), _workers_family()]

    def job_counts(self) -> dict[JobState, int]:
        """One pipelined read; no registry clean-up (that is the workers' job, not a scrape's)."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.llen(self.queue.key)
        for registry in (
            self.queue.started_job_registry,
            self.queue.scheduled_job_registry,
            self.queue.failed_job_registry,
            self.queue.finished_job_registry,
        ):
            pipe.zcard(registry.key)
        queued, started, scheduled, failed, finished = pipe.execute()
        return {
            JobState.QUEUED: queued,
            JobState.STARTED: started,
            JobState.SCHEDULED: scheduled,
            JobState.FAILED: failed,
            JobState.FINISHED: finished,
        }

    def collect(self) -> Iterator[Metric]:
        try:
            counts = self.job_counts()
            workers = fresh_workers(worker_heartbeats(self.redis, self.queue.name), self.stale_seconds)
        except RedisError as exc:
            log.warning("metrics: cannot read the queue from Redis (%s)", type(exc).__name__)
            return
        jobs = _jobs_family()
        for state, count in counts.items():
            jobs.add_metric([state.value], count)
        yield jobs
        fresh = _workers_family()
        fresh.add_metric([], workers)
        yield fresh


class _PhaseOnly(BaseModel):
    phase: str  # a plan state's other fields are not read


class PlanCollector:
    """Plans by phase: a bounded SCAN of the plan-state keys, their phase read in batches.

    `phases` lists every phase, so that each has a series (0 when no plan is in it).
    """

    def __init__(self, states: StateStore, phases: Sequence[str], max_keys: int = MAX_PLAN_KEYS,
                 max_scan_calls: int = MAX_SCAN_CALLS) -> None:
        self.redis = states.redis
        self.prefix = states.prefix + ":"
        self.phases = list(phases)
        self.max_keys = max_keys
        self.max_scan_calls = max_scan_calls

    def describe(self) -> list[Metric]:
        return [_plans_family(), _plans_truncated_family()]

    def state_keys(self) -> tuple[list[bytes], bool]:
        """The plan-state keys (not the per-plan caches beside them), and whether the scan stopped early."""
        keys: list[bytes] = []
        cursor: int = 0
        for _ in range(self.max_scan_calls):
            cursor, page = self.redis.scan(cursor, match=self.prefix + "*", count=SCAN_BATCH)
            for key in page:
                if ":" in _text(key)[len(self.prefix):]:
                    continue  # "<prefix>:comments:<plan>" and the like; a plan key has no colon
                if len(keys) >= self.max_keys:
                    return keys, True
                keys.append(key)
            if cursor == 0:
                return keys, False
        return keys, True

    def phase_counts(self) -> tuple[dict[str, int], bool]:
        keys, truncated = self.state_keys()
        counts = dict.fromkeys(self.phases, 0)
        for start in range(0, len(keys), SCAN_BATCH):
            for raw in self.redis.mget(keys[start:start + SCAN_BATCH]):
                phase = _phase_of(raw)
                if phase in counts:
                    counts[phase] += 1  # an unknown phase (an older or foreign shape) is not counted
        return counts, truncated

    def collect(self) -> Iterator[Metric]:
        try:
            counts, truncated = self.phase_counts()
        except RedisError as exc:
            log.warning("metrics: cannot read the plans from Redis (%s)", type(exc).__name__)
            return
        plans = _plans_family()
        for phase, count in counts.items():
            plans.add_metric([phase], count)
        yield plans
        stopped = _plans_truncated_family()
        stopped.add_metric([], 1 if truncated else 0)
        yield stopped


class SharedCollector:
    """The metrics workers keep in Redis (`SharedMetrics`), as Prometheus families."""

    def __init__(self, shared: SharedMetrics) -> None:
        self.shared = shared

    def describe(self) -> list[Metric]:
        return [_requests_family(), _ratelimit_family(), _recovered_family()]

    def collect(self) -> Iterator[Metric]:
        try:
            snapshot = self.shared.snapshot()
        except RedisError as exc:
            log.warning("metrics: cannot read the shared counters from Redis (%s)", type(exc).__name__)
            return
        requests = _requests_family()
        for item in snapshot.github_requests:
            requests.add_metric([item.method, item.status], item.count)
        yield requests
        remaining = _ratelimit_family()
        for installation, value in sorted(snapshot.ratelimit_remaining.items()):
            remaining.add_metric([installation], value)
        yield remaining
        recovered = _recovered_family()
        recovered.add_metric([], snapshot.recovered_deliveries)
        yield recovered


def build_registry(
    redis: Redis, queue_name: str, stale_seconds: float, web: WebMetrics, *, process: bool = True
) -> CollectorRegistry:
    """Everything `/metrics` shows: the web process's own metrics, the Redis-backed ones, and
    (with `process`) the standard process, platform and garbage-collector metrics."""
    registry = CollectorRegistry()
    for collector in web.collectors():
        registry.register(collector)
    registry.register(SharedCollector(SharedMetrics(redis)))
    registry.register(QueueCollector(redis, queue_name, stale_seconds))
    # bot.plan_state imports the GitHub adapter, which imports this module for its response hook
    from bot.plan_state import PlanPhase, StateStore

    registry.register(PlanCollector(StateStore(redis), [phase.value for phase in PlanPhase]))
    if process:
        ProcessCollector(registry=registry)
        PlatformCollector(registry=registry)
        GCCollector(registry=registry)
    return registry


# -- families (built fresh for each scrape) --------------------------------------------------------


def _jobs_family() -> GaugeMetricFamily:
    return GaugeMetricFamily("planbot_jobs", "Jobs of the planbot queue by state (RQ's registries).",
                             labels=["state"])


def _workers_family() -> GaugeMetricFamily:
    return GaugeMetricFamily("planbot_workers", "Workers of the planbot queue with a heartbeat within "
                             "PLANBOT_WORKER_STALE_SECONDS.")


def _plans_family() -> GaugeMetricFamily:
    return GaugeMetricFamily("planbot_plans", "Plans by phase (their state in Redis).", labels=["phase"])


def _plans_truncated_family() -> GaugeMetricFamily:
    return GaugeMetricFamily("planbot_plans_scan_truncated",
                             "1 when the scan for plans stopped at its bound and planbot_plans counts only some.")


def _requests_family() -> CounterMetricFamily:
    return CounterMetricFamily("planbot_github_requests", "Answers from the GitHub API, by method and status.",
                               labels=["method", "status"])


def _ratelimit_family() -> GaugeMetricFamily:
    return GaugeMetricFamily("planbot_github_ratelimit_remaining",
                             "x-ratelimit-remaining of the latest GitHub answer, by installation (or app).",
                             labels=["installation"])


def _recovered_family() -> CounterMetricFamily:
    return CounterMetricFamily("planbot_recovered_deliveries", "Deliveries recovered and queued again.")


def _phase_of(raw: bytes | None) -> str | None:
    if raw is None:
        return None
    try:
        return _PhaseOnly.model_validate_json(raw).phase
    except ValidationError:
        return None


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value
