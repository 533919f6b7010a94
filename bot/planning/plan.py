"""The whole plan: what the templates render and the validator checks."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from bot.planning.analysis import Analysis
from bot.planning.context import PlanningContext
from bot.planning.contracts import Contracts
from bot.planning.datamodel import DataModel
from bot.planning.decisions import Conflict
from bot.planning.layout import ProjectLayout
from bot.planning.risks import Risk
from bot.planning.tasks import TaskPlan


class Milestone(BaseModel):
    name: str
    phases: list[str]  # phase keys
    effort_days: float
    end_week: int  # cumulative, from the start of implementation


class Plan(BaseModel):
    context: PlanningContext
    analysis: Analysis
    conflicts: list[Conflict] = Field(default_factory=list)  # among the chosen options
    data_model: DataModel
    contracts: Contracts
    layout: ProjectLayout
    tasks: TaskPlan
    risks: list[Risk] = Field(default_factory=list)  # the analysis' risks plus those the decisions bring
    milestones: list[Milestone] = Field(default_factory=list)
    generated_at: datetime
    planbot_version: str
    team_size: int = 2  # engineers assumed for the timeline

    @property
    def spec(self):  # noqa: ANN201 - a shortcut for templates
        return self.context.spec

    @property
    def feature(self):  # noqa: ANN201
        return self.context.feature

    @property
    def decisions(self):  # noqa: ANN201
        return self.analysis.decisions
