"""The GitHub App's web process: the webhook receiver, health checks and metrics."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from redis import Redis

from bot import __version__
from bot.events import router as event_router
from bot.metrics import WebMetrics, build_registry
from bot.queue import connect_redis, job_retry, make_queue
from bot.settings import Settings
from bot.web import health, metrics, webhooks
from bot.web.deliveries import DeliveryLedger


def create_app(settings: Settings, redis: Redis | None = None) -> FastAPI:
    """The app; it connects to `settings.redis_url` unless given a client (which it then leaves open)."""
    client = redis if redis is not None else connect_redis(settings.redis_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if redis is None:
            client.close()

    app = FastAPI(
        title="planbot", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None
    )
    ledger = DeliveryLedger(client, make_queue(client, settings), settings.delivery_ttl_seconds,
                            retry=lambda: job_retry(settings))
    web_metrics = WebMetrics()
    app.state.redis = client
    app.state.settings = settings
    app.state.webhooks = webhooks.WebhookReceiver(settings, event_router, ledger, web_metrics)
    app.state.metrics = build_registry(client, settings.queue_name, settings.worker_stale_seconds, web_metrics)
    app.include_router(webhooks.router)
    app.include_router(health.router)
    app.include_router(metrics.router)
    return app
