"""`planbot worker`: run the RQ worker that carries out planning jobs.

An RQ worker quits when Redis goes away. `planbot worker` waits for Redis to answer again and
starts working anew (the sweep brings back whatever Redis lost), so a Redis restart needs no
process manager to bring the workers back.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.startup import settings_and_logging

if TYPE_CHECKING:
    from redis import Redis

    from bot.settings import Settings

log = logging.getLogger(__name__)

SCHEDULER_TAKEOVER_SECONDS = 30
REDIS_WAIT_CAP_SECONDS = 15.0  # while Redis is away, look at least this often


def worker(
    burst: Annotated[bool, typer.Option("--burst", help="Stop when the queue is empty.")] = False,
    name: Annotated[str | None, typer.Option("--name", help="The worker's name (default: generated).")] = None,
) -> None:
    """Take planning jobs from the queue, with RQ's scheduler for timed jobs (voting deadlines)."""
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    settings = settings_and_logging()
    connection = Redis.from_url(settings.redis_url)
    lives = 0
    while True:
        try:
            work(settings, connection, name if lives == 0 else f"{name}-{lives}" if name else None, burst=burst)
            return
        except (RedisConnectionError, RedisTimeoutError) as exc:
            if burst:
                raise
            lives += 1
            log.warning("Redis went away (%s); working again once it answers", exc)
            wait_for_redis(connection.ping)


def work(settings: Settings, connection: Redis, name: str | None, *, burst: bool) -> None:
    from rq import Queue, Worker

    queue = Queue(settings.queue_name, connection=connection)
    if not burst:  # the sweep keeps itself scheduled; any worker starting makes sure it is
        from datetime import UTC, datetime, timedelta

        from bot.queue import schedule_sweep

        first = datetime.now(UTC) + timedelta(seconds=settings.sweep_interval_seconds)
        schedule_sweep(queue, first, interval_seconds=settings.sweep_interval_seconds)
    # Maintenance every 30 s (RQ's default is 10 minutes): it is when another worker takes over the
    # scheduler of a worker that was killed, and scheduled tallies and sweeps wait for that.
    Worker([queue], connection=connection, name=name, worker_ttl=worker_ttl(settings.worker_stale_seconds),
           maintenance_interval=SCHEDULER_TAKEOVER_SECONDS).work(
        with_scheduler=True, burst=burst
    )


def wait_for_redis(ping: Callable[[], object], sleep: Callable[[float], None] = time.sleep) -> None:
    """Return once `ping` succeeds, looking again after 0.5 s, 1 s, 2 s, … up to every 15 s."""
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    delay = 0.5
    while True:
        try:
            ping()
            return
        except (RedisConnectionError, RedisTimeoutError):
            sleep(delay)
            delay = min(delay * 2, REDIS_WAIT_CAP_SECONDS)


def worker_ttl(stale_seconds: int) -> int:
    """RQ's `worker_ttl` that keeps an idle worker's heartbeat fresh for `/readyz`.

    An idle RQ worker sends its heartbeat each time its blocking pop times out, every
    `worker_ttl - 15` seconds (420 - 15 by default, far beyond `PLANBOT_WORKER_STALE_SECONDS`); a
    busy one every 30 s while it watches its job. Beating three times per stale limit lets one or
    two beats be late without the web process calling the workers gone.
    """
    return max(5, stale_seconds // 3) + 15
