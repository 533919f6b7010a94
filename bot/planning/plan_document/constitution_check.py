"""The Constitution Check: each principle checked against the decisions in force, layout and tasks.

A principle gets PASS, PASS WITH JUSTIFICATION (a departure people chose with a rationale, and
the principle is negotiable) or VIOLATION. Specific checks recognise common kinds of principle
(a mandated database family or architecture, a language, test-first, decision records for new
infrastructure); any other principle passes when nothing in force departs from it, naming the
tasks that carry it out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum
from typing import NamedTuple

from pydantic import BaseModel, Field

from bot.planning.constitution import Principle
from bot.planning.decisions import TechnicalDecision
from bot.planning.layout import CONVENTIONS, UNDECIDED
from bot.planning.plan import Plan
from bot.planning.plan_document.refs import decision_ref, option_label, people_decided
from bot.planning.repo_context import CONSTITUTION_PATHS
from bot.planning.tasks import Task

# Where the constitution is looked for (what "no constitution" means).
CONSTITUTION_LOCATIONS: tuple[str, ...] = CONSTITUTION_PATHS


class GateVerdict(StrEnum):
    PASS = "PASS"
    PASS_WITH_JUSTIFICATION = "PASS WITH JUSTIFICATION"
    VIOLATION = "VIOLATION"

    @property
    def rank(self) -> int:
        return {"PASS": 0, "PASS WITH JUSTIFICATION": 1, "VIOLATION": 2}[self.value]


class Gate(BaseModel):
    principle: str  # the principle's label, e.g. "II. PostgreSQL is the system of record"
    verdict: GateVerdict
    reason: str
    decisions: list[str] = Field(default_factory=list)  # TD ids the verdict rests on
    tasks: list[str] = Field(default_factory=list)  # task ids the verdict rests on
    justification: str = ""  # why a departure is accepted, or why it cannot be
    alternative: str = ""  # what would keep to the principle, and why it was not taken

    @property
    def departs(self) -> bool:
        return self.verdict is not GateVerdict.PASS


class TraitRule(NamedTuple):
    """A kind of mandate a principle can state, and the option traits that go against it."""

    mandate: str  # what the principle asks for, in a few words
    pattern: re.Pattern[str]  # recognises the principle
    against: frozenset[str]  # option traits that depart from it
    supports: frozenset[str]  # option traits that carry it out


TRAIT_RULES: tuple[TraitRule, ...] = (
    TraitRule(
        "a relational database as the system of record",
        re.compile(r"\b(postgres(?:ql)?|mysql|mariadb|sql server|sqlite|relational)\b", re.IGNORECASE),
        frozenset({"non-relational-store", "document-store", "key-value-store", "graph-store", "wide-column-store"}),
        frozenset({"needs-relational-database", "uses-primary-database", "relational"}),
    ),
    TraitRule(
        "one deployable application (a monolith)",
        re.compile(r"\bmonolith", re.IGNORECASE),
        frozenset({"separate-deployable", "microservices"}),
        frozenset({"single-deployable"}),
    ),
    TraitRule(
        "no dependence on one vendor's managed services",
        re.compile(r"vendor lock-?in|self-hosted|on-prem", re.IGNORECASE),
        frozenset({"vendor-lock-in", "third-party-processor"}),
        frozenset({"self-hosted", "portable"}),
    ),
)

# Option traits meaning "this option adds a piece of infrastructure to run".
INFRASTRUCTURE_TRAITS: frozenset[str] = frozenset(
    {"extra-infrastructure", "separate-deployable", "third-party-processor", "vendor-lock-in"}
)
NEW_LANGUAGE_TRAIT = "new-language"

# A principle that names a language and mandates it ("written in", "one language", "services are").
_LANGUAGE_MANDATE = re.compile(r"\b(language|written|only|must|use[sd]?)\b|services? (?:are|is)\b", re.IGNORECASE)
TEST_FIRST = re.compile(
    r"test[- ]first|test[- ]driven|\bTDD\b|failing test|tests? (?:are |is )?(?:written )?(?:first|before)",
    re.IGNORECASE,
)
_CONTRACT_TESTS = re.compile(r"contract tests?", re.IGNORECASE)
_DECISION_RECORD = re.compile(
    r"decision record|\bADRs?\b|new infrastructure|without (?:a |an )?(?:recorded )?decision", re.IGNORECASE
)
_TEST_TASK = re.compile(r"\b(tests?|testing)\b", re.IGNORECASE)
_STOP_WORDS = frozenset(
    "about above after again against every other their there these those which while where with "
    "without within would should could must shall never always until before being under".split()
)


def is_rule_section(name: str) -> bool:
    """Constitution sections that state rules, as opposed to governance or amendment procedure."""
    return not re.search(r"governance|amendment|version|history", name, re.IGNORECASE)


def _text(principle: Principle) -> str:
    return f"{principle.name}. {principle.text}"


def _departure(
    principle: Principle, mandate: str, offenders: list[TechnicalDecision], against: frozenset[str]
) -> Gate:
    """The gate for decisions in force that go against a principle: justified only when people
    chose them with a rationale and the principle is negotiable."""
    refs = ", ".join(decision_ref(td) for td in offenders)
    keeping = {td.id: [o for o in td.options if not against & set(o.traits)] for td in offenders}
    compliant = "; ".join(
        f"{td_id}: " + ", ".join(option_label(o) for o in options) for td_id, options in keeping.items() if options
    )
    justified = all(people_decided(td) and td.outcome and td.outcome.rationale for td in offenders)
    ids = [td.id for td in offenders]
    if justified and not principle.non_negotiable:
        why = "; ".join(
            f"{td.id} chosen by {', '.join(td.outcome.decided_by) or 'the team'}: {td.outcome.rationale}"
            for td in offenders
            if td.outcome
        )
        alternative = (
            f"{compliant} would keep to it; the deciders preferred the departure for the reason given"
            if compliant
            else "none of the options offered keeps to it"
        )
        return Gate(
            principle=principle.label,
            verdict=GateVerdict.PASS_WITH_JUSTIFICATION,
            reason=f"It asks for {mandate}; {refs} departs from it by a recorded choice.",
            decisions=ids,
            justification=why,
            alternative=alternative,
        )
    if principle.non_negotiable:
        why = "the principle is NON-NEGOTIABLE, so no decision can justify departing from it"
    else:
        why = "nobody chose the departure with a rationale (the decision is provisional or still open)"
    alternative = (
        f"{compliant} keeps to it and was not chosen: decide for it, or amend the constitution"
        if compliant
        else "no option offered keeps to it: amend the constitution or raise a new option"
    )
    return Gate(
        principle=principle.label,
        verdict=GateVerdict.VIOLATION,
        reason=f"It asks for {mandate}; {refs} departs from it.",
        decisions=ids,
        justification=f"Not justified: {why}.",
        alternative=alternative,
    )


def _trait_gates(principle: Principle, plan: Plan) -> list[Gate]:
    gates = []
    for rule in TRAIT_RULES:
        if not rule.pattern.search(_text(principle)):
            continue
        offenders = [td for td in plan.decisions if rule.against & set(td.effective.traits)]
        if offenders:
            gates.append(_departure(principle, rule.mandate, offenders, rule.against))
            continue
        carriers = [td for td in plan.decisions if rule.supports & set(td.effective.traits)]
        settled = [s for s in plan.analysis.settled if principle.name in s.source]
        cited = [decision_ref(td) for td in carriers] + [f"{s.decision} (settled, not asked again)" for s in settled]
        reason = f"It asks for {rule.mandate}; no decision in force departs from it"
        reason += f": carried by {', '.join(cited)}." if cited else "."
        gates.append(
            Gate(principle=principle.label, verdict=GateVerdict.PASS, reason=reason, decisions=[t.id for t in carriers])
        )
    return gates


def languages_named(text: str) -> list[str]:
    """The programming languages a text names, as the layout's conventions name them."""
    return [convention.name for convention in CONVENTIONS if convention.pattern.search(text)]


