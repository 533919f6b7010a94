"""Analysis without a model: which decisions need people, and what is already settled."""

from __future__ import annotations

from pydantic import BaseModel, Field

from bot.planning.catalog import TOPICS_BY_KEY, run_catalog
from bot.planning.catalog.questions import is_technical
from bot.planning.conflicts import conflicts_with_log
from bot.planning.context import PlanningContext
from bot.planning.decisions import Category, Conflict, SettledDecision, TechnicalDecision
from bot.planning.risk_assessment import assess_risks
from bot.planning.risks import Risk


class BusinessQuestion(BaseModel):
    """A question only the business can answer (an open non-technical clarification)."""

    question: str
    location: str  # "FR-012"
    why_it_matters: str = ""


class ModelUsage(BaseModel):
    """What a model cost while planning: shown in research.md and the pull request."""

    model: str
    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0


class DecisionResearch(BaseModel):
    """A model's research notes on one decision (research.md prints them beside its options)."""

    decision_id: str
    findings: list[str] = Field(default_factory=list)
    risks: list[str] = Field(default_factory=list)
    open_questions: list[str] = Field(default_factory=list)


class Citation(BaseModel):
    """A source web research found for a decision (research.md cites it)."""

    title: str
    url: str
    published: str | None = None
    decision_id: str | None = None


class DocExcerpt(BaseModel):
    """Retrieved documentation of a library the plan relies on, at the version it names."""

    library: str
    version: str | None = None
    topic: str
    text: str


class ArtifactNote(BaseModel):
    """A model's overview of one artifact, printed at its top."""

    artifact: str  # the file name, e.g. "security-plan.md"
    overview: str
    key_points: list[str] = Field(default_factory=list)


class Analysis(BaseModel):
    decisions: list[TechnicalDecision] = Field(default_factory=list)  # ordered by impact
    settled: list[SettledDecision] = Field(default_factory=list)
    conflicts: list[Conflict] = Field(default_factory=list)  # with earlier logged decisions, at analysis time
    business_questions: list[BusinessQuestion] = Field(default_factory=list)
    risks: list[Risk] = Field(default_factory=list)
    written_by: str | None = None  # the model that wrote the decisions' prose; None: the offline engine
    usage: ModelUsage | None = None
    limitations: list[str] = Field(default_factory=list)  # what a model or a tool could not do, said in research.md
    research: list[DecisionResearch] = Field(default_factory=list)  # a model's notes, in decision order
    overviews: list[ArtifactNote] = Field(default_factory=list)  # a model's opening of some artifacts
    citations: list[Citation] = Field(default_factory=list)  # what web search found
    docs: list[DocExcerpt] = Field(default_factory=list)  # retrieved library documentation
    thinking: list[str] = Field(default_factory=list)  # a sequential-thinking server's notes on the decisions
    researched_with: list[str] = Field(default_factory=list)  # the tools that answered: "search (tavily)", …

    def overview_of(self, artifact: str) -> ArtifactNote | None:
        return next((note for note in self.overviews if note.artifact == artifact), None)

    def citations_for(self, decision_id: str) -> list[Citation]:
        return [c for c in self.citations if c.decision_id == decision_id]

    def research_on(self, decision_id: str) -> DecisionResearch | None:
        return next((note for note in self.research if note.decision_id == decision_id), None)

    def decision(self, decision_id: str) -> TechnicalDecision:
        for td in self.decisions:
            if td.id == decision_id:
                return td
        raise KeyError(decision_id)


def _business_questions(context: PlanningContext, decisions: list[TechnicalDecision]) -> list[BusinessQuestion]:
    """Open clarifications that are not technical, each saying what waits on the answer."""
    questions: list[BusinessQuestion] = []
    for question in context.spec.open_questions:
        if is_technical(question):
            continue
        shaped = [td for td in decisions if any(e.source == question.location for e in td.evidence)]
        why = f"{question.location} cannot be completed until it is answered"
        if shaped:
            why += "; it also shapes " + ", ".join(f"{td.id} ({td.title})" for td in shaped)
        questions.append(BusinessQuestion(question=question.question, location=question.location, why_it_matters=why + "."))
    return questions


def analyse(context: PlanningContext) -> Analysis:
    """The decisions this feature needs, highest impact first, plus what is already settled,
    conflicts with earlier logged decisions, questions for the business and the risks."""
    found = run_catalog(context)
    category_rank = {category: index for index, category in enumerate(Category)}
    ordered = sorted(found.decisions, key=lambda td: (td.impact.rank, category_rank[td.category], td.topic))
    ids = {td.topic: f"TD{index:03d}" for index, td in enumerate(ordered, start=1)}
    decisions = [
        td.model_copy(
            update={
                "id": ids[td.topic],
                "depends_on": sorted(ids[t] for t in TOPICS_BY_KEY[td.topic].depends_on if t in ids),
            }
        )
        for td in ordered
    ]
    return Analysis(
        decisions=decisions,
        settled=found.settled,
        conflicts=conflicts_with_log(decisions, context.decision_log),
        business_questions=_business_questions(context, decisions),
        risks=assess_risks(context, decisions),
    )
