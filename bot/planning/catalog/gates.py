"""Conditions that say what kind of system a spec describes, so that web-service decisions are
raised only for a service people reach over the network (not for a CLI tool or a batch job)."""

from __future__ import annotations

from bot.planning.catalog.signals import any_of, figure, matches
from bot.planning.catalog.vocabulary import INTERACTIVE
from bot.planning.spec import MetricKind

# A service people or clients reach: pages, dashboards, endpoints, users online at once,
# an availability target or a request rate.
SERVICE = any_of(
    matches(INTERACTIVE),
    figure(MetricKind.CONCURRENCY, lambda v: v > 0),
    figure(MetricKind.AVAILABILITY, lambda v: v > 0),
    figure(MetricKind.THROUGHPUT, lambda v: v > 0),
)