def _language_gates(principle: Principle, plan: Plan) -> list[Gate]:
    named = languages_named(_text(principle))
    if not named or not _LANGUAGE_MANDATE.search(_text(principle)):
        return []
    wanted = " or ".join(named)
    offenders = [td for td in plan.decisions if NEW_LANGUAGE_TRAIT in td.effective.traits]
    if offenders:
        return [_departure(principle, f"code in {wanted}", offenders, frozenset({NEW_LANGUAGE_TRAIT}))]
    planned = plan.layout.language
    if planned and planned != UNDECIDED and planned.split()[0] not in named:
        return [
            Gate(
                principle=principle.label,
                verdict=GateVerdict.VIOLATION,
                reason=(
                    f"It asks for code in {wanted}; the project layout puts the feature's code in {planned} "
                    f"under `{plan.layout.source_root}`."
                ),
                justification="Not justified: no decision chose another language.",
                alternative=f"writing the feature in {named[0]} keeps to it",
            )
        ]
    where = f"{planned} under `{plan.layout.source_root}`" if planned != UNDECIDED else "no other language"
    return [
        Gate(principle=principle.label, verdict=GateVerdict.PASS, reason=f"It asks for code in {wanted}; the plan uses {where}.")
    ]


def is_test_task(task: Task, test_root: str) -> bool:
    in_tests = bool(task.path and test_root and task.path.startswith(test_root.rstrip("/") + "/"))
    return in_tests or bool(_TEST_TASK.search(task.description))


