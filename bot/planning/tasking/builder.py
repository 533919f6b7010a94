"""The task builder: the phases in order, then the guarantees (every decision put in place,
every requirement covered), the PROVISIONAL DECISION follow-ups, and the final task plan."""

from __future__ import annotations

from bot.planning.tasking.polish import PolishTasks
from bot.planning.tasks import TaskPlan


class TaskBuilder(PolishTasks):
    def build(self) -> TaskPlan:
        self.setup()
        self.foundational()
        self.stories()
        self.polish()
        self.decisions_guarantee()
        self.coverage_guarantee()
        self.provisional_follow_ups()
        return self.assemble()
