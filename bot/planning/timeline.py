"""Milestones from the task estimates: when the foundation, the MVP, each later priority and the
release are ready, in calendar weeks for a team of a given size."""

from __future__ import annotations

import math

from bot.planning.plan import Milestone
from bot.planning.tasks import FOUNDATIONAL, POLISH, SETUP, Phase, TaskPlan

WORK_DAYS_PER_WEEK = 5
# Share of an engineer's week that goes into planned tasks; the rest is reviews, meetings,
# support and the unexpected.
FOCUS_FACTOR = 0.8


def weekly_capacity(team_size: int) -> float:
    """Ideal engineer-days a team delivers in one calendar week."""
    if team_size < 1:
        raise ValueError(f"team size must be at least 1, not {team_size}")
    return team_size * WORK_DAYS_PER_WEEK * FOCUS_FACTOR


def _groups(plan: TaskPlan) -> list[tuple[str, list[Phase]]]:
    """Phases grouped into milestones, in phase order: the foundation, the highest priority
    (the MVP), each later priority, and the release."""
    foundation = [p for p in plan.phases if p.key in (SETUP, FOUNDATIONAL)]
    delivery = plan.delivery_phases()
    polish = [p for p in plan.phases if p.key == POLISH]
    groups: list[tuple[str, list[Phase]]] = []
    if foundation:
        groups.append(("Foundation ready", foundation))
    priorities: list[int] = []
    for phase in delivery:
        priority = phase.priority if phase.priority is not None else 1
        if priority not in priorities:
            priorities.append(priority)
    for index, priority in enumerate(priorities):
        phases = [p for p in delivery if (p.priority if p.priority is not None else 1) == priority]
        stories = ", ".join(p.story for p in phases if p.story)
        label = f" ({stories})" if stories else ""
        groups.append((f"MVP{label}" if index == 0 else f"P{priority} increment{label}", phases))
    if polish:
        groups.append(("Release-ready", polish))
    return groups


def milestones(tasks: TaskPlan, team_size: int) -> list[Milestone]:
    """One milestone per group of phases, with its effort and the calendar week it ends in,
    counted from the start of implementation. Phases stay in plan order, so a later priority's
    milestone never ends before an earlier one."""
    capacity = weekly_capacity(team_size)
    out: list[Milestone] = []
    cumulative = 0.0
    for name, phases in _groups(tasks):
        effort = round(sum(p.effort_days for p in phases), 2)
        cumulative += effort
        out.append(
            Milestone(
                name=name,
                phases=[p.key for p in phases],
                effort_days=effort,
                end_week=max(1, math.ceil(round(cumulative / capacity, 6))),
            )
        )
    return out
