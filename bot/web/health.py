"""`/healthz`: the process answers. `/readyz`: and it can take work: Redis answers, so deliveries
can be queued, and a worker of the queue has sent a heartbeat lately, so they will be carried out.

Heartbeats are RQ's own (each worker's hash in Redis, `last_heartbeat`); `planbot worker` sets RQ's
`worker_ttl` so that an idle worker beats often enough for `PLANBOT_WORKER_STALE_SECONDS`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from redis import Redis
from redis.exceptions import RedisError
from starlette.concurrency import run_in_threadpool

from bot.metrics import fresh_workers, worker_heartbeats
from bot.settings import Settings

router = APIRouter()


@router.get("/healthz")
async def healthz() -> JSONResponse:
    return JSONResponse({"status": "ok"})


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    redis: Redis = request.app.state.redis
    settings: Settings = request.app.state.settings
    try:
        problem = await run_in_threadpool(why_not_ready, redis, settings.queue_name, settings.worker_stale_seconds)
    except RedisError as exc:
        return JSONResponse({"status": "unavailable", "detail": f"Redis: {type(exc).__name__}"}, status_code=503)
    if problem is not None:
        return JSONResponse({"status": "unavailable", "detail": problem}, status_code=503)
    return JSONResponse({"status": "ready"})


def why_not_ready(redis: Redis, queue_name: str, stale_seconds: int) -> str | None:
    """None when Redis answers and a worker of the queue beat within `stale_seconds`, else why not.
    Redis errors propagate."""
    redis.ping()
    beats = worker_heartbeats(redis, queue_name)
    now = datetime.now(UTC)
    if fresh_workers(beats, stale_seconds, now):
        return None
    if not beats:
        return f"no worker is registered on queue {queue_name!r}"
    newest = beats[0]
    return (
        f"no worker on queue {queue_name!r} has sent a heartbeat in the last {stale_seconds} s "
        f"(the latest, from {newest.name}, was {newest.age_seconds(now):.0f} s ago)"
    )
