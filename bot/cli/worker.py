"""`planbot worker`: run the RQ worker that carries out planning jobs."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.cli.startup import settings_and_logging


SCHEDULER_TAKEOVER_SECONDS = 30


def worker(
    burst: Annotated[bool, typer.Option("--burst", help="Stop when the queue is empty.")] = False,
    name: Annotated[str | None, typer.Option("--name", help="The worker's name (default: generated).")] = None,
) -> None:
    """Take planning jobs from the queue, with RQ's scheduler for timed jobs (voting deadlines)."""
    from redis import Redis
    from rq import Queue, Worker

    settings = settings_and_logging()
    connection = Redis.from_url(settings.redis_url)
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


def worker_ttl(stale_seconds: int) -> int:
    """RQ's `worker_ttl` that keeps an idle worker's heartbeat fresh for `/readyz`.

    An idle RQ worker sends its heartbeat each time its blocking pop times out, every
    `worker_ttl - 15` seconds (420 - 15 by default, far beyond `PLANBOT_WORKER_STALE_SECONDS`); a
    busy one every 30 s while it watches its job. Beating three times per stale limit lets one or
    two beats be late without the web process calling the workers gone.
    """
    return max(5, stale_seconds // 3) + 15
