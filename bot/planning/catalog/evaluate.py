"""One topic against one situation: not raised, settled (cited, not asked), or a technical
decision card built from the evidence, the scores and the prose."""

from __future__ import annotations

from dataclasses import dataclass

from bot.planning.catalog.core import Assessment, Choice, Topic, recommend
from bot.planning.catalog.settle import Settlement, logged_option, settlement
from bot.planning.catalog.situation import TopicOutcome, Situation, quote, unique
from bot.planning.conflicts import clashes
from bot.planning.decision_log import LogEntry, LoggedDecision
from bot.planning.decisions import OPTION_KEYS, Evidence, Option, SettledDecision, TechnicalDecision
from bot.planning.spec import OpenQuestion

MAX_EVIDENCE = 8
# Points an option loses when it clashes with what an earlier topic only recommends.
CLASH_PENALTY = 3.0


@dataclass(frozen=True)
class Constraint:
    """A constitution rule that limits a topic's options without answering it."""

    patterns: tuple[str, ...]
    traits: frozenset[str]
    block: bool  # True: the option needs an amendment and is never recommended
    con: str  # "{rule}" is replaced by the cited rule


CONSTRAINTS: tuple[Constraint, ...] = (
    Constraint(
        (r"\bmodular monolith\b", r"\bmonolith\b", r"single deploy(able|ment)", r"\bno micro-?services\b"),
        frozenset({"separate-deployable"}),
        True,
        "Needs a constitution amendment: {rule}",
    ),
    Constraint(
        (r"no new infrastructure", r"new infrastructure (needs|requires)", r"infrastructure[^.]{0,40}decision record"),
        frozenset({"extra-infrastructure"}),
        False,
        "Adds infrastructure, which the constitution allows only with a decision record ({rule}); this decision's outcome is that record.",
    ),
    Constraint(
        (
            r"\bno third[- ]part(y|ies)\b",
            r"\bthird[- ]part(y|ies)\b[^.]{0,40}\b(not allowed|forbidden|prohibited|never)\b",
            r"\bdata\b[^.]{0,40}\b(never|must not|may not|cannot) leaves?\b",
        ),
        frozenset({"third-party-processor"}),
        True,
        "Needs a constitution amendment, since it sends data to an outside processor: {rule}",
    ),
    Constraint(
        (r"open[- ]source only", r"no proprietary", r"avoid vendor lock"),
        frozenset({"vendor-lock-in"}),
        False,
        "Ties the feature to one vendor, which the constitution discourages ({rule}).",
    ),
)


@dataclass(frozen=True)
class Raised:
    decision: TechnicalDecision  # id and depends_on are filled in by the analysis


@dataclass(frozen=True)
class Settled:
    settled: SettledDecision


Result = Raised | Settled | None


def _cited(label: str, sentence: str) -> str:
    return f"{label} (“{sentence}”)"


def _apply_constitution(topic: Topic, situation: Situation, assessment: Assessment) -> None:
    for constraint in CONSTRAINTS:
        affected = [i for i, o in topic.prose.options.items() if constraint.traits & set(o.traits)]
        if not affected:
            continue
        citation = situation.cite(*constraint.patterns)
        if citation is None:
            continue
        assessment.cite(citation)
        con = constraint.con.format(rule=_cited(*citation))
        for option in affected:
            if constraint.block:
                assessment.block(option, con)
            else:
                assessment.penalise(option, 1.0, con)


def _apply_earlier_outcomes(topic: Topic, situation: Situation, assessment: Assessment) -> None:
    """Options that clash with what earlier topics settled on (blocked) or recommend (penalised)."""
    for outcome in situation.outcomes.values():
        if not outcome.traits:
            continue
        for option, prose in topic.prose.options.items():
            for rule in clashes(prose.traits, outcome.traits):
                if outcome.settled and rule.severity == "error":
                    assessment.block(option, f"Clashes with {outcome.label}: {rule.message}")
                else:
                    points = CLASH_PENALTY if rule.severity == "error" else 1.0
                    assessment.penalise(option, points, f"Clashes with {outcome.label}: {rule.message}")


