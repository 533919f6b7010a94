"""What the catalog reads a planning context through: every citable sentence, every figure,
the constitution, the clarifications, the stack and what earlier topics already chose.

Sentences are searched through a `Corpus`, which keeps pattern searches linear in the size of
the spec.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.planning.catalog.corpus import Corpus
from bot.planning.catalog.questions import is_technical
from bot.planning.constitution import sentences
from bot.planning.context import PlanningContext
from bot.planning.decision_log import LogEntry, LoggedDecision
from bot.planning.decisions import Evidence
from bot.planning.spec import Clarification, Metric, MetricKind

QUOTE_LIMIT = 280
TECHNICAL_CONTEXT = "Technical Context"


@dataclass(frozen=True)
class Sentence:
    """One citable sentence. `settling` sentences state a choice people made (a requirement, the
    technical context, a clarification's answer), unlike stories, edge cases or assumptions, which
    describe the problem; for a clarification, `answer` holds the answer alone."""

    source: str  # "FR-007", "SC-002", "US1", "Edge case", "Assumption", "Technical Context", "Clarification C001"
    text: str
    settling: bool = False
    answer: str | None = None

    def evidence(self) -> Evidence:
        return Evidence(source=self.source, quote=quote(self.text))


@dataclass(frozen=True)
class MetricRef:
    metric: Metric
    source: str  # the id of the requirement or criterion that states it
    sentence: str  # the sentence that holds the figure

    def evidence(self) -> Evidence:
        return Evidence(source=self.source, quote=quote(self.sentence))


@dataclass(frozen=True)
class TopicOutcome:
    """What a topic came to: settled on an option, or raised with a recommendation."""

    option: str | None  # option id; None when settled by words that name no catalog option
    settled: bool
    title: str
    traits: tuple[str, ...]
    label: str  # how later topics' cons refer to it, e.g. "the recommendation for … (Redis publish/subscribe)"


def quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1].rstrip() + "…"


def _split(text: str) -> list[str]:
    return [s for s in sentences(text) if s.strip()] or ([text.strip()] if text.strip() else [])


class Situation:
    """The planning context, indexed for the catalog."""

    def __init__(self, context: PlanningContext) -> None:
        self.context = context
        self.spec = context.spec
        self.stack = context.stack
        self.constitution = context.constitution
        self.clarifications = _unique_clarifications(context)
        self.sentences: list[Sentence] = []
        seen: set[tuple[str, str]] = set()

        def add(source: str, text: str, settling: bool = False) -> None:
            for piece in _split(text):
                key = (source, piece)
                if key not in seen:
                    seen.add(key)
                    self.sentences.append(Sentence(source, piece, settling))

        for source, text in self.spec.statements():
            add(source, text, settling=source.startswith("FR-") or source == TECHNICAL_CONTEXT)
        if context.user_context:
            add(TECHNICAL_CONTEXT, context.user_context, settling=True)
        for clarification in self.clarifications:
            label = f"Clarification {clarification.id}" if clarification.id else "Clarification"
            question, answer = " ".join(clarification.question.split()), " ".join(clarification.answer.split())
            self.sentences.append(Sentence(label, f"{question} {answer}", settling=True, answer=answer))
        by_source: dict[str, list[str]] = {}
        for sentence in self.sentences:
            by_source.setdefault(sentence.source, []).append(sentence.text)
        for question in self.spec.open_questions:
            if not any(question.question in text for text in by_source.get(question.location, [])):
                add(question.location, question.sentence or question.question)
        self.technical_questions = [q for q in self.spec.open_questions if is_technical(q)]

        self.corpus = Corpus([s.text for s in self.sentences])
        self.rules: list[tuple[str, str]] = []  # constitution sentences as (label, sentence), headings included
        if self.constitution is not None:
            for principle in self.constitution.principles:
                self.rules.append((f"Constitution {principle.label}", principle.name))
            for label, text in self.constitution.rules():
                self.rules += [(label, piece) for piece in _split(text)]
        self.rule_corpus = Corpus([text for _, text in self.rules])
        self._cited: dict[tuple[str, ...], tuple[str, str] | None] = {}
        self.metric_refs = self._metric_refs()
        self.outcomes: dict[str, TopicOutcome] = {}

    # --- sentences -------------------------------------------------------------------------

    def hits(self, pattern: re.Pattern[str]) -> list[Sentence]:
        """The sentences `pattern` matches, in spec order, each once."""
        return [self.sentences[i] for i in self.corpus.indices(pattern)]

    def says(self, pattern: re.Pattern[str]) -> bool:
        return bool(self.hits(pattern))

    def first(self, pattern: re.Pattern[str]) -> Sentence | None:
        found = self.hits(pattern)
        return found[0] if found else None

    def ids(self, pattern: re.Pattern[str]) -> list[str]:
        return unique(s.source for s in self.hits(pattern))

    # --- figures ---------------------------------------------------------------------------

    def _metric_refs(self) -> list[MetricRef]:
        owners: list[tuple[str, str, list[Metric]]] = [(r.id, r.text, r.metrics) for r in self.spec.requirements]
        owners += [(sc.id, sc.text, sc.metrics) for sc in self.spec.success_criteria]
        refs: list[MetricRef] = []
        for owner_id, text, metrics in owners:
            parts = _split(text)
            for metric in metrics:
                words = metric.text.lower()
                sentence = next((p for p in parts if words and words in p.lower()), parts[0] if parts else text)
                refs.append(MetricRef(metric=metric, source=metric.source or owner_id, sentence=sentence))
        return refs

    def metrics(self, kind: MetricKind, near: re.Pattern[str] | None = None) -> list[MetricRef]:
        """The figures of one kind, optionally only those whose sentence matches `near`."""
        return [
            ref
            for ref in self.metric_refs
            if ref.metric.kind is kind and (near is None or near.search(ref.sentence))
        ]

    def lowest(self, kind: MetricKind, near: re.Pattern[str] | None = None) -> MetricRef | None:
        found = self.metrics(kind, near)
        return min(found, key=lambda r: r.metric.value) if found else None

    def highest(self, kind: MetricKind, near: re.Pattern[str] | None = None) -> MetricRef | None:
        found = self.metrics(kind, near)
        return max(found, key=lambda r: r.metric.value) if found else None

    # --- constitution ----------------------------------------------------------------------

    def cite(self, *patterns: str) -> tuple[str, str] | None:
        """The constitution rule that says any of `patterns`, as `(label, sentence)`."""
        if self.constitution is None or not patterns:
            return None
        if patterns not in self._cited:
            mentioned = any(self.rule_corpus.indices(re.compile(p, re.IGNORECASE)) for p in patterns)
            self._cited[patterns] = self.constitution.cite(*patterns) if mentioned else None
        return self._cited[patterns]

    def rule_sentences(self, pattern: re.Pattern[str]) -> list[tuple[str, str]]:
        """The constitution's sentences (and principle headings) `pattern` matches, as `(label, sentence)`."""
        return [self.rules[i] for i in self.rule_corpus.indices(pattern)]

    # --- stack -----------------------------------------------------------------------------

    def stack_names(self) -> list[tuple[str, str]]:
        """Every name the repository's stack gives, with its source: `("asyncpg", "Stack: pyproject.toml")`."""
        stack = self.stack
        manifests = stack.manifests
        compose = next((m for m in manifests if "compose" in m.lower()), None)
        general = f"Stack: {manifests[0]}" if manifests else "Stack"
        names: list[tuple[str, str]] = [(dep.name, f"Stack: {dep.source}") for dep in stack.dependencies]
        names += [(name, general) for name in (*stack.databases, *stack.frameworks)]
        names += [(name, f"Stack: {compose}" if compose else general) for name in stack.services]
        if stack.containerised:
            image = next((m for m in manifests if "docker" in m.lower() or "container" in m.lower()), None)
            names.append(("container image", f"Stack: {image}" if image else general))
        return names

    def stack_match(self, pattern: re.Pattern[str]) -> tuple[str, str] | None:
        """The first stack name `pattern` matches, with its source."""
        for name, source in self.stack_names():
            if pattern.search(name):
                return name, source
        return None

    # --- decision log ----------------------------------------------------------------------

    def logged(self, topic: str) -> tuple[LogEntry, LoggedDecision] | None:
        return self.context.decision_log.for_topic(topic)

    # --- earlier topics --------------------------------------------------------------------

    def leaning(self, topic: str) -> str | None:
        """The option an earlier topic settled on or recommends; None when it was not raised."""
        found = self.outcomes.get(topic)
        return found.option if found else None


def unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _unique_clarifications(context: PlanningContext) -> list[Clarification]:
    seen: set[tuple[str, str]] = set()
    out: list[Clarification] = []
    for clarification in [*context.spec.clarifications, *context.clarifications]:
        key = (clarification.question.strip().lower(), clarification.answer.strip().lower())
        if key not in seen:
            seen.add(key)
            out.append(clarification)
    return out
