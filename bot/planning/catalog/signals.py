"""Triggers: what in a spec raises a topic. Each signal returns the evidence it found, empty
when it found none; a topic is raised only when its trigger returns evidence.

Patterns are compiled once, at import. A pattern never spans two sentences: the situation keeps
one sentence per line, so gaps are written `[^\\n]{0,N}`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.planning.decisions import Evidence
from bot.planning.spec import MetricKind

if TYPE_CHECKING:
    from bot.planning.catalog.situation import Situation

Signal = Callable[["Situation"], list[Evidence]]


def rx(*patterns: str) -> re.Pattern[str]:
    """One case-insensitive pattern matching any of `patterns`."""
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def near(left: str, right: str, gap: int = 80) -> str:
    """A pattern for `left` and `right` in the same sentence, at most `gap` characters apart, in either order."""
    return rf"(?:{left})[^\n]{{0,{gap}}}?(?:{right})|(?:{right})[^\n]{{0,{gap}}}?(?:{left})"


def _unique(evidence: list[Evidence]) -> list[Evidence]:
    seen: set[tuple[str, str]] = set()
    out: list[Evidence] = []
    for item in evidence:
        key = (item.source, item.quote)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def words(*patterns: str) -> Signal:
    """Sentences that match any of `patterns`."""
    pattern = rx(*patterns)

    def signal(situation: Situation) -> list[Evidence]:
        return [s.evidence() for s in situation.hits(pattern)]

    return signal


def matches(pattern: re.Pattern[str]) -> Signal:
    """Sentences that match an already compiled pattern (one shared with a topic's scoring)."""

    def signal(situation: Situation) -> list[Evidence]:
        return [s.evidence() for s in situation.hits(pattern)]

    return signal


def figure(kind: MetricKind, test: Callable[[float], bool], near_words: re.Pattern[str] | None = None) -> Signal:
    """Figures of `kind` whose value passes `test` (values in base units: ms, bytes, days, count, %)."""

    def signal(situation: Situation) -> list[Evidence]:
        return [ref.evidence() for ref in situation.metrics(kind, near_words) if test(ref.metric.value)]

    return signal


def any_of(*signals: Signal) -> Signal:
    def signal(situation: Situation) -> list[Evidence]:
        return _unique([e for s in signals for e in s(situation)])

    return signal


def all_of(*signals: Signal) -> Signal:
    """Evidence of every signal, or nothing when one of them finds nothing."""

    def signal(situation: Situation) -> list[Evidence]:
        found: list[Evidence] = []
        for s in signals:
            part = s(situation)
            if not part:
                return []
            found += part
        return _unique(found)

    return signal


def when(gate: Signal, signal: Signal) -> Signal:
    """`signal`'s evidence, but only when `gate` finds some (the gate's own evidence is not quoted)."""

    def gated(situation: Situation) -> list[Evidence]:
        return signal(situation) if gate(situation) else []

    return gated
