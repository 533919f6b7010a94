"""Performance targets and budgets derived from the figures the spec states.

Every number here is either the spec's own figure or computed from it with the assumption
written beside it (think time, uplink bandwidth, the share of each tier in a latency budget).
Nothing is a benchmark result: the plan says what to measure, not what was measured.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from bot.planning.contracts import InterfaceKind
from bot.planning.decisions import Category, TechnicalDecision
from bot.planning.plan import Plan
from bot.planning.spec import Metric, MetricKind

MINUTES_PER_MONTH = 365.25 / 12 * 24 * 60  # an average month
HOURS_PER_YEAR = 365.25 * 24
ASSUMED_THINK_TIME_S = 10.0  # seconds a user waits between two requests, until measured
ASSUMED_UPLINK_MBIT_S = 10.0  # a modest office or mobile uplink, for upload times
ASSUMED_PERCENTILE = 95.0  # read into a latency target that names none
HEADROOM = 1.5  # capacity planned above the measured peak
PROPOSED_AVAILABILITY = 99.5  # proposed, as a question, when a served feature states none

# The figures that make a performance target; the others (sizes, durations, ratios…) complete them.
CORE_KINDS = (MetricKind.LATENCY, MetricKind.THROUGHPUT, MetricKind.CONCURRENCY, MetricKind.AVAILABILITY)

# Words that say a figure or a story is about pushing changes to people.
EVENT_WORDS = re.compile(
    r"\b(appear\w*|notif\w*|push\w*|real[- ]?time|live|broadcast\w*|deliver\w*|without reload\w*|"
    r"stream\w*|event\w*)\b",
    re.IGNORECASE,
)
_CACHE_WORDS = re.compile(r"cach", re.IGNORECASE)
_ENVIRONMENT_LIMIT = re.compile(r"\bidle\b|time-?outs?\b|\bcuts? (?:off |idle )?connections?", re.IGNORECASE)
_NO_CACHE = re.compile(r"\s*(?:no|not|none)\b|.*\b(?:no|without)\b[^.;]*\bcache", re.IGNORECASE)


class Target(BaseModel):
    """One figure the spec states, as a target to test against."""

    kind: MetricKind
    figure: str  # the spec's words, e.g. "under 300 ms"
    value: float  # in the kind's base unit
    unit: str
    percentile: float | None = None
    percentile_assumed: bool = False
    source: str  # "SC-002", or "spec" when the figure has no id
    statement: str  # the sentence it was read from
    flow: str = "request"  # for latency: "request", "event" (delivery to connected clients) or "command"
    environment_limit: bool = False  # a limit the environment imposes (a proxy's idle timeout), not a goal

    @property
    def percentile_label(self) -> str:
        return f"p{self.percentile:g}" if self.percentile is not None else ""

    @property
    def label(self) -> str:
        """The figure with its percentile, unless the spec's words already say it: "p95 under 300 ms"."""
        if self.percentile is None or f"{self.percentile:g}%" in self.figure:
            return self.figure
        return f"{self.percentile_label} {self.figure}"


class BudgetSlice(BaseModel):
    tier: str
    share: int  # percent of the target
    ms: int


class LatencyBudget(BaseModel):
    target: Target
    flow: str  # "request", "event" or "command"
    slices: list[BudgetSlice]


class DowntimeBudget(BaseModel):
    target: Target
    percent: float
    minutes_per_month: float
    minutes_per_week: float
    hours_per_year: float


class ThroughputEstimate(BaseModel):
    concurrency: Target
    think_time_s: float
    requests_per_second: float


class Population(BaseModel):
    population: Target
    concurrency: Target
    share_percent: float


class TransferEstimate(BaseModel):
    size: Target
    megabytes: float
    uplink_mbit_s: float
    seconds: float


class ProposedTarget(BaseModel):
    """A target the spec does not state; proposed so that people agree one (a question, not a fact)."""

    kind: MetricKind
    proposal: str
    subject: str = ""  # what the target is for, when narrower than the kind, e.g. "event delivery"


