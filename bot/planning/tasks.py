"""Implementation tasks in spec-kit's format and phases, traced to requirements and decisions.

The models live here; `build_tasks` lays the work out the way spec-kit's tasks.md does: Setup,
Foundational (what blocks every story), one phase per user story in priority order, then Polish
(see `bot.planning.tasking.builder`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

if TYPE_CHECKING:
    from bot.planning.analysis import Analysis
    from bot.planning.context import PlanningContext
    from bot.planning.contracts import Contracts
    from bot.planning.datamodel import DataModel
    from bot.planning.layout import ProjectLayout
    from bot.planning.plan import Plan
    from bot.planning.tasking.values import DependencyValues, TasksValues


class Task(BaseModel):
    id: str  # "T001"
    description: str
    phase: str  # the key of its phase: "setup", "foundational", "us1", …, "polish"
    story: str | None = None  # "US1" for story phases
    parallel: bool = False  # "[P]": touches different files, no dependency on an unfinished task
    requirements: list[str] = Field(default_factory=list)  # FR ids this task implements
    decisions: list[str] = Field(default_factory=list)  # TD ids it depends on
    depends_on: list[str] = Field(default_factory=list)  # task ids
    effort_days: float = 1.0  # the estimate, in ideal engineer-days
    path: str | None = None  # the main file it touches, when known
    acceptance: str = ""  # how to tell it is done

    def line(self) -> str:
        """The spec-kit checklist line: `- [ ] T012 [P] [US1] Description`."""
        parts = ["- [ ]", self.id]
        if self.parallel:
            parts.append("[P]")
        if self.story:
            parts.append(f"[{self.story}]")
        parts.append(self.description)
        return " ".join(parts)


class Phase(BaseModel):
    key: str
    title: str  # "Phase 1: Setup", "Phase 3: User Story 1 - Submit an expense report (Priority: P1) 🎯 MVP"
    goal: str
    story: str | None = None
    checkpoint: str = ""
    tasks: list[Task] = Field(default_factory=list)
    priority: int | None = None  # the story's priority (1 for P1); None for setup, foundational and polish

    @property
    def effort_days(self) -> float:
        return sum(t.effort_days for t in self.tasks)


SETUP = "setup"
FOUNDATIONAL = "foundational"
POLISH = "polish"
CORE = "core"  # the one delivery phase of a spec that has no user stories
MVP_MARK = "🎯 MVP"


class TaskPlan(BaseModel):
    phases: list[Phase] = Field(default_factory=list)

    def tasks(self) -> list[Task]:
        return [t for p in self.phases for t in p.tasks]

    @property
    def effort_days(self) -> float:
        return sum(p.effort_days for p in self.phases)

    def coverage(self) -> dict[str, list[str]]:
        """FR id -> the ids of the tasks that implement it."""
        out: dict[str, list[str]] = {}
        for task in self.tasks():
            for fr in task.requirements:
                out.setdefault(fr, []).append(task.id)
        return out

    def phase(self, key: str) -> Phase | None:
        return next((p for p in self.phases if p.key == key), None)

    def task(self, task_id: str) -> Task | None:
        return next((t for t in self.tasks() if t.id == task_id), None)

    def delivery_phases(self) -> list[Phase]:
        """The phases that deliver user-visible work: one per story (or the core phase)."""
        return [p for p in self.phases if p.key not in (SETUP, FOUNDATIONAL, POLISH)]

    def phase_dependencies(self) -> dict[str, list[str]]:
        """Phase key -> the keys of the phases that must finish first: Foundational waits for
        Setup, every story for Foundational and for any story whose tasks it builds on, Polish
        for every story."""
        owner = {t.id: p.key for p in self.phases for t in p.tasks}
        keys = [p.key for p in self.phases]
        delivery = [p.key for p in self.delivery_phases()]
        out: dict[str, list[str]] = {}
        for index, phase in enumerate(self.phases):
            needed: set[str] = set()
            if phase.key == FOUNDATIONAL:
                needed.add(SETUP)
            elif phase.key == POLISH:
                needed.update(delivery or [FOUNDATIONAL, SETUP])
            elif phase.key != SETUP:
                needed.add(FOUNDATIONAL if FOUNDATIONAL in keys else SETUP)
            for task in phase.tasks:
                needed.update(owner[d] for d in task.depends_on if d in owner)
            needed.discard(phase.key)
            out[phase.key] = [k for k in keys[:index] if k in needed]
        return out

    def markdown_values(self, plan: Plan) -> TasksValues:
        """What tasks.md renders beyond the tasks themselves (order, coverage, checklists); the
        template calls this, so rendering needs nothing but the plan."""
        from bot.planning.tasking.values import tasks_markdown_values

        return tasks_markdown_values(plan)

    def dependency_values(self, plan: Plan) -> DependencyValues:
        """What dependencies.md renders: the graph, external services, libraries, infrastructure, skills."""
        from bot.planning.tasking.values import dependency_values

        return dependency_values(plan)

    def critical_path(self) -> list[Task]:
        """The longest chain of work, in days, through task and phase dependencies."""
        finish: dict[str, float] = {}
        via: dict[str, str | None] = {}
        phase_end: dict[str, tuple[float, str | None]] = {}
        needs = self.phase_dependencies()
        for phase in self.phases:
            start: tuple[float, str | None] = max(
                (phase_end[k] for k in needs[phase.key] if k in phase_end), default=(0.0, None), key=lambda e: e[0]
            )
            for task in phase.tasks:
                best, best_via = start
                for dep in task.depends_on:
                    if dep in finish and finish[dep] > best:
                        best, best_via = finish[dep], dep
                finish[task.id] = best + task.effort_days
                via[task.id] = best_via
            phase_end[phase.key] = max(
                ((finish[t.id], t.id) for t in phase.tasks), default=start, key=lambda e: e[0]
            )
        if not finish:
            return []
        current: str | None = max(finish, key=lambda k: finish[k])
        chain: list[str] = []
        while current is not None:
            chain.append(current)
            current = via[current]
        by_id = {t.id: t for t in self.tasks()}
        return [by_id[i] for i in reversed(chain)]


def build_tasks(
    context: PlanningContext,
    analysis: Analysis,
    data_model: DataModel,
    contracts: Contracts,
    layout: ProjectLayout,
) -> TaskPlan:
    """spec-kit's phases for this feature: Setup, Foundational, one phase per user story in
    priority order (the first of the highest priority marked MVP), and Polish. Every functional
    requirement lands on a task; every decision in force is put in place by one; a PROVISIONAL
    DECISION gets a review checkpoint before its work and a migration task in Polish."""
    from bot.planning.tasking.builder import TaskBuilder  # the builder imports these models

    return TaskBuilder(context, analysis, data_model, contracts, layout).build()
