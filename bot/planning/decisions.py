"""Technical decisions: the decision card, its options and its outcome.

The shapes follow the planning method's decision card (Context, Decision Required, Options
with Pros/Cons/Cost Impact, Recommendation, Impact on Implementation, Reversibility) plus
what the workflow tracks once people answer (outcome, decider, timestamp, review trigger).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

OPTION_KEYS: tuple[str, ...] = ("A", "B", "C", "D", "E", "F")


class Category(StrEnum):
    """The eight decision categories of the planning method, in its order."""

    ARCHITECTURE = "Architecture"
    TECHNOLOGY = "Technology"
    INTEGRATION = "Integration"
    PERFORMANCE = "Performance"
    SECURITY = "Security"
    SCALING = "Scaling"
    DEPLOYMENT = "Deployment"
    DATA = "Data"


class Reversibility(StrEnum):
    EASY = "Easy"
    MEDIUM = "Medium"
    HARD = "Hard"

    @property
    def rank(self) -> int:
        """0 for the easiest to undo; the recommendation prefers lower ranks among close options."""
        return {"Easy": 0, "Medium": 1, "Hard": 2}[self.value]


class Impact(StrEnum):
    HIGH = "High"
    MEDIUM = "Medium"
    LOW = "Low"

    @property
    def rank(self) -> int:
        """0 for the highest impact; decisions are presented in this order."""
        return {"High": 0, "Medium": 1, "Low": 2}[self.value]


class DecisionStatus(StrEnum):
    PENDING = "PENDING"
    DECIDED = "DECIDED"
    PROVISIONAL = "PROVISIONAL"  # nobody answered: the recommendation stands, marked PROVISIONAL DECISION
    BLOCKED = "BLOCKED"  # an eligible objection stops an automatic decision


class Evidence(BaseModel):
    """Why a decision is raised: a quote from the spec or the context."""

    source: str  # "FR-007", "SC-002", "US4", "Edge case", "Constitution: II. PostgreSQL…", "Stack: pyproject.toml"
    quote: str


class Option(BaseModel):
    key: str  # "A", "B", …
    title: str
    summary: str = ""  # the technical approach in one or two sentences
    pros: list[str] = Field(default_factory=list)
    cons: list[str] = Field(default_factory=list)
    cost_impact: str = ""
    reversibility: Reversibility = Reversibility.MEDIUM
    # Traits the conflict check reads, e.g. {"short-lived-compute"} or {"long-lived-connections"}.
    traits: list[str] = Field(default_factory=list)


class Outcome(BaseModel):
    """How a decision was settled."""

    option: str  # the chosen option's key
    rationale: str
    decided_by: list[str] = Field(default_factory=list)  # logins or names; empty for a provisional default
    decided_at: datetime
    provisional: bool = False
    votes: dict[str, int] = Field(default_factory=dict)  # option key -> eligible votes, when voted


class TechnicalDecision(BaseModel):
    id: str  # "TD001"
    topic: str  # the catalog entry that raised it, e.g. "realtime-transport"; stable across re-plans
    category: Category
    title: str
    context: str  # technical background, quoting the evidence
    evidence: list[Evidence] = Field(default_factory=list)
    question: str  # "Decision Required"
    options: list[Option]
    recommendation: str  # the recommended option's key
    recommendation_reasoning: str
    impact: Impact
    impact_on_implementation: str
    reversibility: Reversibility
    depends_on: list[str] = Field(default_factory=list)  # ids of TDs whose outcome shapes this one's options
    review_trigger: str
    status: DecisionStatus = DecisionStatus.PENDING
    outcome: Outcome | None = None

    def option(self, key: str) -> Option:
        for option in self.options:
            if option.key == key:
                return option
        raise KeyError(f"{self.id} has no option {key}")

    @property
    def recommended(self) -> Option:
        return self.option(self.recommendation)

    @property
    def chosen(self) -> Option | None:
        """The option in force: the outcome's, else None while pending."""
        return self.option(self.outcome.option) if self.outcome else None

    @property
    def effective(self) -> Option:
        """The option the artifacts are written for: the chosen one, else the recommendation."""
        return self.chosen or self.recommended

    @property
    def provisional(self) -> bool:
        return self.status is DecisionStatus.PROVISIONAL

    @property
    def decided(self) -> bool:
        return self.status in (DecisionStatus.DECIDED, DecisionStatus.PROVISIONAL)


class SettledDecision(BaseModel):
    """A question the constitution or an earlier logged decision already answers: cited, not asked."""

    topic: str
    category: Category
    title: str
    decision: str
    source: str  # "Constitution: II. PostgreSQL is the system of record" or "TD003 of 002-user-accounts"
    quote: str = ""


class Conflict(BaseModel):
    """Two chosen options that do not work together, or a choice that contradicts an earlier decision."""

    decisions: list[str]  # TD ids involved (an earlier logged decision appears as "log:<feature>/<id>")
    message: str
    severity: Literal["error", "warning"] = "error"


class DecisionChoice(BaseModel):
    """What a forum (terminal, GitHub votes, `--decide`) hands back for one decision."""

    decision_id: str
    option: str
    rationale: str = ""
    decided_by: list[str] = Field(default_factory=list)
    provisional: bool = False
    votes: dict[str, int] = Field(default_factory=dict)
    decided_at: datetime | None = None  # when it was taken; None: when the plan settles it
