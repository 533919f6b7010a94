"""`planbot jobs`: what the queue holds — queued, running, scheduled and failed jobs — and
requeueing a failed one once its cause is gone."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

from bot.settings import QueueSettings

if TYPE_CHECKING:
    from rq import Queue

STATES: tuple[str, ...] = ("queued", "started", "scheduled", "failed")


class JobLine(BaseModel):
    id: str
    state: str
    description: str
    at: datetime | None = None  # enqueued, started, scheduled for, or ended (failed)
    error: str | None = None  # the last line of a failed job's exception


def _last_line(text: str | None) -> str | None:
    lines = [line for line in (text or "").strip().splitlines() if line.strip()]
    return lines[-1].strip()[:300] if lines else None


def list_jobs(queue: Queue, states: tuple[str, ...] = STATES) -> list[JobLine]:
    """Every job of the queue in these states, oldest first within each state."""
    from rq.job import Job
    from rq.registry import FailedJobRegistry, ScheduledJobRegistry, StartedJobRegistry

    registries = {
        "queued": lambda: queue.get_job_ids(),
        "started": lambda: StartedJobRegistry(queue=queue).get_job_ids(),
        "scheduled": lambda: ScheduledJobRegistry(queue=queue).get_job_ids(),
        "failed": lambda: FailedJobRegistry(queue=queue).get_job_ids(),
    }
    lines: list[JobLine] = []
    for state in states:
        for job in Job.fetch_many(registries[state](), connection=queue.connection):
            if job is None:
                continue
            at = {"queued": job.enqueued_at, "started": job.started_at, "failed": job.ended_at}.get(state)
            if state == "scheduled":
                at = ScheduledJobRegistry(queue=queue).get_scheduled_time(job)
            error = _last_line(job.latest_result().exc_string if job.latest_result() else None) if state == "failed" else None
            lines.append(JobLine(id=job.id, state=state, description=job.description or job.func_name, at=at, error=error))
    return lines


def jobs(
    action: Annotated[str, typer.Argument(help="`list` (default) or `requeue`.")] = "list",
    job_ids: Annotated[list[str] | None, typer.Argument(help="For requeue: the failed jobs' ids.")] = None,
    state: Annotated[list[str] | None, typer.Option("--state", help=f"Only these states: {', '.join(STATES)}.")] = None,
    all_failed: Annotated[bool, typer.Option("--all-failed", help="For requeue: every failed job.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the queue's jobs, or requeue failed ones."""
    from redis import Redis
    from rq import Queue
    from rq.registry import FailedJobRegistry

    settings = QueueSettings()
    queue = Queue(settings.queue_name, connection=Redis.from_url(settings.redis_url))
    if action == "requeue":
        registry = FailedJobRegistry(queue=queue)
        wanted = registry.get_job_ids() if all_failed else (job_ids or [])
        if not wanted:
            typer.echo("planbot: name the failed jobs to requeue, or pass --all-failed", err=True)
            raise typer.Exit(2)
        failed = set(registry.get_job_ids())
        unknown = [job_id for job_id in wanted if job_id not in failed]
        if unknown:
            typer.echo(f"planbot: not failed jobs of queue {settings.queue_name}: {', '.join(unknown)}", err=True)
            raise typer.Exit(1)
        for job_id in wanted:
            registry.requeue(job_id)
        typer.echo(f"requeued {len(wanted)} job(s)")
        return
    if action != "list":
        typer.echo(f"planbot: unknown action {action!r}: use `list` or `requeue`", err=True)
        raise typer.Exit(2)
    chosen = tuple(state or STATES)
    bad = [s for s in chosen if s not in STATES]
    if bad:
        typer.echo(f"planbot: unknown state {', '.join(bad)}: use {', '.join(STATES)}", err=True)
        raise typer.Exit(2)
    lines = list_jobs(queue, chosen)
    if as_json:
        typer.echo(json.dumps([line.model_dump(mode="json") for line in lines], indent=2))
        return
    table = Table(title=f"Jobs of queue {settings.queue_name}")
    for column in ("state", "id", "job", "when", "error"):
        table.add_column(column)
    for line in lines:
        table.add_row(line.state, line.id, line.description, line.at.isoformat(timespec="seconds") if line.at else "",
                      line.error or "")
    Console().print(table)
