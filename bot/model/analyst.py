"""`ModelAnalyst`: the `Analyst` port over a language model (pydantic-ai).

The offline analysis decides which decisions there are, their ids, options, evidence and impact;
the model rewrites their prose. Its answer must name exactly those decisions and option keys and
cite only the spec's ids: an answer that does not is sent back once with the problems listed (the
repair attempt); a second bad answer, a timeout, a refused request or an unreachable server leaves
the offline analysis in place, and the limitation is recorded for research.md and the status.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, TypeVar

import yaml
from openai import AsyncOpenAI
from pydantic import BaseModel
from pydantic_ai import Agent, ModelRetry
from pydantic_ai.models import Model
from pydantic_ai.models.openai import OpenAIChatModel
from pydantic_ai.providers.openai import OpenAIProvider

from bot.logs import Redactor
from bot.model.prose import AnalysisProse, ArtifactOverview, DecisionProse, ResearchNote
from bot.model.settings import ModelSettings
from bot.planning import artifacts
from bot.planning.analysis import Analysis, ArtifactNote, DecisionResearch, ModelUsage
from bot.planning.context import PlanningContext
from bot.planning.decisions import TechnicalDecision
from bot.planning.render import render_template, templates_dir

log = logging.getLogger(__name__)
T = TypeVar("T", bound=BaseModel)

OUTPUT_RETRIES = 1  # one repair attempt for an answer that fails validation


class ModelAnalystError(ValueError):
    """The model settings cannot be used (one line, for the CLI and start-up)."""


def build_model(settings: ModelSettings) -> Model | str:
    """A pydantic-ai model: a provider string as is, or a model of an OpenAI-compatible server."""
    if not settings.enabled or settings.model is None:
        raise ModelAnalystError("no model configured: set PLANBOT_MODEL")
    name = settings.model.strip()
    if settings.base_url:
        key = settings.api_key.get_secret_value() if settings.api_key else "not-needed"
        client = AsyncOpenAI(base_url=settings.base_url, api_key=key, max_retries=settings.max_retries,
                             timeout=settings.timeout_seconds)
        return OpenAIChatModel(name.removeprefix("openai:"), provider=OpenAIProvider(openai_client=client))
    if ":" not in name:
        raise ModelAnalystError(f"PLANBOT_MODEL={name!r} names no provider: write it like `openai:gpt-4.1-mini`, "
                                "or set PLANBOT_MODEL_BASE_URL for an OpenAI-compatible server")
    return name


def problems(answer: AnalysisProse, decisions: Sequence[TechnicalDecision], ids: set[str]) -> list[str]:
    """Why an answer cannot be used, as sentences the model can act on; none when it can."""
    found: list[str] = []
    wanted = {td.id: td for td in decisions}
    given = [d.id for d in answer.decisions]
    missing = [i for i in wanted if i not in given]
    if missing:
        found.append(f"cards missing for {', '.join(missing)}")
    unknown = sorted({i for i in given if i not in wanted})
    if unknown:
        found.append(f"no decision is called {', '.join(unknown)}")
    twice = sorted({i for i in given if given.count(i) > 1})
    if twice:
        found.append(f"more than one card for {', '.join(twice)}")
    for card in answer.decisions:
        td = wanted.get(card.id)
        if td is None:
            continue
        keys = [o.key for o in td.options]
        if sorted(o.key for o in card.options) != sorted(keys):
            found.append(f"{card.id} must describe exactly the options {', '.join(keys)}")
        if card.recommendation not in keys:
            found.append(f"{card.id} recommends {card.recommendation!r}, which is not one of {', '.join(keys)}")
        invented = sorted(set(card.cited) - ids)
        if invented:
            found.append(f"{card.id} cites {', '.join(invented)}, which the specification does not define")
        if not card.context.strip() or not card.recommendation_reasoning.strip():
            found.append(f"{card.id} needs a context and a reasoning")
    return found


def apply(td: TechnicalDecision, card: DecisionProse) -> TechnicalDecision:
    """The decision with the model's words; everything that identifies or traces it unchanged."""
    by_key = {o.key: o for o in card.options}
    options = [o.model_copy(update={"summary": by_key[o.key].summary, "pros": by_key[o.key].pros,
                                    "cons": by_key[o.key].cons, "cost_impact": by_key[o.key].cost_impact})
               for o in td.options]
    return td.model_copy(update={
        "context": card.context.strip(), "question": card.question.strip(), "options": options,
        "recommendation": card.recommendation,
        "recommendation_reasoning": card.recommendation_reasoning.strip(),
        "impact_on_implementation": card.impact_on_implementation.strip(),
        "review_trigger": card.review_trigger.strip() or td.review_trigger,
    })


