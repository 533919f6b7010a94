"""What the model writes, as pydantic models: the prose of each decision the offline analysis
raised. Ids, topics, option keys, evidence and impact stay the engine's; the model only words
them (and may recommend another of the same options)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class OptionProse(BaseModel):
    key: str = Field(description="the option's key as given: A, B, C …")
    summary: str = Field(description="the technical approach in one or two sentences")
    pros: list[str] = Field(min_length=1, description="concrete advantages for THIS feature")
    cons: list[str] = Field(min_length=1, description="concrete drawbacks for THIS feature")
    cost_impact: str = Field(description="build and run cost, compared with the other options")


class DecisionProse(BaseModel):
    id: str = Field(description="the decision's id as given: TD001 …")
    context: str = Field(description="why the decision is needed, citing the spec's ids (FR-001, SC-002 …)")
    question: str = Field(description="the decision people must take, as one question")
    options: list[OptionProse]
    recommendation: str = Field(description="the key of the recommended option")
    recommendation_reasoning: str = Field(description="why, using the spec's figures and the constitution")
    impact_on_implementation: str
    review_trigger: str = Field(description="what observation should make the team revisit the decision")
    cited: list[str] = Field(default_factory=list, description="the spec ids the reasoning relies on")


class AnalysisProse(BaseModel):
    decisions: list[DecisionProse]


class ResearchNote(BaseModel):
    """What the model found out about one decision, for research.md."""

    id: str = Field(description="the decision's id as given")
    findings: list[str] = Field(min_length=1, max_length=6,
                                description="facts that bear on the choice for THIS feature, most important first")
    risks: list[str] = Field(default_factory=list, max_length=4, description="what could go wrong with the recommendation")
    open_questions: list[str] = Field(default_factory=list, max_length=3,
                                      description="what the team should find out before building")


class ArtifactOverview(BaseModel):
    """The model's opening for one artifact: a paragraph and its key points."""

    artifact: str = Field(description="the artifact's file name as given")
    overview: str = Field(description="one paragraph, specific to this feature")
    key_points: list[str] = Field(default_factory=list, max_length=5)
