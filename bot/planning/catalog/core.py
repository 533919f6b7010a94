"""The rule type of the catalog: a `Topic` (one decision the catalog knows how to raise) and
the `Assessment` its scoring fills in, from which the recommendation is chosen."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from bot.planning.catalog.prose import TopicText
from bot.planning.catalog.signals import Signal
from bot.planning.catalog.situation import Situation
from bot.planning.decisions import Category, Evidence, Impact

# Options whose scores lie within this margin of the best count as equally good; among them
# the recommendation takes the easiest to reverse.
CLOSE_MARGIN = 1.0
# A penalty that takes an option out of contention without hiding it from the card.
STRONG = 10.0


@dataclass(frozen=True)
class Topic:
    """One catalog entry: when it applies, its prose, and how its options are scored.

    `names` tell, per option, how people name that option in words (a constitution rule, a
    requirement, a clarification answer or the user's technical context naming exactly one
    option settles the topic); `stack_names` do the same for dependency, database and service
    names of the repository's stack. `about` says which sentences speak of this topic at all.
    `prior` gives the score each option starts from before the spec's particulars are weighed,
    and `reasons` why an option is the usual choice (the reasoning when it is recommended).
    """

    key: str
    category: Category
    prose: TopicText
    trigger: Signal
    assess: Callable[[Situation, Assessment], None]
    impact: Impact = Impact.MEDIUM
    about: re.Pattern[str] | None = None
    names: Mapping[str, re.Pattern[str]] = field(default_factory=dict)
    stack_names: Mapping[str, re.Pattern[str]] = field(default_factory=dict)
    prior: Mapping[str, float] = field(default_factory=dict)
    reasons: Mapping[str, str] = field(default_factory=dict)
    depends_on: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        named = set(self.names) | set(self.stack_names) | set(self.prior) | set(self.reasons)
        unknown = named - set(self.prose.options)
        if unknown:
            raise ValueError(f"topic {self.key} names unknown options: {sorted(unknown)}")

    @property
    def option_ids(self) -> list[str]:
        return list(self.prose.options)


class _Quotable(Protocol):
    def evidence(self) -> Evidence: ...


class Assessment:
    """Scores, spec-specific pros and cons, and the sentences the reasoning is built from."""

    def __init__(self, topic: Topic) -> None:
        ids = topic.option_ids
        self.topic = topic
        self.scores: dict[str, float] = {i: float(topic.prior.get(i, 0.0)) for i in ids}
        self.pros: dict[str, list[str]] = {i: [] for i in ids}
        self.cons: dict[str, list[str]] = {i: [] for i in ids}
        self.notes: dict[str, list[str]] = {i: [topic.reasons[i]] if i in topic.reasons else [] for i in ids}
        self.blocked: dict[str, str] = {}
        self.contradicted: dict[str, str] = {}
        self.dropped: list[str] = []
        self.facts: list[str] = []
        self.citations: list[tuple[str, str]] = []
        self.evidence: list[Evidence] = []  # further sentences of the spec the reasoning leans on
        self.cited: list[Evidence] = []  # constitution rules that bear on the decision
        self.context_notes: list[str] = []
        self.impact = topic.impact
        self.review: str | None = None

    def _check(self, option: str) -> None:
        if option not in self.scores:
            raise KeyError(f"topic {self.topic.key} has no option {option}")

    def favour(self, option: str, points: float, why: str | None = None, pro: str | None = None) -> None:
        """Add to an option's score; `why` joins the reasoning when it is recommended, `pro` its card."""
        self._check(option)
        self.scores[option] += points
        if why and why not in self.notes[option]:
            self.notes[option].append(why)
        if pro and pro not in self.pros[option]:
            self.pros[option].append(pro)

    def penalise(self, option: str, points: float, con: str | None = None) -> None:
        self._check(option)
        self.scores[option] -= points
        if con and con not in self.cons[option]:
            self.cons[option].append(con)

    def block(self, option: str, con: str) -> None:
        """Keep the option on the card with `con`, but never recommend it."""
        self._check(option)
        self.blocked.setdefault(option, con)
        if con not in self.cons[option]:
            self.cons[option].append(con)

    def contradict(self, option: str, con: str) -> None:
        """The spec's evidence speaks against this option; an earlier logged choice of it is a conflict."""
        self.penalise(option, STRONG, con)
        self.contradicted.setdefault(option, con)

    def drop(self, option: str) -> None:
        """Leave an option off the card: the spec rules it out and listing it would only mislead."""
        self._check(option)
        if option not in self.dropped:
            self.dropped.append(option)

    def fact(self, sentence: str) -> None:
        if sentence and sentence not in self.facts:
            self.facts.append(sentence)

    def cite(self, citation: tuple[str, str] | None) -> bool:
        """Record a constitution rule that bears on this decision; True when there was one."""
        if citation is None:
            return False
        if citation not in self.citations:
            self.citations.append(citation)
            self.cited.append(Evidence(source=citation[0], quote=citation[1]))
        return True

    def support(self, *items: _Quotable | None) -> None:
        """Quote further sentences of the spec (or figures' sentences) the reasoning relies on."""
        for item in items:
            if item is None:
                continue
            evidence = item.evidence()
            if not any(e.source == evidence.source and e.quote == evidence.quote for e in self.evidence):
                self.evidence.append(evidence)

    def note(self, sentence: str) -> None:
        """A sentence for the decision's context (what else is known that bears on it)."""
        if sentence and sentence not in self.context_notes:
            self.context_notes.append(sentence)

    def at_least(self, impact: Impact) -> None:
        if impact.rank < self.impact.rank:
            self.impact = impact

    @property
    def visible(self) -> list[str]:
        """Option ids the card shows, in catalog order. Never fewer than two: a drop that would
        leave one option is turned into a block."""
        shown = [i for i in self.scores if i not in self.dropped]
        if len(shown) < 2:
            shown = list(self.scores)
            for option in self.dropped:
                self.blocked.setdefault(option, "Ruled out by the spec.")
            self.dropped.clear()
        return shown


@dataclass(frozen=True)
class Choice:
    option: str
    best: str  # the top-scoring workable option (differs from `option` after the reversibility lean)


def recommend(assessment: Assessment) -> Choice:
    """The highest score; among options within `CLOSE_MARGIN` of it, the most reversible one.

    Blocked options are never recommended unless every shown option is blocked."""
    shown = assessment.visible
    prose = assessment.topic.prose.options
    workable = [i for i in shown if i not in assessment.blocked] or shown
    order = {option: index for index, option in enumerate(shown)}
    best = max(workable, key=lambda i: (assessment.scores[i], -order[i]))
    close = [i for i in workable if assessment.scores[best] - assessment.scores[i] <= CLOSE_MARGIN]
    chosen = min(close, key=lambda i: (prose[i].reversibility.rank, -assessment.scores[i], order[i]))
    return Choice(option=chosen, best=best)
