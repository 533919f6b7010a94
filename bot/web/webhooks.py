"""`POST /api/github/webhooks`: verify, de-duplicate, route, enqueue — and answer at once.

The order is fixed: size, then signature (nothing else is read or touched before it passes), then
headers and payload. A delivery no handler wants is answered without touching Redis; a wanted
one is answered once its jobs are on the queue, or with 503 when Redis cannot take them, so that
GitHub shows the delivery as failed and it can be redelivered.
"""

from __future__ import annotations

import logging
import re
import time
from enum import StrEnum

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from redis.exceptions import RedisError
from starlette.concurrency import run_in_threadpool

from bot.events import PayloadError, Router, parse_envelope, parse_event
from bot.events.models import EventPayload, IssueEventPayload
from bot.logs import bind, fields
from bot.metrics import DeliveryOutcome, WebMetrics
from bot.settings import Settings
from bot.web.body import read_limited_body
from bot.web.deliveries import DeliveryLedger
from bot.web.errors import WebhookRejected
from bot.web.headers import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, WEBHOOK_PATH
from bot.web.signature import signature_matches

log = logging.getLogger(__name__)

# A delivery id becomes part of RQ job ids, which allow only these characters; GitHub's are GUIDs.
DELIVERY_ID = re.compile(r"[A-Za-z0-9_-]{1,100}")
EVENT_NAME = re.compile(r"[a-z0-9_]{1,100}")
ACCEPTED = 202


class AckStatus(StrEnum):
    ENQUEUED = "enqueued"
    DUPLICATE = "duplicate"
    IGNORED = "ignored"


class WebhookAck(BaseModel):
    status: AckStatus
    delivery_id: str
    event: str
    action: str | None = None
    jobs: list[str] = []
    reason: str | None = None


OUTCOMES = {
    AckStatus.ENQUEUED: DeliveryOutcome.ACCEPTED,
    AckStatus.DUPLICATE: DeliveryOutcome.DUPLICATE,
    AckStatus.IGNORED: DeliveryOutcome.IGNORED,
}


class WebhookReceiver:
    def __init__(
        self, settings: Settings, router: Router, ledger: DeliveryLedger, metrics: WebMetrics | None = None
    ) -> None:
        self.settings = settings
        self.router = router
        self.ledger = ledger
        self.metrics = metrics or WebMetrics()
        self._secret = settings.webhook_secret.get_secret_value().encode("utf-8")

    async def handle(self, request: Request) -> JSONResponse:
        started = time.perf_counter()
        with bind(delivery_id=request.headers.get(DELIVERY_HEADER, "")[:100] or None):
            try:
                ack = await self._receive(request)
            except WebhookRejected as exc:
                log.warning(
                    "delivery refused: %s", exc.reason, extra=fields(**{**exc.context, "status": exc.status_code})
                )
                # the event is known (and bound) only once the signature and the headers passed
                event = exc.context.get("event")
                self.metrics.delivery_answered(
                    event if isinstance(event, str) else None, DeliveryOutcome.REFUSED, time.perf_counter() - started
                )
                return JSONResponse({"detail": exc.reason}, status_code=exc.status_code)
        self.metrics.delivery_answered(ack.event, OUTCOMES[ack.status], time.perf_counter() - started)
        return JSONResponse(ack.model_dump(mode="json", exclude_none=True), status_code=ACCEPTED)

    async def _receive(self, request: Request) -> WebhookAck:
        body = await read_limited_body(request, self.settings.max_payload_bytes)
        if not signature_matches(body, self._secret, request.headers.get(SIGNATURE_HEADER)):
            raise WebhookRejected(401, f"{SIGNATURE_HEADER} is missing or does not match the payload")
        event = request.headers.get(EVENT_HEADER, "")
        delivery_id = request.headers.get(DELIVERY_HEADER, "")
        if not EVENT_NAME.fullmatch(event):
            raise WebhookRejected(400, f"{EVENT_HEADER} is missing or not an event name")
        if not DELIVERY_ID.fullmatch(delivery_id):
            raise WebhookRejected(
                400, f"{DELIVERY_HEADER} is missing or has characters other than letters, digits, _ and -"
            )
        with bind(event=event):
            return await self._route(event, delivery_id, body)

    async def _route(self, event: str, delivery_id: str, body: bytes) -> WebhookAck:
        try:
            action = parse_envelope(body).action
            if not self.router.wants(event, action):
                return self._ack(AckStatus.IGNORED, delivery_id, event, action, reason="no handler for this event")
            payload = parse_event(event, body)
        except PayloadError as exc:
            raise WebhookRejected(400, f"unusable payload: {exc}") from None
        with bind(**payload_context(payload)):
            requests = self.router.dispatch(event, payload, delivery_id, self.settings)
            if not requests:
                return self._ack(AckStatus.IGNORED, delivery_id, event, action, reason="nothing to do")
            try:
                submission = await run_in_threadpool(self.ledger.submit, delivery_id, requests)
            except RedisError as exc:
                raise WebhookRejected(
                    503, f"the queue is unavailable ({type(exc).__name__}); redeliver later"
                ) from None
            jobs = [result.job_id for result in submission.jobs] or [request.job_id for request in requests]
            if submission.duplicate:
                return self._ack(
                    AckStatus.DUPLICATE, delivery_id, event, action, jobs=jobs, reason="delivery seen before"
                )
            return self._ack(AckStatus.ENQUEUED, delivery_id, event, action, jobs=jobs)

    @staticmethod
    def _ack(
        status: AckStatus,
        delivery_id: str,
        event: str,
        action: str | None,
        *,
        jobs: list[str] | None = None,
        reason: str | None = None,
    ) -> WebhookAck:
        ack = WebhookAck(
            status=status, delivery_id=delivery_id, event=event, action=action, jobs=jobs or [], reason=reason
        )
        # Most deliveries are ignored: logging each at INFO would cost more than answering it.
        level = logging.DEBUG if status is AckStatus.IGNORED else logging.INFO
        if log.isEnabledFor(level):
            log.log(level, "delivery %s", status.value, extra=fields(action=action, jobs=ack.jobs, reason=reason))
        return ack


def payload_context(payload: EventPayload) -> dict[str, object]:
    """The log fields a payload gives: installation, repository and issue."""
    context: dict[str, object] = {
        "installation_id": payload.installation.id if payload.installation else None,
        "repository": payload.repository.full_name if payload.repository else None,
    }
    if isinstance(payload, IssueEventPayload):
        context["issue"] = payload.issue.number
    return context


router = APIRouter()


@router.post(WEBHOOK_PATH, status_code=ACCEPTED, response_model=WebhookAck)
async def receive_webhook(request: Request) -> JSONResponse:
    receiver: WebhookReceiver = request.app.state.webhooks
    return await receiver.handle(request)
