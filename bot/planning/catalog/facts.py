"""Sentences about the spec's own figures, for recommendation reasoning: they name the id that
states the figure and read as a person would write them."""

from __future__ import annotations

import re

from bot.planning.catalog.figures import count, figure
from bot.planning.catalog.situation import MetricRef, Situation
from bot.planning.spec import MetricKind

LATENCY_BOUND_MS = 500.0
HIGH_CONCURRENCY = 1000.0


MAX_NAMED = 4


def join_ids(ids: list[str]) -> str:
    """`FR-001`, `FR-001 and SC-002`, `FR-001, FR-002, FR-003, FR-004 and 3 more`."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return ""
    if len(ids) == 1:
        return ids[0]
    if len(ids) > MAX_NAMED + 1:
        return f"{', '.join(ids[:MAX_NAMED])} and {len(ids) - MAX_NAMED} more"
    return f"{', '.join(ids[:-1])} and {ids[-1]}"


def agree(ids: list[str], one: str, many: str) -> str:
    """The verb form for `ids` as a subject: `FR-001 asks`, `FR-001 and US4 ask`."""
    return one if len(set(ids)) == 1 else many


def subject(ids: list[str], one: str, many: str) -> str:
    """`ids` as the subject of a verb, in its form `one` or `many`: `FR-001 asks`, `FR-001 and US4 ask`."""
    return f"{join_ids(ids)} {agree(ids, one, many)}"


def latency(ref: MetricRef) -> str:
    """`300 ms for 95% of requests` or `300 ms`."""
    metric = ref.metric
    if metric.percentile:
        return f"{figure(metric)} for {count(metric.percentile)}% of requests"
    return figure(metric)


def scale(situation: Situation) -> MetricRef | None:
    """The largest number of people or connections online at once the spec states."""
    return situation.highest(MetricKind.CONCURRENCY)


def latency_at_scale(situation: Situation, near: re.Pattern[str] | None = None) -> str | None:
    """`SC-002 sets 300 ms for 95% of requests at 2,000 concurrent users` — the strictest bound
    (optionally one whose sentence matches `near`), with the concurrency it must hold at."""
    bound = situation.lowest(MetricKind.LATENCY, near)
    if bound is None:
        return None
    text = f"{bound.source} sets a bound of {latency(bound)}"
    users = scale(situation)
    if users is not None:
        where = "" if users.source == bound.source else f" ({users.source})"
        text += f" at {count(users.metric.value)} concurrent users{where}"
    return text


def population(situation: Situation) -> MetricRef | None:
    return situation.highest(MetricKind.POPULATION)


def regions(situation: Situation) -> MetricRef | None:
    return situation.highest(MetricKind.REGIONS)


def availability(situation: Situation) -> MetricRef | None:
    return situation.highest(MetricKind.AVAILABILITY)


def largest_file(situation: Situation) -> MetricRef | None:
    return situation.highest(MetricKind.SIZE)


def longest_retention(situation: Situation) -> MetricRef | None:
    return situation.highest(MetricKind.RETENTION)


def described(ref: MetricRef) -> str:
    """`20 MB (FR-002)`."""
    return f"{figure(ref.metric)} ({ref.source})"
