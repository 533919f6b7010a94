"""`planbot worker`: run the RQ worker that carries out planning jobs."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.cli.startup import settings_and_logging


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
    Worker([queue], connection=connection, name=name).work(with_scheduler=True, burst=burst)
