"""Route a webhook event to the handlers registered for its `(event, action)`.

    router = Router()

    @router.register("issues", "labeled")
    def start(payload: IssuesEvent, delivery_id: str, settings: Settings) -> list[JobRequest]: ...

A handler is a pure function: it reads the payload and says which jobs to run, nothing else.
`register(event)` without an action takes every action of the event. Routers combine:
`Router(plans.router, commands.router)` holds the handlers of both.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from bot.events.models import PAYLOAD_MODELS, EventPayload
from bot.jobs import JobRequest
from bot.logs import fields
from bot.settings import Settings

log = logging.getLogger(__name__)

Handler = Callable[[Any, str, Settings], list[JobRequest]]
H = TypeVar("H", bound=Handler)

ANY_ACTION: None = None


class Router:
    def __init__(self, *routers: Router) -> None:
        self._handlers: dict[tuple[str, str | None], list[Handler]] = {}
        for router in routers:
            for key, handlers in router._handlers.items():
                self._handlers.setdefault(key, []).extend(handlers)

    def register(self, event: str, action: str | None = ANY_ACTION) -> Callable[[H], H]:
        if event not in PAYLOAD_MODELS:
            raise ValueError(f"no payload model for event {event!r}: add it to PAYLOAD_MODELS")

        def decorator(handler: H) -> H:
            self._handlers.setdefault((event, action), []).append(handler)
            return handler

        return decorator

    def handlers(self, event: str, action: str | None) -> list[Handler]:
        specific = self._handlers.get((event, action), []) if action is not None else []
        return [*specific, *self._handlers.get((event, ANY_ACTION), [])]

    def wants(self, event: str, action: str | None) -> bool:
        """Whether any handler is registered for this event and action."""
        return (action is not None and (event, action) in self._handlers) or (event, ANY_ACTION) in self._handlers

    def routes(self) -> list[tuple[str, str | None]]:
        return sorted(self._handlers, key=lambda key: (key[0], key[1] or ""))

    def dispatch(self, event: str, payload: EventPayload, delivery_id: str, settings: Settings) -> list[JobRequest]:
        """The jobs the handlers ask for; none for an event a bot caused (planbot included)."""
        if payload.sender.is_bot:
            log.debug(
                "event from a bot ignored",
                extra=fields(event=event, action=payload.action, sender=payload.sender.login),
            )
            return []
        jobs: list[JobRequest] = []
        for handler in self.handlers(event, payload.action):
            jobs.extend(handler(payload, delivery_id, settings))
        return jobs