def _settled_result(topic: Topic, found: Settlement) -> tuple[Settled, TopicOutcome]:
    prose = topic.prose.options[found.option]
    settled = SettledDecision(
        topic=topic.key,
        category=topic.category,
        title=topic.prose.title,
        decision=prose.title,
        source=found.source,
        quote=found.quote,
    )
    outcome = TopicOutcome(
        option=found.option,
        settled=True,
        title=prose.title,
        traits=tuple(prose.traits),
        label=f"{prose.title} (settled by {found.source})",
    )
    return Settled(settled), outcome


def _logged_result(
    topic: Topic, entry: LogEntry, logged: LoggedDecision, option: str | None
) -> tuple[Settled, TopicOutcome]:
    prose = topic.prose.options[option] if option else None
    title = prose.title if prose else logged.decision
    source = f"{logged.id} of {entry.branch or entry.feature}"
    settled = SettledDecision(
        topic=topic.key,
        category=topic.category,
        title=topic.prose.title,
        decision=title,
        source=source,
        quote=logged.rationale or logged.decision,
    )
    outcome = TopicOutcome(
        option=option,
        settled=True,
        title=title,
        traits=tuple(prose.traits) if prose else (),
        label=f"{title} (logged as {source})",
    )
    return Settled(settled), outcome


def _options(topic: Topic, assessment: Assessment) -> tuple[list[Option], dict[str, str]]:
    keys: dict[str, str] = {}
    options: list[Option] = []
    for key, option_id in zip(OPTION_KEYS, assessment.visible, strict=False):
        prose = topic.prose.options[option_id]
        keys[option_id] = key
        options.append(
            Option(
                key=key,
                title=prose.title,
                summary=prose.summary,
                pros=[*prose.pros, *assessment.pros[option_id]],
                cons=[*prose.cons, *assessment.cons[option_id]],
                cost_impact=prose.cost_impact,
                reversibility=prose.reversibility,
                traits=list(prose.traits),
            )
        )
    return options, keys


def _unique(evidence: list[Evidence]) -> list[Evidence]:
    seen: set[tuple[str, str]] = set()
    out: list[Evidence] = []
    for item in evidence:
        if (item.source, item.quote) not in seen:
            seen.add((item.source, item.quote))
            out.append(item)
    return out


def _evidence_text(evidence: list[Evidence]) -> str:
    return "; ".join(f"{e.source}: “{e.quote}”" for e in evidence)


def _context(topic: Topic, evidence: list[Evidence], assessment: Assessment, log_note: str | None) -> str:
    parts = [topic.prose.background, f"What this feature states — {_evidence_text(evidence)}."]
    parts += assessment.context_notes
    if log_note:
        parts.append(log_note)
    return " ".join(parts)


def _reasoning(topic: Topic, assessment: Assessment, choice: Choice, keys: dict[str, str]) -> str:
    options = topic.prose.options
    chosen = options[choice.option]
    parts = list(assessment.facts)
    notes = assessment.notes[choice.option]
    if notes:
        parts += notes
    else:
        summary = chosen.summary
        if len(summary) > 1 and summary[1].islower():
            summary = summary[0].lower() + summary[1:]
        parts.append(f"{chosen.title} fits this feature best on balance: {summary}")
    workable = [i for i in assessment.visible if i not in assessment.blocked]
    if choice.option != choice.best:
        best = options[choice.best]
        parts.append(
            f"Option {keys[choice.best]} ({best.title}) scores about the same, but option {keys[choice.option]} "
            f"({chosen.title}) is easier to undo ({chosen.reversibility.value} against {best.reversibility.value}), "
            "so it is the safer default until someone decides otherwise."
        )
    elif len(workable) > 1 and all(
        options[i].reversibility.rank > chosen.reversibility.rank for i in workable if i != choice.option
    ):
        parts.append("It is also the easiest of the workable options to change later.")
    for option in assessment.visible:
        if option in assessment.contradicted and option != choice.option:
            parts.append(f"Option {keys[option]} ({options[option].title}) goes against the spec: {assessment.contradicted[option]}")
    ruled_out = [options[i].title for i in assessment.visible if i in assessment.blocked]
    if ruled_out:
        parts.append(f"Ruled out here: {', '.join(ruled_out)} (see the cons).")
    if assessment.citations:
        cited = "; ".join(_cited(label, sentence) for label, sentence in assessment.citations)
        parts.append(f"The constitution bears on this: {cited}.")
    return " ".join(parts)


