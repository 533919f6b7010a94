"""Analysis without a model: which decisions need people, and what is already settled."""

from __future__ import annotations

from pydantic import BaseModel, Field

from bot.planning.decisions import Conflict, SettledDecision, TechnicalDecision
from bot.planning.risks import Risk


class BusinessQuestion(BaseModel):
    """A question only the business can answer (an open non-technical clarification)."""

    question: str
    location: str  # "FR-012"
    why_it_matters: str = ""


class Analysis(BaseModel):
    decisions: list[TechnicalDecision] = Field(default_factory=list)  # ordered by impact
    settled: list[SettledDecision] = Field(default_factory=list)
    conflicts: list[Conflict] = Field(default_factory=list)  # with earlier logged decisions, at analysis time
    business_questions: list[BusinessQuestion] = Field(default_factory=list)
    risks: list[Risk] = Field(default_factory=list)

    def decision(self, decision_id: str) -> TechnicalDecision:
        for td in self.decisions:
            if td.id == decision_id:
                return td
        raise KeyError(decision_id)
