"""Webhook events: lenient payload models, the router, and one module per behaviour.

`router` holds every handler planbot has; the web app asks it which deliveries it wants and
which jobs they become.
"""

from __future__ import annotations

from bot.events import commands, installations, plans, reviews, voting
from bot.events.models import PAYLOAD_MODELS, EventPayload, PayloadError, parse_envelope, parse_event
from bot.events.router import Handler, Router

router = Router(plans.router, commands.router, voting.router, reviews.router, installations.router)

__all__ = [
    "PAYLOAD_MODELS",
    "EventPayload",
    "Handler",
    "PayloadError",
    "Router",
    "parse_envelope",
    "parse_event",
    "router",
]