def _test_first_gates(principle: Principle, plan: Plan) -> list[Gate]:
    if not TEST_FIRST.search(_text(principle)):
        return []
    story_phases = [p for p in plan.tasks.phases if p.story]
    problems: list[str] = []
    firsts: list[str] = []
    for phase in story_phases:
        tests = [i for i, t in enumerate(phase.tasks) if is_test_task(t, plan.layout.test_root)]
        if not tests:
            problems.append(f"{phase.title} has no test task")
            continue
        early = [t.id for t in phase.tasks[: tests[0]]]
        if early:
            problems.append(f"in {phase.title}, {', '.join(early)} come before the first test task {phase.tasks[tests[0]].id}")
        else:
            firsts.append(phase.tasks[tests[0]].id)
    has_interface = bool(plan.contracts.operations or plan.contracts.events)
    if _CONTRACT_TESTS.search(_text(principle)) and has_interface:
        if not any(_CONTRACT_TESTS.search(t.description) for t in plan.tasks.tasks()):
            problems.append("no task writes the contract tests the interface needs")
    if not story_phases:
        problems.append("tasks.md holds no story phase with tests")
    if problems:
        return [
            Gate(
                principle=principle.label,
                verdict=GateVerdict.VIOLATION,
                reason="It asks for tests first; " + "; ".join(problems) + ".",
                justification="Not justified: each story's tests must come before its implementation.",
                alternative="reordering the story phases so that their test tasks come first keeps to it",
            )
        ]
    reason = (
        "It asks for tests first; every story phase in tasks.md opens with its tests "
        f"({', '.join(firsts)}) before any implementation task."
    )
    return [Gate(principle=principle.label, verdict=GateVerdict.PASS, reason=reason, tasks=firsts)]


def adds_infrastructure(td: TechnicalDecision) -> bool:
    return bool(INFRASTRUCTURE_TRAITS & set(td.effective.traits))


def _decision_record_gates(principle: Principle, plan: Plan) -> list[Gate]:
    if not _DECISION_RECORD.search(_text(principle)):
        return []
    adding = [td for td in plan.decisions if adds_infrastructure(td)]
    if adding:
        reason = (
            "It asks for a decision record before new infrastructure; the infrastructure this plan adds comes "
            f"only through recorded decisions: {', '.join(decision_ref(td) for td in adding)}, each written in "
            "decisions.md and the decision log."
        )
    else:
        reason = "It asks for a decision record before new infrastructure; no decision in force adds any."
    return [Gate(principle=principle.label, verdict=GateVerdict.PASS, reason=reason, decisions=[td.id for td in adding])]


def _key_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z0-9-]{4,}", text.lower()) if w not in _STOP_WORDS}


def _general_gate(principle: Principle, plan: Plan) -> Gate:
    """A principle no specific check recognises: nothing in force departs from it; the tasks whose
    wording matches the principle's are named as carrying it out."""
    words = _key_words(_text(principle))
    carriers = [t.id for t in plan.tasks.tasks() if words & _key_words(t.description)][:6]
    checked = ", ".join(td.id for td in plan.decisions) or "none raised"
    reason = f"No decision in force (checked: {checked}) and nothing in the project layout departs from it"
    reason += f"; tasks that carry it out: {', '.join(carriers)}." if carriers else "."
    return Gate(principle=principle.label, verdict=GateVerdict.PASS, reason=reason, tasks=carriers)


_CHECKS: tuple[Callable[[Principle, Plan], list[Gate]], ...] = (
    _trait_gates,
    _language_gates,
    _test_first_gates,
    _decision_record_gates,
)


def _merge(principle: Principle, gates: list[Gate]) -> Gate:
    """One gate for a principle several checks recognised: the worst verdict, every reason."""
    worst = max(gates, key=lambda g: g.verdict.rank)
    return Gate(
        principle=principle.label,
        verdict=worst.verdict,
        reason=" ".join(g.reason for g in gates),
        decisions=list(dict.fromkeys(d for g in gates for d in g.decisions)),
        tasks=list(dict.fromkeys(t for g in gates for t in g.tasks)),
        justification=" ".join(g.justification for g in gates if g.justification),
        alternative="; ".join(g.alternative for g in gates if g.alternative),
    )


def _principles(plan: Plan) -> list[Principle]:
    constitution = plan.context.constitution
    if constitution is None:
        return []
    if constitution.principles:
        return list(constitution.principles)
    # A constitution without principle headings: its rule sections are the gates.
    return [Principle(name=name, text=text) for name, text in constitution.sections.items() if is_rule_section(name)]


def constitution_check(plan: Plan) -> list[Gate]:
    """One gate per constitution principle; empty when the repository has no constitution."""
    gates = []
    for principle in _principles(plan):
        found = [gate for check in _CHECKS for gate in check(principle, plan)]
        gates.append(_merge(principle, found) if found else _general_gate(principle, plan))
    return gates
