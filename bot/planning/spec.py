"""The `Spec` model: what a feature specification says, whatever form it came in.

Parsing lives in `bot.planning.intake`; this module only holds the shapes.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field


class MetricKind(StrEnum):
    """The kinds of figure a success criterion or requirement can state."""

    LATENCY = "latency"  # a response-time bound, e.g. "under 300 ms", "within 2 s"
    THROUGHPUT = "throughput"  # a rate, e.g. "500 requests per second", "10k events/min"
    CONCURRENCY = "concurrency"  # simultaneous users or connections, e.g. "2,000 concurrent users"
    POPULATION = "population"  # a total population, e.g. "40,000 employees"
    AVAILABILITY = "availability"  # e.g. "99.9% availability"
    SIZE = "size"  # a data size, e.g. "20 MB each"
    RETENTION = "retention"  # how long data is kept, e.g. "keep them for 7 years"
    DURATION = "duration"  # a task duration that is not a latency, e.g. "in under 3 minutes"
    PERCENTAGE = "percentage"  # another ratio, e.g. "90% of receipts"
    REGIONS = "regions"  # a geographic spread, e.g. "across 3 regions"


class Metric(BaseModel):
    """One figure parsed from a sentence, normalised to base units.

    `value` is in the base unit of its kind: milliseconds for latency and duration,
    per second for throughput, bytes for size, days for retention, percent for
    availability and percentage, a count for concurrency, population and regions.
    """

    kind: MetricKind
    value: float
    unit: str  # the base unit: "ms", "/s", "B", "days", "%", "count"
    text: str  # the words the figure was read from, e.g. "under 300 ms"
    percentile: float | None = None  # e.g. 95 for "95% of page loads … under 300 ms"
    source: str | None = None  # the id of what it came from: "SC-002", "FR-002"

    def display(self) -> str:
        """The figure as a person would write it, e.g. `300 ms`, `20 MB`, `7 years`."""
        from bot.planning.intake.figures import display_metric

        return display_metric(self)


class AcceptanceScenario(BaseModel):
    given: str = ""
    when: str = ""
    then: str = ""
    text: str  # the scenario as written


class UserStory(BaseModel):
    id: str  # "US1", "US2", … in the order the spec gives them
    title: str
    priority: int = 3  # 1 for P1; free-form stories default to 3 unless the text says otherwise
    description: str = ""
    why: str = ""
    independent_test: str = ""
    scenarios: list[AcceptanceScenario] = Field(default_factory=list)


Strength = Literal["must", "should", "may"]


class Requirement(BaseModel):
    id: str  # "FR-001"; kept from the spec, or numbered in order for free-form text
    text: str
    strength: Strength = "must"
    id_assigned: bool = False  # True when planbot numbered it (the spec gave no id)
    metrics: list[Metric] = Field(default_factory=list)
    clarifications: list[str] = Field(default_factory=list)  # open [NEEDS CLARIFICATION] questions


class Attribute(BaseModel):
    name: str
    values: list[str] = Field(default_factory=list)  # an enumerated value list, e.g. status (A, B, C)
    text: str = ""  # the attribute as written


class Entity(BaseModel):
    name: str
    description: str = ""
    attributes: list[Attribute] = Field(default_factory=list)


class SuccessCriterion(BaseModel):
    id: str  # "SC-001"
    text: str
    metrics: list[Metric] = Field(default_factory=list)


class Clarification(BaseModel):
    """A question answered in the spec's own `## Clarifications` section or in the clarifications log."""

    question: str
    answer: str
    session: str | None = None  # "2026-11-03" for a `### Session 2026-11-03` block
    id: str | None = None
    category: str | None = None
    decided_by: str | None = None


class OpenQuestion(BaseModel):
    """A `[NEEDS CLARIFICATION: …]` marker still open in the spec."""

    question: str
    location: str  # the id or section it sits in: "FR-012", "Edge Cases"
    sentence: str = ""  # the whole sentence that carries the marker


SpecFormat = Literal["spec-kit", "spec-kit-legacy", "free-form"]


class Spec(BaseModel):
    title: str
    format: SpecFormat
    summary: str = ""  # the feature's input / description paragraph
    feature_branch: str | None = None  # from `**Feature Branch**:` when the spec names one
    created: str | None = None
    status: str | None = None
    stories: list[UserStory] = Field(default_factory=list)
    requirements: list[Requirement] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    success_criteria: list[SuccessCriterion] = Field(default_factory=list)
    edge_cases: list[str] = Field(default_factory=list)
    assumptions: list[str] = Field(default_factory=list)
    out_of_scope: list[str] = Field(default_factory=list)
    clarifications: list[Clarification] = Field(default_factory=list)
    open_questions: list[OpenQuestion] = Field(default_factory=list)
    technical_context: str | None = None  # a `Technical Context` section, or text after `/plan`
    raw: str = Field(default="", repr=False)

    def stories_by_priority(self) -> list[UserStory]:
        """The stories, P1 first; stories of equal priority in the spec's order."""
        return sorted(self.stories, key=lambda s: s.priority)

    def metrics(self) -> list[Metric]:
        """Every figure the spec states, requirements first, then success criteria."""
        found = [m for r in self.requirements for m in r.metrics]
        found += [m for sc in self.success_criteria for m in sc.metrics]
        return found

    def metrics_of(self, kind: MetricKind) -> list[Metric]:
        return [m for m in self.metrics() if m.kind is kind]

    def statements(self) -> list[tuple[str, str]]:
        """Every citable statement as `(id, text)`: requirements, success criteria, stories,
        edge cases and assumptions. The catalog searches these for evidence."""
        out: list[tuple[str, str]] = [(r.id, r.text) for r in self.requirements]
        out += [(sc.id, sc.text) for sc in self.success_criteria]
        for story in self.stories:
            out.append((story.id, f"{story.title}. {story.description}".strip()))
            out += [(story.id, s.text) for s in story.scenarios]
        out += [("Edge case", e) for e in self.edge_cases]
        out += [("Assumption", a) for a in self.assumptions]
        if self.technical_context:
            out.append(("Technical Context", self.technical_context))
        return out

    def requirement(self, requirement_id: str) -> Requirement | None:
        return next((r for r in self.requirements if r.id == requirement_id), None)
