"""The planning context: the spec plus everything the repository already says."""

from __future__ import annotations

from pydantic import BaseModel, Field

from bot.planning.constitution import Constitution
from bot.planning.decision_log import DecisionLog
from bot.planning.feature import Feature
from bot.planning.spec import Clarification, Spec
from bot.planning.stack import Stack


class PlanTemplate(BaseModel):
    path: str  # where it was found, e.g. ".specify/templates/overrides/plan-template.md"
    text: str = Field(repr=False)


class PlanningContext(BaseModel):
    spec: Spec
    spec_source: str  # what the spec came from: a path, or "issue #12"
    feature: Feature
    constitution: Constitution | None = None
    clarifications: list[Clarification] = Field(default_factory=list)  # from the spec and the log
    decision_log: DecisionLog = Field(default_factory=DecisionLog)
    plan_template: PlanTemplate | None = None
    stack: Stack = Field(default_factory=Stack)
    user_context: str | None = None  # `--context`, or the technical context
    private: bool = False  # a private repository: no spec text leaves the machine