def _log_note(entry: LogEntry, logged: LoggedDecision, reason: str) -> str:
    return (
        f"An earlier plan (“{entry.feature}”) logged {logged.id}: {logged.decision}. "
        f"This feature's evidence speaks against it: {reason}"
    )


def _asked(topic: Topic, situation: Situation, raised: bool) -> list[OpenQuestion]:
    """The spec's open technical questions about this topic: those that name one of its options
    (they raise it on their own), and, once the topic is raised, those that speak of it."""
    names = list(topic.names.values())
    about = [topic.about] if raised and topic.about is not None else []
    return [
        q
        for q in situation.technical_questions
        if any(p.search(q.question) for p in names) or any(p.search(q.question) for p in about)
    ]


def evaluate(topic: Topic, situation: Situation) -> Result:
    """Raise, settle or skip one topic, and record its outcome for the topics that follow."""
    triggered = topic.trigger(situation)
    asked = _asked(topic, situation, raised=bool(triggered))
    questions = [
        Evidence(source=q.location, quote=quote(q.sentence or q.question))
        for q in asked
        if not any(e.source == q.location for e in triggered)
    ]
    if not triggered and not questions:
        return None
    found = settlement(topic, situation)
    if found is not None:
        result, outcome = _settled_result(topic, found)
        situation.outcomes[topic.key] = outcome
        return result

    assessment = Assessment(topic)
    _apply_constitution(topic, situation, assessment)
    _apply_earlier_outcomes(topic, situation, assessment)
    topic.assess(situation, assessment)
    for question in asked:
        assessment.note(f"{question.location} leaves this open: “{question.question}”")

    log_note: str | None = None
    earlier = situation.logged(topic.key)
    if earlier is not None:
        entry, logged = earlier
        option = logged_option(topic, logged)
        reason = (assessment.contradicted.get(option) or assessment.blocked.get(option)) if option else None
        if reason is None:
            result, outcome = _logged_result(topic, entry, logged, option)
            situation.outcomes[topic.key] = outcome
            return result
        log_note = _log_note(entry, logged, reason)

    choice = recommend(assessment)
    options, keys = _options(topic, assessment)
    spec_evidence = _unique([*triggered[: MAX_EVIDENCE - len(questions)], *questions, *assessment.evidence])
    spec_evidence = spec_evidence[:MAX_EVIDENCE]
    all_evidence = [*spec_evidence, *assessment.cited[:MAX_EVIDENCE]]
    chosen = topic.prose.options[choice.option]
    ids = unique(e.source for e in spec_evidence)
    decision = TechnicalDecision(
        id="",
        topic=topic.key,
        category=topic.category,
        title=topic.prose.title,
        context=_context(topic, all_evidence, assessment, log_note),
        evidence=all_evidence,
        question=topic.prose.question,
        options=options,
        recommendation=keys[choice.option],
        recommendation_reasoning=_reasoning(topic, assessment, choice, keys),
        impact=assessment.impact,
        impact_on_implementation=f"{topic.prose.impact_on_implementation} Shapes the work for {', '.join(ids)}.",
        reversibility=chosen.reversibility,
        review_trigger=assessment.review or topic.prose.review_trigger,
    )
    situation.outcomes[topic.key] = TopicOutcome(
        option=choice.option,
        settled=False,
        title=chosen.title,
        traits=tuple(chosen.traits),
        label=f"the recommendation for {topic.prose.title.lower()} ({chosen.title})",
    )
    return Raised(decision)
