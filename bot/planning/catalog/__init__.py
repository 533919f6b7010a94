"""The decision catalog: every technical decision planbot knows how to raise, by category.

Each category module declares its topics (triggers and scoring in Python, prose in
`texts/<category>.yaml`). `run_catalog` evaluates them against a planning context and returns
the decisions to put before people (not yet numbered) and the questions already settled.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from bot.planning.catalog import architecture, data, deployment, integration, performance, scaling, security, technology
from bot.planning.catalog.core import Topic
from bot.planning.catalog.evaluate import Raised, Settled, evaluate
from bot.planning.catalog.prose import load_prose
from bot.planning.catalog.situation import Situation
from bot.planning.context import PlanningContext
from bot.planning.decisions import Category, SettledDecision, TechnicalDecision

CATALOG: tuple[Topic, ...] = (
    *architecture.TOPICS,
    *technology.TOPICS,
    *integration.TOPICS,
    *performance.TOPICS,
    *security.TOPICS,
    *scaling.TOPICS,
    *deployment.TOPICS,
    *data.TOPICS,
)
# Choices that constrain many others are weighed first (after their own dependencies), so
# later topics can steer clear of options that clash with them.
FOUNDATIONS: tuple[str, ...] = (
    "deployment-platform",
    "multi-region",
    "horizontal-scaling",
    "service-boundaries",
    "primary-datastore",
)
TOPICS_BY_KEY: dict[str, Topic] = {topic.key: topic for topic in CATALOG}


def _check_catalog() -> None:
    if len(TOPICS_BY_KEY) != len(CATALOG):
        raise ValueError("catalog topic keys must be unique")
    for category in Category:
        declared = {t.key for t in CATALOG if t.category is category}
        written = set(load_prose(category))
        if declared != written:
            raise ValueError(
                f"catalog {category.value}: topics without prose {sorted(declared - written)}, "
                f"prose without a topic {sorted(written - declared)}"
            )
    for topic in CATALOG:
        unknown = [d for d in topic.depends_on if d not in TOPICS_BY_KEY]
        if unknown:
            raise ValueError(f"topic {topic.key} depends on unknown topics {unknown}")
    for key in FOUNDATIONS:
        if key not in TOPICS_BY_KEY:
            raise ValueError(f"foundation {key} is not a catalog topic")


def _evaluation_order() -> tuple[Topic, ...]:
    """Dependencies first; among topics that are ready, foundations first, then catalog order."""
    position = {topic.key: index for index, topic in enumerate(CATALOG)}

    def rank(key: str) -> tuple[int, int]:
        return (FOUNDATIONS.index(key) if key in FOUNDATIONS else len(FOUNDATIONS), position[key])

    waiting = {topic.key: set(topic.depends_on) for topic in CATALOG}
    ready = [rank(key) + (key,) for key, deps in waiting.items() if not deps]
    heapq.heapify(ready)
    order: list[Topic] = []
    while ready:
        *_, key = heapq.heappop(ready)
        order.append(TOPICS_BY_KEY[key])
        for other, deps in waiting.items():
            if key in deps:
                deps.discard(key)
                if not deps:
                    heapq.heappush(ready, rank(other) + (other,))
    if len(order) != len(CATALOG):
        stuck = sorted(set(TOPICS_BY_KEY) - {t.key for t in order})
        raise ValueError(f"catalog dependencies form a cycle among {stuck}")
    return tuple(order)


_check_catalog()
EVALUATION_ORDER: tuple[Topic, ...] = _evaluation_order()


@dataclass
class CatalogResult:
    decisions: list[TechnicalDecision] = field(default_factory=list)  # unnumbered, in evaluation order
    settled: list[SettledDecision] = field(default_factory=list)


def run_catalog(context: PlanningContext) -> CatalogResult:
    """Every topic the context gives evidence for: raised as a decision, or settled."""
    situation = Situation(context)
    result = CatalogResult()
    for topic in EVALUATION_ORDER:
        outcome = evaluate(topic, situation)
        if isinstance(outcome, Raised):
            result.decisions.append(outcome.decision)
        elif isinstance(outcome, Settled):
            result.settled.append(outcome.settled)
    return result


__all__ = ["CATALOG", "EVALUATION_ORDER", "TOPICS_BY_KEY", "CatalogResult", "Topic", "run_catalog"]
