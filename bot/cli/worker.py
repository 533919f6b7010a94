"""`planbot worker`: run the RQ worker that carries out planning jobs."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.settings import SettingsError, load_settings


def worker(
    burst: Annotated[bool, typer.Option("--burst", help="Stop when the queue is empty.")] = False,
    name: Annotated[str | None, typer.Option("--name", help="The worker's name (default: generated).")] = None,
) -> None:
    """Take planning jobs from the queue, with RQ's scheduler for timed jobs (voting deadlines)."""
    from redis import Redis
    from rq import Queue, Worker

    try:
        settings = load_settings()
    except SettingsError as exc:
        typer.echo(f"planbot: {exc}", err=True)
        raise typer.Exit(2) from None
    from bot.logs import configure_logging

    configure_logging(settings.log_level)
    connection = Redis.from_url(settings.redis_url)
    queue = Queue(settings.queue_name, connection=connection)
    Worker([queue], connection=connection, name=name).work(with_scheduler=True, burst=burst)
