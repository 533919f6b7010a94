"""Figures as a person writes them, for reasoning sentences: `300 ms`, `20 MB`, `7 years`, `2,000`.

`Metric.display()` is the shared formatter; when it cannot be imported (the intake package is
optional for the catalog), a small local formatter gives the same kind of text.
"""

from __future__ import annotations

from bot.planning.spec import Metric, MetricKind

MB = 1024 * 1024
YEAR_DAYS = 365


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}".rstrip("0").rstrip(".")


def _duration(ms: float) -> str:
    if ms < 1000:
        return f"{_number(ms)} ms"
    seconds = ms / 1000
    if seconds < 120:
        return f"{_number(round(seconds, 1))} s"
    minutes = seconds / 60
    if minutes < 120:
        return f"{_number(round(minutes, 1))} minutes"
    return f"{_number(round(minutes / 60, 1))} hours"


def _size(size: float) -> str:
    for unit, factor in (("GB", 1024 * MB), ("MB", MB), ("KB", 1024)):
        if size >= factor:
            return f"{_number(round(size / factor, 1))} {unit}"
    return f"{_number(size)} bytes"


def _days(days: float) -> str:
    if days >= YEAR_DAYS and round(days / YEAR_DAYS, 1).is_integer():
        years = int(round(days / YEAR_DAYS))
        return f"{years} year{'s' if years != 1 else ''}"
    if days >= 30 and days % 30 == 0:
        months = int(days // 30)
        return f"{months} month{'s' if months != 1 else ''}"
    return f"{_number(days)} day{'s' if days != 1 else ''}"


def _local(metric: Metric) -> str:
    kind = metric.kind
    if kind in (MetricKind.LATENCY, MetricKind.DURATION):
        return _duration(metric.value)
    if kind is MetricKind.SIZE:
        return _size(metric.value)
    if kind is MetricKind.RETENTION:
        return _days(metric.value)
    if kind in (MetricKind.AVAILABILITY, MetricKind.PERCENTAGE):
        return f"{_number(metric.value)}%"
    if kind is MetricKind.THROUGHPUT:
        return f"{_number(metric.value)} per second"
    return _number(metric.value)


def figure(metric: Metric) -> str:
    """The figure of a metric as written for people."""
    try:
        return metric.display()
    except ImportError:
        return _local(metric)


def count(value: float) -> str:
    """A count with thousands separators: `2,000`."""
    return _number(value)


def seconds(ms: float) -> str:
    """A duration in milliseconds as `60 s`, `300 ms` or `3 minutes`."""
    return _duration(ms)
