"""Conditions that say what kind of system a spec describes, so that web-service decisions are
raised only for a service people reach over the network (not for a CLI tool or a batch job),
and the outgoing messages several topics look for."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.planning.catalog.signals import any_of, figure, matches
from bot.planning.catalog.vocabulary import INTERACTIVE, NOTIFY, SERVER_CHANNELS
from bot.planning.decisions import Evidence
from bot.planning.spec import MetricKind

if TYPE_CHECKING:
    from bot.planning.catalog.situation import Situation

# Any figure for users online at once, an availability target or a request rate.
STATED_LOAD = any_of(
    figure(MetricKind.CONCURRENCY, lambda v: v > 0),
    figure(MetricKind.AVAILABILITY, lambda v: v > 0),
    figure(MetricKind.THROUGHPUT, lambda v: v > 0),
)

# A service people or clients reach: pages, dashboards, endpoints, users online at once,
# an availability target or a request rate.
SERVICE = any_of(matches(INTERACTIVE), STATED_LOAD)


def outgoing_messages(situation: Situation) -> list[Evidence]:
    """Sentences about notifying people through a channel the server sends on (e-mail, chat, SMS…)."""
    return [s.evidence() for s in situation.hits(NOTIFY) if SERVER_CHANNELS.search(s.text)]