class PerformancePlan(BaseModel):
    targets: list[Target] = Field(default_factory=list)
    latency_budgets: list[LatencyBudget] = Field(default_factory=list)
    downtime: list[DowntimeBudget] = Field(default_factory=list)
    throughput_estimate: ThroughputEstimate | None = None
    population: Population | None = None
    transfers: list[TransferEstimate] = Field(default_factory=list)
    proposals: list[ProposedTarget] = Field(default_factory=list)
    caching_decisions: list[TechnicalDecision] = Field(default_factory=list)
    cached: bool = False  # a cache sits in front of the system of record
    scaling_decisions: list[TechnicalDecision] = Field(default_factory=list)
    performance_decisions: list[TechnicalDecision] = Field(default_factory=list)
    assumed_think_time_s: float = ASSUMED_THINK_TIME_S
    headroom: float = HEADROOM

    def of_kind(self, *kinds: MetricKind) -> list[Target]:
        return [t for t in self.targets if t.kind in kinds]

    @property
    def has_core_figures(self) -> bool:
        return bool(self.of_kind(*CORE_KINDS))

    @property
    def rates(self) -> list[Target]:
        """Throughput figures the spec states."""
        return self.of_kind(MetricKind.THROUGHPUT)

    @property
    def peak_connections(self) -> int | None:
        """Open connections to plan for: the largest concurrency figure."""
        figures = self.of_kind(MetricKind.CONCURRENCY)
        return int(max(t.value for t in figures)) if figures else None


def _statements(plan: Plan) -> dict[str, str]:
    found: dict[str, str] = {}
    for source, text in plan.context.spec.statements():
        found.setdefault(source, text)
    return found


def targets(plan: Plan) -> list[Target]:
    """Every figure of the spec as a target, without duplicates, requirements first; latency
    targets know which path they time (a request, an event's delivery, or a command)."""
    statements = _statements(plan)
    out: list[Target] = []
    seen: set[tuple[MetricKind, float, str]] = set()
    for metric in plan.context.spec.metrics():
        source = metric.source or "spec"
        key = (metric.kind, metric.value, source)
        if key in seen:
            continue
        seen.add(key)
        target = _target(metric, source, statements.get(source, metric.text))
        if target.kind is MetricKind.LATENCY:
            target.flow = _flow(plan, target)
        if target.kind is MetricKind.DURATION and _ENVIRONMENT_LIMIT.search(target.statement):
            target.environment_limit = True
        out.append(target)
    return out


def _target(metric: Metric, source: str, statement: str) -> Target:
    percentile = metric.percentile
    assumed = metric.kind is MetricKind.LATENCY and percentile is None
    return Target(
        kind=metric.kind, figure=metric.text, value=metric.value, unit=metric.unit,
        percentile=ASSUMED_PERCENTILE if assumed else percentile, percentile_assumed=assumed,
        source=source, statement=statement,
    )


_TIERS: dict[str, tuple[tuple[str, int], ...]] = {
    "request": (
        ("Client network and TLS", 20),
        ("Load balancer / reverse proxy", 5),
        ("Application: routing, authentication, validation, serialisation", 25),
        ("Data store queries", 35),
        ("Headroom for variance", 15),
    ),
    "request-cached": (
        ("Client network and TLS", 20),
        ("Load balancer / reverse proxy", 5),
        ("Application: routing, authentication, validation, serialisation", 25),
        ("Cache lookup", 5),
        ("Data store queries (cache misses)", 30),
        ("Headroom for variance", 15),
    ),
    "event": (
        ("Commit the change and publish the event", 15),
        ("Broker or fan-out to the connection holders", 25),
        ("Delivery over the open connection", 35),
        ("Client handling and display", 10),
        ("Headroom for variance", 15),
    ),
    "command": (
        ("Process start-up and imports", 30),
        ("Reading and validating input", 15),
        ("Core work", 40),
        ("Writing output", 5),
        ("Headroom for variance", 10),
    ),
}


def _flow(plan: Plan, target: Target) -> str:
    kinds = set(plan.contracts.kinds)
    if InterfaceKind.EVENTS in kinds and EVENT_WORDS.search(target.statement):
        return "event"
    if InterfaceKind.HTTP not in kinds and kinds & {InterfaceKind.CLI, InterfaceKind.LIBRARY}:
        return "command"
    return "request"


def _budget(target: Target, cached: bool) -> LatencyBudget:
    flow = target.flow
    tiers = _TIERS["request-cached" if flow == "request" and cached else flow]
    slices = [BudgetSlice(tier=name, share=share, ms=round(target.value * share / 100)) for name, share in tiers]
    return LatencyBudget(target=target, flow=flow, slices=slices)


def downtime(target: Target) -> DowntimeBudget:
    """The downtime an availability target allows: 99.9% leaves about 43.8 minutes a month."""
    unavailable = max(0.0, 100.0 - target.value) / 100.0
    return DowntimeBudget(
        target=target, percent=target.value,
        minutes_per_month=round(unavailable * MINUTES_PER_MONTH, 1),
        minutes_per_week=round(unavailable * 7 * 24 * 60, 1),
        hours_per_year=round(unavailable * HOURS_PER_YEAR, 2),
    )


def _decisions_in(plan: Plan, *categories: Category) -> list[TechnicalDecision]:
    return [td for td in plan.analysis.decisions if td.category in categories]


