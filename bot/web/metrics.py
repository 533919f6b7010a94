"""`GET /metrics`: Prometheus' text format, from the registry `create_app` built (`bot.metrics`).

A scrape reads Redis (RQ's registries, the workers' counters, the plans' phases), so it runs in
the thread pool, away from the event loop that answers webhooks.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from starlette.concurrency import run_in_threadpool

router = APIRouter()


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    registry: CollectorRegistry = request.app.state.metrics
    body = await run_in_threadpool(generate_latest, registry)
    return Response(content=body, media_type=CONTENT_TYPE_LATEST)
