"""`/healthz`: the process answers. `/readyz`: and Redis answers too, so deliveries can be queued."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from redis import Redis
from redis.exceptions import RedisError
from starlette.concurrency import run_in_threadpool

router = APIRouter()


@router.get("/healthz")
async def healthz() -> JSONResponse:
    return JSONResponse({"status": "ok"})


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    redis: Redis = request.app.state.redis
    try:
        await run_in_threadpool(redis.ping)
    except RedisError as exc:
        return JSONResponse({"status": "unavailable", "detail": f"Redis: {type(exc).__name__}"}, status_code=503)
    return JSONResponse({"status": "ready"})
