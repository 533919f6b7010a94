"""Risks found in the spec and the decisions, with their mitigations."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Level = Literal["High", "Medium", "Low"]
LEVEL_RANK: dict[str, int] = {"High": 0, "Medium": 1, "Low": 2}  # 0 for the most serious


class Risk(BaseModel):
    title: str
    description: str
    likelihood: Level
    impact: Level
    mitigation: str
    area: Literal["performance", "security", "integration", "data", "delivery", "scope"]
    sources: list[str] = Field(default_factory=list)  # FR/SC/TD ids it comes from
    escalate: bool = False  # a performance or security risk flagged for escalation

    @property
    def critical(self) -> bool:
        return self.impact == "High" and self.likelihood != "Low"