def stack_lines(context: PlanningContext) -> list[str]:
    stack = context.stack
    return [f"{label}: {', '.join(values)}" for label, values in (
        ("languages", stack.languages), ("frameworks", stack.frameworks), ("databases", stack.databases),
        ("services", stack.services), ("test tools", stack.test_tools)) if values]


CARDS_TASK = "Write the card of every decision above."
BRIEFS_FILE = "model/artifact-briefs.yaml"


@cache
def artifact_briefs() -> dict[str, str]:
    """Artifact file name -> what the model's overview of it covers (templates/model/artifact-briefs.yaml)."""
    data = yaml.safe_load((templates_dir() / BRIEFS_FILE).read_text(encoding="utf-8")) or {}
    unknown = [name for name in data if artifacts.by_name(name) is None]
    if unknown:
        raise ModelAnalystError(f"{BRIEFS_FILE} names files a plan does not have: {', '.join(unknown)}")
    return {str(name): " ".join(str(text).split()) for name, text in data.items()}


def overview_task(name: str, brief: str) -> str:
    return f"Write the overview of {name} only: {brief}"


def note_task(td: TechnicalDecision) -> str:
    return f"Write the research notes on {td.id} ({td.title}) only."


def note_problems(note: ResearchNote, td: TechnicalDecision) -> list[str]:
    return [f"the notes must be about {td.id}, not {note.id}"] if note.id != td.id else []