def caching_in_force(plan: Plan) -> list[TechnicalDecision]:
    return [td for td in plan.analysis.decisions if _CACHE_WORDS.search(f"{td.topic} {td.title}")]


def uses_cache(plan: Plan) -> bool:
    """Whether a cache sits in front of the system of record: as the caching decisions chose, else
    when an entity's caching strategy caches it."""
    decisions = caching_in_force(plan)
    if decisions:  # the decision in force outranks what entity notes say
        return any(not _NO_CACHE.match(td.effective.title) for td in decisions)
    return any(e.caching and not _NO_CACHE.match(e.caching) for e in plan.data_model.entities)


def performance_plan(plan: Plan) -> PerformancePlan:
    found = targets(plan)
    caching = caching_in_force(plan)
    cached = uses_cache(plan)
    latency = [t for t in found if t.kind is MetricKind.LATENCY]
    budgets = [_budget(t, cached) for t in sorted(latency, key=lambda t: t.value)[:3]]
    concurrency = [t for t in found if t.kind is MetricKind.CONCURRENCY]
    population = [t for t in found if t.kind is MetricKind.POPULATION]
    peak = max(concurrency, key=lambda t: t.value) if concurrency else None
    estimate = (
        ThroughputEstimate(
            concurrency=peak, think_time_s=ASSUMED_THINK_TIME_S,
            requests_per_second=round(peak.value / ASSUMED_THINK_TIME_S, 1),
        )
        if peak is not None
        else None
    )
    share = (
        Population(
            population=population[0], concurrency=peak,
            share_percent=round(100 * peak.value / population[0].value, 1),
        )
        if peak is not None and population and population[0].value > 0
        else None
    )
    transfers = [
        TransferEstimate(
            size=t, megabytes=round(t.value / 1_000_000, 1), uplink_mbit_s=ASSUMED_UPLINK_MBIT_S,
            seconds=round(t.value * 8 / (ASSUMED_UPLINK_MBIT_S * 1_000_000), 1),
        )
        for t in found
        if t.kind is MetricKind.SIZE
    ]
    return PerformancePlan(
        targets=found,
        latency_budgets=budgets,
        downtime=[downtime(t) for t in found if t.kind is MetricKind.AVAILABILITY],
        throughput_estimate=estimate,
        population=share,
        transfers=transfers,
        proposals=_proposals(plan, found),
        caching_decisions=caching,
        cached=cached,
        scaling_decisions=_decisions_in(plan, Category.SCALING, Category.DEPLOYMENT),
        performance_decisions=_decisions_in(plan, Category.PERFORMANCE),
    )


_PROPOSED_SERVED_LATENCY = "p95 under 500 ms for reads and under 1 s for writes"
_PROPOSED_COMMAND_LATENCY = "a typical command completes in under 1 s, p95 over 20 runs"
_PROPOSED_EVENT_LATENCY = "events reach connected clients within 2 s, p95"
_PROPOSED_CONCURRENCY = "the peak number of simultaneous users, from the business"


def _proposals(plan: Plan, found: list[Target]) -> list[ProposedTarget]:
    """Targets to agree for the core kinds the spec leaves out."""
    kinds = {t.kind for t in found}
    interfaces = set(plan.contracts.kinds)
    served = bool(interfaces & {InterfaceKind.HTTP, InterfaceKind.EVENTS})
    out: list[ProposedTarget] = []
    if MetricKind.LATENCY not in kinds:
        latency = _PROPOSED_SERVED_LATENCY if served else _PROPOSED_COMMAND_LATENCY
        out.append(ProposedTarget(kind=MetricKind.LATENCY, proposal=latency))
    if served and MetricKind.AVAILABILITY not in kinds:
        hours = round((100 - PROPOSED_AVAILABILITY) / 100 * MINUTES_PER_MONTH / 60, 1)
        out.append(ProposedTarget(
            kind=MetricKind.AVAILABILITY,
            proposal=f"{PROPOSED_AVAILABILITY:g}% monthly (about {hours:g} hours of downtime a month)",
        ))
    if served and MetricKind.CONCURRENCY not in kinds and MetricKind.THROUGHPUT not in kinds:
        out.append(ProposedTarget(kind=MetricKind.CONCURRENCY, proposal=_PROPOSED_CONCURRENCY))
    event_latency = any(t.flow == "event" for t in found if t.kind is MetricKind.LATENCY)
    if InterfaceKind.EVENTS in interfaces and not event_latency:
        out.append(ProposedTarget(kind=MetricKind.LATENCY, subject="event delivery", proposal=_PROPOSED_EVENT_LATENCY))
    return out
