"""Installations added, removed or changed: logged for the operator, nothing queued."""

from __future__ import annotations

import logging

from bot.events.models import InstallationEvent
from bot.events.router import Router
from bot.jobs import JobRequest
from bot.logs import fields
from bot.settings import Settings

log = logging.getLogger(__name__)

router = Router()


@router.register("installation")
@router.register("installation_repositories")
def log_installation(payload: InstallationEvent, delivery_id: str, settings: Settings) -> list[JobRequest]:
    log.info(
        "installation %s",
        payload.action,
        extra=fields(installation_id=payload.installation.id, action=payload.action, sender=payload.sender.login),
    )
    return []
