"""Risks from the spec and from the chosen options, each with the evidence it comes from.

A risk is raised only on evidence: a figure, a sentence of the spec, an open question or a
decision's effective option. Performance and security risks with a high impact are flagged for
escalation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.planning.catalog.facts import (
    availability,
    described,
    join_ids,
    largest_file,
    latency,
    longest_retention,
    scale,
)
from bot.planning.catalog.figures import count, figure
from bot.planning.catalog.questions import is_technical
from bot.planning.catalog.signals import rx
from bot.planning.catalog.situation import Sentence, Situation, unique
from bot.planning.catalog.vocabulary import (
    AUTHORIZATION,
    CONCURRENT_EDITS,
    DOCUMENT_EXTRACTION,
    ERASURE,
    EXACTLY_ONCE,
    EXTERNAL_WRITE,
    FAILS_MIDWAY,
    LEAVERS,
    LEGAL_RETENTION,
    NOTIFY,
    PERSONAL_DATA,
    PROXY_LIMIT,
    REALTIME,
)
from bot.planning.context import PlanningContext
from bot.planning.decisions import TechnicalDecision
from bot.planning.risks import LEVEL_RANK, Level, Risk
from bot.planning.spec import MetricKind, OpenQuestion

MB = 1024 * 1024
_MUST_NOT_LEAK = rx(
    r"\bwithout access\b",
    r"\b(?:must not|never|cannot|can't|should not) (?:see|view|read|access|expose)\b",
    r"\bnot (?:be )?(?:visible|exposed)\b",
)
_ACCURACY = rx(r"\bcorrect\w*", r"\baccura\w+", r"\bprecision\b", r"\brecall\b")
_IDEMPOTENCY_SUPPORT = rx(r"\bidempotency[- ]keys?\b", r"\bIdempotency-Key\b")

SpecRule = Callable[[Situation, Sequence[TechnicalDecision]], Risk | None]


def _topic(decisions: Sequence[TechnicalDecision], topic: str) -> TechnicalDecision | None:
    return next((td for td in decisions if td.topic == topic), None)


def _see(td: TechnicalDecision | None) -> str:
    return f" (see {td.id})" if td is not None else ""


def _sources(*groups: Sequence[str]) -> list[str]:
    return unique(s for group in groups for s in group)


def _cited(sentence: Sentence) -> str:
    """A spec sentence quoted after its id: `FR-004: “…”`."""
    return f"{sentence.source}: “{sentence.text}”"


def _asked(questions: Sequence[OpenQuestion]) -> str:
    """Open questions quoted after where they stand: `FR-004: “…”; SC-002: “…”`."""
    return "; ".join(f"{q.location}: “{q.question}”" for q in questions)


# --- risks the spec states ---------------------------------------------------------------------


def _latency_under_load(situation: Situation, decisions: Sequence[TechnicalDecision]) -> Risk | None:
    bound = situation.lowest(MetricKind.LATENCY)
    if bound is None or bound.metric.value > 500:
        return None
    users = scale(situation)
    heavy = users is not None and users.metric.value >= 1000
    at = f" at {count(users.metric.value)} concurrent users ({users.source})" if users is not None else ""
    caching = _topic(decisions, "caching-strategy")
    impact: Level = "High" if heavy else "Medium"
    likelihood: Level = "High" if heavy and bound.metric.value <= 200 else "Medium"
    return Risk(
        title="Response-time target under peak load",
        description=(
            f"{bound.source} sets {latency(bound)}{at}. One slow query, an N+1 access pattern or a saturated "
            "connection pool breaks it, and none of these shows until the system is under load."
        ),
        likelihood=likelihood,
        impact=impact,
        mitigation=(
            f"Load-test{at or ''} from the first working slice, with a time budget per request (database, rendering, "
            f"network) and alerts on the percentile the target names; tune queries and indexes first{_see(caching)}."
        ),
        area="performance",
        sources=_sources([bound.source], [users.source] if users is not None else [], [caching.id] if caching else []),
        escalate=impact == "High",
    )


def _large_files(situation: Situation, decisions: Sequence[TechnicalDecision]) -> Risk | None:
    size = largest_file(situation)
    if size is None or size.metric.value < 10 * MB:
        return None
    storage = _topic(decisions, "file-storage") or _topic(decisions, "upload-path")
    impact: Level = "High" if size.metric.value >= 100 * MB else "Medium"
    return Risk(
        title="Large uploads",
        description=(
            f"Files of up to {described(size)} hit request-size limits and timeouts at proxies, keep workers busy, "
            "fail on slow connections and may carry content that is not what it claims to be."
        ),
        likelihood="Medium",
        impact=impact,
        mitigation=(
            "Enforce the size limit at the edge and in the upload policy, upload straight to storage, check the real "
            f"content type and scan files before processing, and test the largest allowed file on a slow connection{_see(storage)}."
        ),
        area="performance",
        sources=_sources([size.source], [storage.id] if storage else []),
        escalate=impact == "High",
    )


def _erasure_against_retention(situation: Situation, decisions: Sequence[TechnicalDecision]) -> Risk | None:
    erasure = situation.ids(ERASURE)
    if not erasure or not situation.says(PERSONAL_DATA):
        return None
    kept = longest_retention(situation)
    legal = situation.ids(LEGAL_RETENTION)
    if kept is None and not legal:
        return None
    duty = join_ids(legal + ([kept.source] if kept else []))
    period = f" for {figure(kept.metric)}" if kept else ""
    open_here = [q for q in situation.spec.open_questions if q.location in erasure or q.location in legal]
    pending = f" {open_here[0].location} still asks “{open_here[0].question}”." if open_here else ""
    td = _topic(decisions, "data-erasure-vs-retention")
    return Risk(
        title="Erasure requests against retention duties",
        description=(
            f"{join_ids(erasure)} let people erase their personal data while {duty} require keeping records{period}. "
            "Copies in files, backups, logs and search indexes make a complete erasure hard to prove." + pending
        ),
        likelihood="High" if open_here else "Medium",
        impact="High",
        mitigation=(
            "Map every store that holds personal data, keep identity apart from retained records, automate an erasure "
            f"test that proves a person is gone from every store, and get legal sign-off on the retained fields{_see(td)}."
        ),
        area="security",
        sources=_sources(erasure, legal, [kept.source] if kept else [], [q.location for q in open_here], [td.id] if td else []),
        escalate=True,
    )


def _external_failure(situation: Situation, decisions: Sequence[TechnicalDecision]) -> Risk | None:
    if not situation.says(EXTERNAL_WRITE):
        return None
    failing = situation.hits(FAILS_MIDWAY)
    if not failing:
        return None
    once = situation.ids(EXACTLY_ONCE)
    td = _topic(decisions, "external-api-delivery")
    first = failing[0]
    return Risk(
        title="External system fails mid-operation",
        description=(
            f"{_cited(first)} A call that times out may still have succeeded on the other side: a blind "
            "retry duplicates the record, no retry loses it."
        ),
        likelihood="High",
        impact="High" if once else "Medium",
        mitigation=(
            f"Deliver from a retrying, idempotent worker with per-record delivery state{_see(td)}, reconcile against the "
            "external system after each run, and alert on records still pending after one run."
        ),
        area="integration",
        sources=_sources([s.source for s in failing], once, [td.id] if td else []),
    )


def _exactly_once(situation: Situation, decisions: Sequence[TechnicalDecision]) -> Risk | None:
    once = situation.ids(EXACTLY_ONCE)
    if not once or not situation.says(EXTERNAL_WRITE):
        return None
    supported = situation.first(_IDEMPOTENCY_SUPPORT)
    td = _topic(decisions, "external-api-delivery")
    return Risk(
        title="Exactly-once delivery depends on the other side",
        description=(
            f"{join_ids(once)} demand that nothing is sent twice or lost. Over a network that only holds when retries "
            "are idempotent on the receiving side: the external API must accept an idempotency key or let us look a "
            "record up by our own reference."
            + (f" {supported.source} says it accepts idempotency keys." if supported else "")
        ),
        likelihood="Low" if supported else "Medium",
        impact="High",
        mitigation=(
            "Confirm with the external system's owners how duplicates are detected before building, send our record id "
            f"as the key, and add a daily reconciliation report{_see(td)}."
        ),
        area="integration",
        sources=_sources(once, [supported.source] if supported else [], [td.id] if td else []),
    )


def _open_questions(situation: Situation, decisions: Sequence[TechnicalDecision]) -> Risk | None:
    business = [q for q in situation.spec.open_questions if not is_technical(q)]
    if not business:
        return None
    musts = {r.id for r in situation.spec.requirements if r.strength == "must"}
    listed = _asked(business)
    return Risk(
        title="Open questions may change the scope",
        description=f"The spec still carries {len(business)} open question{'s' if len(business) != 1 else ''}: {listed}.",
        likelihood="Medium",
        impact="High" if any(q.location in musts for q in business) else "Medium",
        mitigation="Get the answers before the affected tasks start; keep that work behind the answer and re-plan if it changes a decision.",
        area="scope",
        sources=unique(q.location for q in business),
    )


def _unanswered_technical(situation: Situation, decisions: Sequence[TechnicalDecision]) -> Risk | None:
    loose = [q for q in situation.technical_questions if not any(q.question in td.context for td in decisions)]
    if not loose:
        return None
    listed = _asked(loose)
    return Risk(
        title="Technical questions without a decision",
        description=f"No decision in this plan answers {listed}.",
        likelihood="Medium",
        impact="Medium",
        mitigation="Have the team answer them in the plan review (a /replan with the answer adds a decision if one is needed).",
        area="scope",
        sources=unique(q.location for q in loose),
    )


def _realtime_behind_proxies(situation: Situation, decisions: Sequence[TechnicalDecision]) -> Risk | None:
    proxy = situation.first(PROXY_LIMIT)
    if proxy is None or not situation.says(REALTIME):
        return None
    bound = situation.lowest(MetricKind.LATENCY, REALTIME)
    td = _topic(decisions, "realtime-transport")
    impact: Level = "High" if bound is not None and bound.metric.value <= 5000 else "Medium"
    return Risk(
        title="Live updates cut by proxies",
        description=(
            f"{_cited(proxy)} Long-lived connections through such proxies drop silently; without "
            "heartbeats and resume, people miss updates and do not notice."
            + (f" {bound.source} allows only {figure(bound.metric)} for an update to arrive." if bound else "")
        ),
        likelihood="High",
        impact=impact,
        mitigation=(
            "Send heartbeats well inside the idle limit, resume from the last event id on reconnect, show a "
            f"reconnecting state, and test through a proxy set to the same idle timeout{_see(td)}."
        ),
        area="performance",
        sources=_sources([proxy.source], [bound.source] if bound else [], [td.id] if td else []),
        escalate=impact == "High",
    )


def _availability_target(situation: Situation, decisions: Sequence[TechnicalDecision]) -> Risk | None:
    up = availability(situation)
    if up is None or up.metric.value < 99.9:
        return None
    minutes = (100 - up.metric.value) / 100 * 30 * 24 * 60
    td = _topic(decisions, "horizontal-scaling")
    return Risk(
        title="Availability target",
        description=(
            f"{up.source} sets {figure(up.metric)} availability: about {count(round(minutes))} minutes of downtime per "
            "30 days, deploys and outages of the systems it depends on included."
        ),
        likelihood="Medium",
        impact="High",
        mitigation=(
            "Run at least two instances with health checks and zero-downtime deploys, degrade gracefully when a "
            f"dependency is down, alert on the availability objective and rehearse the rollback{_see(td)}."
        ),
        area="performance",
        sources=_sources([up.source], [td.id] if td else []),
        escalate=True,
    )


def _leaks_through_push(situation: Situation, decisions: Sequence[TechnicalDecision]) -> Risk | None:
    leaks = situation.hits(_MUST_NOT_LEAK)
    if not leaks or not (situation.says(REALTIME) or situation.says(NOTIFY)):
        return None
    td = _topic(decisions, "authorization-model")
    first = leaks[0]
    return Risk(
        title="Information leaking through pushed events or notifications",
        description=(
            f"{_cited(first)} Events and notifications skip the checks that guard pages unless they are "
            "filtered per recipient."
        ),
        likelihood="Medium",
        impact="High",
        mitigation=(
            "Send every event and notification through the same policy as page reads, and test per role that nothing "
            f"arrives from records the subscriber may not see{_see(td)}."
        ),
        area="security",
        sources=_sources([s.source for s in leaks], situation.ids(AUTHORIZATION)[:3], [td.id] if td else []),
        escalate=True,
    )


def _simultaneous_changes(situation: Situation, decisions: Sequence[TechnicalDecision]) -> Risk | None:
    first = situation.first(CONCURRENT_EDITS)
    if first is None:
        return None
    td = _topic(decisions, "concurrent-updates")
    return Risk(
        title="Simultaneous changes to one record",
        description=f"{_cited(first)} Without a rule, one change silently overwrites the other.",
        likelihood="Medium",
        impact="Medium",
        mitigation=f"Make state changes conditional on the expected state or version, and test both actions fired at once{_see(td)}.",
        area="data",
        sources=_sources([first.source], [td.id] if td else []),
    )


def _extraction_accuracy(situation: Situation, decisions: Sequence[TechnicalDecision]) -> Risk | None:
    if not situation.says(DOCUMENT_EXTRACTION):
        return None
    target = situation.highest(MetricKind.PERCENTAGE, _ACCURACY)
    if target is None:
        return None
    td = _topic(decisions, "document-extraction")
    return Risk(
        title="Automated extraction accuracy",
        description=(
            f"{target.source} expects {figure(target.metric)} read correctly. Real photos vary in light, angle and "
            "condition, so accuracy measured on clean samples overstates it."
        ),
        likelihood="Medium",
        impact="Medium",
        mitigation=(
            "Collect a labelled sample of real documents early, measure accuracy per field, keep manual correction in "
            f"the flow and track accuracy in production{_see(td)}."
        ),
        area="scope",
        sources=_sources([target.source], situation.ids(DOCUMENT_EXTRACTION), [td.id] if td else []),
    )


def _leavers(situation: Situation, decisions: Sequence[TechnicalDecision]) -> Risk | None:
    first = situation.first(LEAVERS)
    if first is None:
        return None
    td = _topic(decisions, "directory-sync")
    return Risk(
        title="Work stranded with people who left",
        description=f"{_cited(first)} Items assigned to someone who is gone wait forever unless the feature notices.",
        likelihood="Medium",
        impact="Medium",
        mitigation=(
            "Deactivate people from directory events, reassign their open items by a stated rule, and alert on items "
            f"assigned to inactive people{_see(td)}."
        ),
        area="integration",
        sources=_sources([first.source], [td.id] if td else []),
    )


SPEC_RULES: tuple[SpecRule, ...] = (
    _latency_under_load,
    _large_files,
    _erasure_against_retention,
    _external_failure,
    _exactly_once,
    _open_questions,
    _unanswered_technical,
    _realtime_behind_proxies,
    _availability_target,
    _leaks_through_push,
    _simultaneous_changes,
    _extraction_accuracy,
    _leavers,
)

# --- risks the choices bring -------------------------------------------------------------------


def _decision_risks(situation: Situation, decisions: Sequence[TechnicalDecision]) -> list[Risk]:
    risks: list[Risk] = []
    personal = situation.ids(PERSONAL_DATA)
    for td in decisions:
        option = td.effective
        if td.provisional:
            risks.append(
                Risk(
                    title=f"{td.id} stands as a PROVISIONAL DECISION",
                    description=(
                        f"Nobody chose an option for “{td.title}”; the recommendation, {option.title}, stands "
                        "provisionally and may still change."
                    ),
                    likelihood="Medium" if td.impact.value == "High" else "Low",
                    impact=td.impact.value,
                    mitigation=f"Confirm or change it at the review checkpoint; keep the migration task ready. {td.review_trigger}",
                    area="delivery",
                    sources=[td.id],
                )
            )
        if option.reversibility.value == "Hard" and td.impact.value == "High":
            risks.append(
                Risk(
                    title=f"Hard to reverse: {option.title} ({td.id})",
                    description=f"{td.id} leans on {option.title}, which is hard to change once code and data depend on it.",
                    likelihood="Low",
                    impact="High",
                    mitigation="Prove it with a thin end-to-end slice before building on it, and keep it behind an internal interface.",
                    area="delivery",
                    sources=[td.id],
                )
            )
        if "third-party-processor" in option.traits and personal:
            risks.append(
                Risk(
                    title=f"Personal data sent to a third party ({td.id})",
                    description=(
                        f"{option.title} passes data to an outside processor while {join_ids(personal)} put personal "
                        "data in the feature's care."
                    ),
                    likelihood="Medium",
                    impact="High",
                    mitigation=(
                        "Sign a data processing agreement, pin the processing region, send only the fields needed, "
                        "and record the processor in the records of processing."
                    ),
                    area="security",
                    sources=_sources([td.id], personal),
                    escalate=True,
                )
            )
    return risks


def assess_risks(context: PlanningContext, decisions: Sequence[TechnicalDecision]) -> list[Risk]:
    """Risks from the spec's figures and sentences and from the decisions' effective options,
    most severe first (impact, then likelihood); the order is stable for the same input."""
    situation = Situation(context)
    found = [risk for rule in SPEC_RULES if (risk := rule(situation, decisions)) is not None]
    found += _decision_risks(situation, decisions)
    return sorted(found, key=lambda r: (LEVEL_RANK[r.impact], LEVEL_RANK[r.likelihood]))