def reason_of(exc: BaseException, redactor: Redactor | None = None) -> str:
    """One line saying why a request failed, with anything shaped like a credential hidden (it
    goes into research.md and the status comment)."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return (redactor or Redactor()).redact(text)[:200]


class ModelAnalyst:
    """The decision cards and one research note per decision, all asked at once (at most
    `concurrency` requests in flight): a plan's wall time is its slowest request, not the sum.
    Every request starts with the same instructions and data, so a provider's prompt cache
    serves all but the first."""

    def __init__(self, settings: ModelSettings) -> None:
        self.settings = settings
        self.model = build_model(settings)
        self.name = settings.model or ""
        self.redactor = Redactor([settings.api_key.get_secret_value()] if settings.api_key else [])

    def refine(self, context: PlanningContext, analysis: Analysis) -> Analysis:
        if not analysis.decisions:
            return analysis
        return asyncio.run(self._refine(context, analysis))

    async def _refine(self, context: PlanningContext, analysis: Analysis) -> Analysis:
        ids = {sid for sid, _ in context.spec.statements() if sid}
        decisions = analysis.decisions
        constitution = context.constitution.rules() if context.constitution is not None else []

        # The standing instructions and the plan's data open every request, word for word; only the
        # short task after them differs, so providers cache the shared prefix.
        shared = render_template("model/instructions.md.j2") + "\n" + render_template(
            "model/analysis-request.md.j2", spec=context.spec.raw, constitution=constitution,
            stack=stack_lines(context), decisions=decisions, ids=sorted(ids))
        settings: dict[str, Any] = {"timeout": self.settings.timeout_seconds}
        if self.name.startswith("anthropic:"):
            settings["anthropic_cache_instructions"] = True
        gate = asyncio.Semaphore(self.settings.concurrency)

        async def ask(agent: Agent[None, Any], task: str) -> Any:
            async with gate:
                return await agent.run(task, model_settings=settings)  # type: ignore[arg-type]

        briefs = artifact_briefs()
        requests = [ask(self._cards_agent(shared, decisions, ids), CARDS_TASK)]
        requests += [ask(self._note_agent(shared, td), note_task(td)) for td in decisions]
        requests += [ask(self._overview_agent(shared, name), overview_task(name, brief)) for name, brief in briefs.items()]
        answers = await asyncio.gather(*requests, return_exceptions=True)

        limitations = list(analysis.limitations)
        usage = ModelUsage(model=self.name)
        for answer in answers:
            if not isinstance(answer, BaseException):
                spent = answer.usage
                usage = usage.model_copy(update={"requests": usage.requests + spent.requests,
                                                 "input_tokens": usage.input_tokens + (spent.input_tokens or 0),
                                                 "output_tokens": usage.output_tokens + (spent.output_tokens or 0)})
            elif not isinstance(answer, Exception):
                raise answer  # KeyboardInterrupt and the like are not the model's failures
        cards_answer = answers[0]
        notes = answers[1:1 + len(decisions)]
        overviews = answers[1 + len(decisions):]
        update: dict[str, Any] = {"usage": usage}
        if isinstance(cards_answer, Exception):
            log.warning("the model could not write the decision cards: %s", reason_of(cards_answer, self.redactor))
            limitations.append(f"The model {self.name} could not write the decision cards ({reason_of(cards_answer, self.redactor)}); "
                               "the offline analysis stands in their place.")
        else:
            cards = {card.id: card for card in cards_answer.output.decisions}
            update["decisions"] = [apply(td, cards[td.id]) for td in decisions]
            update["written_by"] = self.name
        research = [DecisionResearch(decision_id=td.id, findings=n.output.findings, risks=n.output.risks,
                                     open_questions=n.output.open_questions)
                    for td, n in zip(decisions, notes, strict=True) if not isinstance(n, Exception)]
        failed = [td.id for td, n in zip(decisions, notes, strict=True) if isinstance(n, Exception)]
        if failed:
            first = next(n for n in notes if isinstance(n, Exception))
            limitations.append(f"The model {self.name} could not write the research notes on {', '.join(failed)} "
                               f"({reason_of(first, self.redactor)}).")
        if research:
            update["research"] = research
            update.setdefault("written_by", self.name)
        written = [ArtifactNote(artifact=name, overview=o.output.overview.strip(), key_points=o.output.key_points)
                   for name, o in zip(briefs, overviews, strict=True) if not isinstance(o, Exception)]
        missed = [name for name, o in zip(briefs, overviews, strict=True) if isinstance(o, Exception)]
        if written:
            update["overviews"] = written
            update.setdefault("written_by", self.name)
        if missed:
            first = next(o for o in overviews if isinstance(o, Exception))
            limitations.append(f"The model {self.name} could not write the overview of {', '.join(missed)} "
                               f"({reason_of(first, self.redactor)}).")
        update["limitations"] = limitations
        return analysis.model_copy(update=update)

    def _agent(self, shared: str, output: type[T], problems_of: Callable[[T], list[str]]) -> Agent[None, T]:
        """An agent for one kind of answer; an answer with problems is sent back once to be fixed."""
        agent: Agent[None, T] = Agent(self.model, output_type=output, instructions=shared,
                                      retries={"output": OUTPUT_RETRIES})

        @agent.output_validator
        def _valid(answer: T) -> T:
            found = problems_of(answer)
            if found:
                raise ModelRetry("Fix these problems and answer again: " + "; ".join(found) + ".")
            return answer

        return agent

    def _cards_agent(self, shared: str, decisions: Sequence[TechnicalDecision],
                     ids: set[str]) -> Agent[None, AnalysisProse]:
        return self._agent(shared, AnalysisProse, lambda answer: problems(answer, decisions, ids))

    def _note_agent(self, shared: str, td: TechnicalDecision) -> Agent[None, ResearchNote]:
        return self._agent(shared, ResearchNote, lambda note: note_problems(note, td))

    def _overview_agent(self, shared: str, name: str) -> Agent[None, ArtifactOverview]:
        def overview_problems(answer: ArtifactOverview) -> list[str]:
            if answer.artifact != name or not answer.overview.strip():
                return [f"`artifact` must be {name!r} and `overview` one paragraph"]
            return []

        return self._agent(shared, ArtifactOverview, overview_problems)
