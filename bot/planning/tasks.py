"""Implementation tasks in spec-kit's format and phases, traced to requirements and decisions."""

from __future__ import annotations

from pydantic import BaseModel, Field


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

    @property
    def effort_days(self) -> float:
        return sum(t.effort_days for t in self.tasks)


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
