"""milestones: foundation, MVP, later priorities and release, with weeks from the team's capacity."""

from __future__ import annotations

import math

import pytest
from tasks_plan_factory import task_plan

from bot.planning.tasks import Phase, Task, TaskPlan
from bot.planning.timeline import FOCUS_FACTOR, WORK_DAYS_PER_WEEK, milestones, weekly_capacity


def _plan(*phases: tuple[str, int | None, float]) -> TaskPlan:
    return TaskPlan(phases=[
        Phase(key=key, title=key, goal="", story=key.upper() if key.startswith("us") else None, priority=priority,
              tasks=[Task(id=f"T{i:03d}", description="work", phase=key, effort_days=effort)])
        for i, (key, priority, effort) in enumerate(phases, start=1)
    ])


def test_milestones_sum_to_the_total_effort() -> None:
    plan, _ = task_plan()
    found = milestones(plan, team_size=2)
    assert sum(m.effort_days for m in found) == pytest.approx(plan.effort_days)
    assert [p for m in found for p in m.phases] == [p.key for p in plan.phases]


def test_milestones_group_foundation_mvp_later_priorities_and_release() -> None:
    plan, _ = task_plan()
    names = [m.name for m in milestones(plan, team_size=2)]
    assert names == ["Foundation ready", "MVP (US1, US2)", "P2 increment (US3)", "P3 increment (US4)", "Release-ready"]


def test_weeks_are_cumulative_effort_over_the_team_capacity() -> None:
    plan = _plan(("setup", None, 4), ("foundational", None, 6), ("us1", 1, 12), ("us2", 2, 3), ("polish", None, 5))
    found = milestones(plan, team_size=2)
    capacity = 2 * WORK_DAYS_PER_WEEK * FOCUS_FACTOR
    assert weekly_capacity(2) == capacity
    cumulative = [10, 22, 25, 30]
    assert [m.end_week for m in found] == [math.ceil(c / capacity) for c in cumulative]
    assert [m.effort_days for m in found] == [10, 12, 3, 5]


def test_a_bigger_team_finishes_no_later() -> None:
    plan, _ = task_plan()
    small = milestones(plan, team_size=1)
    large = milestones(plan, team_size=4)
    assert all(a.end_week >= b.end_week for a, b in zip(small, large, strict=True))
    assert small[-1].end_week > large[-1].end_week
    weeks = [m.end_week for m in small]
    assert weeks == sorted(weeks)


def test_team_size_must_be_positive() -> None:
    with pytest.raises(ValueError):
        milestones(_plan(("setup", None, 1)), team_size=0)


def test_empty_groups_are_left_out() -> None:
    found = milestones(_plan(("setup", None, 1), ("core", 1, 2), ("polish", None, 1)), team_size=1)
    assert [m.name for m in found] == ["Foundation ready", "MVP", "Release-ready"]
    assert found[0].end_week == 1
