"""The final phase, Polish & Cross-Cutting Concerns (documentation, the spec's figures under
load, edge cases, security, deployment and rollback, monitoring, code review), and the
follow-ups of PROVISIONAL DECISIONS: a review checkpoint before the work that depends on each,
and a task preparing the way off it."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from pydantic import BaseModel

from bot.planning.decisions import TechnicalDecision
from bot.planning.layout import ProjectLayout
from bot.planning.spec import MetricKind, Spec
from bot.planning.tasking.drafts import (
    EFFORT_DAYS,
    MIGRATION_PATH_DAYS,
    Draft,
    PhaseDraft,
    ids_short,
    join_and,
    join_or,
    migration_order,
    quoted,
    unique_drafts,
)
from bot.planning.tasking.rules import (
    CROSS_CUTTING,
    Concern,
    Need,
    concern_of,
    needs_of,
    shorten,
    snake,
    system_name,
    unique,
)
from bot.planning.tasking.stories import StoryTasks
from bot.planning.tasks import POLISH, SETUP

_LOAD_KINDS = frozenset({MetricKind.LATENCY, MetricKind.THROUGHPUT, MetricKind.CONCURRENCY})
_ALERT_KINDS = frozenset({MetricKind.LATENCY, MetricKind.THROUGHPUT, MetricKind.AVAILABILITY, MetricKind.CONCURRENCY})
# A duration a person or process must beat ("in under 3 minutes"), as opposed to a condition ("after 60 s").
_BOUND = re.compile(r"^(?:in |within |for )?(?:under|within|less than|at most|no more than|below|up to)\b", re.I)
_RESILIENCE = re.compile(r"\bfail|\bdown\b|\boutage|\blost\b|\btwice\b|\bunavailab", re.I)


class PolishTasks(StoryTasks):
    """Adds the Polish phase and the follow-ups of PROVISIONAL DECISIONS."""

    def polish(self) -> None:
        layout, spec = self.layout, self.spec
        phase = self._phase(
            POLISH,
            f"Phase {len(self.phases) + 1}: Polish & Cross-Cutting Concerns",
            "Make the feature releasable: documentation, the spec's performance figures proven under load, security "
            "hardening, deployment with a rehearsed rollback, monitoring and alerts, and the decision follow-ups.",
        )
        for req in spec.requirements:
            if self.assignment.get(req.id) is None and not needs_of(req.text) & CROSS_CUTTING:
                needs = needs_of(req.text)
                questions = "; ".join(req.clarifications)
                self._add(
                    phase,
                    f"Implement {req.id} (no user story delivers it): {shorten(req.text, 110)}",
                    "integration" if Need.INTEGRATION in needs else "requirement",
                    path=layout.source_path(layout.services_dir, snake(req.text, 3)),
                    requirements=[req.id],
                    decisions=self._decisions_for(cites=[req.id]),
                    acceptance=(f"Waits for the business to answer \"{shorten(questions, 120)}\"; then a" if questions
                                else "A") + f" test demonstrates {req.id}.",
                )
        contract_files = [f.path for f in self.contracts.files]
        self._add(
            phase,
            "Document the feature: quickstart.md verified step by step"
            + (f", {', '.join(contract_files)} published with the API docs" if contract_files else "")
            + ", configuration and runbook notes for operators",
            "docs",
            effort=EFFORT_DAYS["docs"] + (0.5 if len(contract_files) > 1 else 0),
            path=self.context.feature.path("quickstart.md"),
            acceptance="A new developer follows quickstart.md to a passing test run without help.",
        )
        self._performance(phase)
        for edge in spec.edge_cases:
            self._add(
                phase,
                f"Handle and test the edge case: {shorten(edge, 120)}",
                "edge-case",
                path=layout.test_path("integration", f"edge {snake(edge, 5)}"),
                decisions=self._decisions_quoting(edge),
                acceptance="The behaviour is defined in the spec or decisions and covered by a test.",
            )
        self._security(phase)
        self._deployment(phase)
        self._monitoring(phase)
        for td in self._of_concern(Concern.SCALING, Concern.PERFORMANCE):
            if td.id in self.primary:
                continue
            self._primary(td, self._add(
                phase,
                f"Apply {td.effective.title} ({td.title.lower()}) and confirm it under the load tests",
                "scaling" if self.concern[td.id] is Concern.SCALING else "performance-tuning",
                decisions=[td.id],
                acceptance="The load tests meet their targets with the chosen configuration.",
            ))
        figures = [m.text for m in self.spec.metrics() if m.kind in _ALERT_KINDS]
        phase.checkpoint = (
            f"Release-ready: all {len(spec.requirements)} requirements traced to passing tests"
            + (f", the load tests meet {join_and(figures)}" if figures else "")
            + ", the rollback rehearsed on staging and every alert fired once in a drill."
        )
        labels = [p.label for p in self.context.constitution.principles] if self.context.constitution else []
        self._add(
            phase,
            "Code review against the Definition of Done below"
            + (f": constitution principles {', '.join(labels)}" if labels else "")
            + f"; all {len(spec.requirements)} requirements traced; every decision implemented as chosen",
            "code-review",
            stage=1,
            acceptance="Every checklist item in the Definition of Done is ticked by a reviewer other than the author.",
        )

    def _metric_sources(self) -> list[tuple[str, str, list]]:
        out = [(r.id, r.text, r.metrics) for r in self.spec.requirements if r.metrics]
        out += [(sc.id, sc.text, sc.metrics) for sc in self.spec.success_criteria]
        return out

    def _performance(self, phase: PhaseDraft) -> None:
        """One check per statement with a figure (load test, timed walkthrough, measured rate),
        and an end-to-end check for each success criterion without one. A statement the spec
        repeats word for word (a criterion restating a requirement) is checked once."""
        layout = self.layout
        population = [m.text for m in self.spec.metrics_of(MetricKind.POPULATION)]
        checked: set[str] = set()
        for source, text, metrics in self._metric_sources():
            key = " ".join(text.lower().split()).rstrip(".")
            if key in checked:
                continue
            checked.add(key)
            kinds = {m.kind for m in metrics}
            frs = [source] if source in self.known_frs else []
            cites = self._decisions_for([Concern.CACHE, Concern.SCALING, Concern.PERFORMANCE], cites=[source])
            timed = [m.text for m in metrics if m.kind is MetricKind.DURATION and _BOUND.match(m.text)]
            if kinds & _LOAD_KINDS:
                seeded = f", with data seeded for {', '.join(population)}" if population else ""
                self._add(
                    phase,
                    f"Load test {source}: {quoted(text)}{seeded}",
                    "load-test",
                    effort=EFFORT_DAYS["load-test"] + (0.5 if len(kinds & _LOAD_KINDS) > 1 else 0),
                    path=layout.test_path("performance", source),
                    requirements=frs,
                    decisions=cites,
                    acceptance=f"Meets {join_and([m.text for m in metrics if m.kind in _LOAD_KINDS])} in a production-like environment.",
                )
            elif timed:
                self._add(
                    phase, f"Timed walkthrough for {source}: {quoted(text)}", "timed-check",
                    path=layout.test_path("performance", f"{source} timing"), requirements=frs,
                    acceptance=f"Five test users complete it {join_and(timed)}.",
                )
            elif MetricKind.PERCENTAGE in kinds:
                self._add(
                    phase, f"Measure {source} on a labelled sample: {quoted(text)}", "accuracy-check",
                    path=layout.test_path("performance", f"{source} accuracy"), requirements=frs, decisions=cites,
                    acceptance=f"The measured rate meets {join_and([m.text for m in metrics if m.kind is MetricKind.PERCENTAGE])}.",
                )
            elif MetricKind.DURATION in kinds or (not metrics and source not in self.known_frs):
                self._add(
                    phase, f"Verify {source} end to end: {quoted(text)}",
                    "criterion-check", effort=EFFORT_DAYS["criterion-check"] + (0.5 if _RESILIENCE.search(text) else 0),
                    path=layout.test_path("integration", f"{source} verification"),
                    requirements=frs,
                    decisions=self._decisions_for(cites=[source]),
                    acceptance="A test (with injected failures or conditions where the statement names them) shows it holds.",
                )

    def _security(self, phase: PhaseDraft) -> None:
        layout = self.layout
        items: list[str] = []
        constitution = self.context.constitution
        if constitution is not None:
            for name, text in constitution.sections.items():
                if re.search(r"secur|privacy|compliance", name, re.I):
                    items.append(f"{name}: {shorten(text, 100)}")
        personal = [e.name for e in self.data_model.entities if e.personal_data or any(f.personal_data for f in e.fields)]
        if personal:
            items.append(f"personal data protected in {', '.join(personal)}")
        sizes = [m.text for m in self.spec.metrics_of(MetricKind.SIZE)]
        if sizes:
            items.append(f"upload limits enforced ({', '.join(sizes)})")
        items.append("dependency and container image scanning in CI")
        self._add(
            phase,
            f"Security hardening: {'; '.join(items)}",
            "security-hardening",
            effort=EFFORT_DAYS["security-hardening"] + (0.5 if personal else 0),
            decisions=self._decisions_for([Concern.SECURITY, Concern.AUTH]),
            acceptance="security-plan.md's checklist passes; no high finding open.",
        )
        operations = len(self.contracts.operations)
        self._add(
            phase,
            "Security tests: "
            + (f"authentication and object-level authorization on all {operations} operations, " if operations else "")
            + "input validation and injection probes, secrets absent from logs",
            "security-tests",
            path=layout.test_path("security", "access control"),
            depends=[self.auth_task],
            acceptance="Each operation has a denied-access test; the scans report no high finding.",
        )

    def _deployment(self, phase: PhaseDraft) -> None:
        deploy = self._of_concern(Concern.DEPLOYMENT)
        tables = [e.table for e in reversed(migration_order(self.data_model.entities))]
        self._add(
            phase,
            "Write and rehearse the deployment and rollback procedure"
            + (f" for {deploy[0].effective.title}" if deploy else "")
            + ": feature flag off by default, staged rollout, smoke test of the MVP"
            + (f", down-migrations in reverse order ({', '.join(tables)})" if tables else ""),
            "deployment",
            decisions=[td.id for td in deploy],
            acceptance="A rollback rehearsed on staging restores the previous release and schema without data loss.",
        )

    def _monitoring(self, phase: PhaseDraft) -> None:
        alerts = [f"{a.signal} ({a.threshold}, {a.source})" for a in monitoring_signals(self.spec, self.decisions, self.layout)]
        self._add(
            phase,
            "Set up monitoring and alerting: dashboards and alerts for " + "; ".join(alerts),
            "monitoring",
            effort=EFFORT_DAYS["monitoring"] + 0.25 * (max(0, len(alerts) - 4) // 2),
            decisions=self._decisions_for([Concern.OBSERVABILITY]),
            acceptance="Each alert fires in a drill on staging and links to its runbook entry.",
        )

    def provisional_follow_ups(self) -> None:
        """A review checkpoint before the first task that depends on each PROVISIONAL DECISION,
        and a task in Polish preparing the way off it should it change."""
        polish = next(p for p in self.phases if p.key == POLISH)
        for td in self.decisions:
            if not td.provisional:
                continue
            dependents = [d for p in self.phases for d in p.tasks if td.id in d.decisions]
            if not dependents:
                dependents = [self._primary(td, self._add(
                    next(p for p in self.phases if p.key == SETUP),
                    f"Put {td.effective.title} in place for {td.title.lower()}",
                    "decision-setup", decisions=[td.id],
                    acceptance=f"The code follows Option {td.effective.key} of {td.id}.",
                ))]
            first = dependents[0]
            phase = next(p for p in self.phases if p.key == first.phase)
            review = Draft(
                description="",
                phase=phase.key,
                stage=first.stage,
                effort=EFFORT_DAYS["review-checkpoint"],
                story=phase.story,
                decisions=[td.id],
                acceptance=f"Confirmed, or replaced by a recorded decision before the work starts; review trigger: "
                f"{td.review_trigger}",
            )
            review.finish = review_text(td, first)
            phase.tasks.insert(phase.tasks.index(first), review)
            for dependent in dependents:
                dependent.depends = unique_drafts([review, *dependent.depends])
            option = td.effective
            migration = self._add(
                polish,
                "",
                "migration-path",
                effort=MIGRATION_PATH_DAYS[option.reversibility],
                decisions=[td.id],
                depends=[review],
                acceptance="The switch is written down step by step, with the tasks it would redo and a rollback.",
            )
            migration.finish = migration_text(td, dependents, self.layout)

    def coverage_guarantee(self) -> None:
        """No requirement without a task: anything left over gets an explicit Polish task."""
        covered = {fr for p in self.phases for d in p.tasks for fr in d.requirements}
        polish = next(p for p in self.phases if p.key == POLISH)
        for req in self.spec.requirements:
            if req.id not in covered:
                self._add(
                    polish, f"Implement {req.id}: {shorten(req.text, 110)}", "requirement",
                    path=self.layout.source_path(self.layout.services_dir, snake(req.text, 3)),
                    requirements=[req.id], acceptance=f"A test demonstrates {req.id}.",
                )

    def decisions_guarantee(self) -> None:
        """Every decision is put in place by some task."""
        setup = next(p for p in self.phases if p.key == SETUP)
        referenced = {td for p in self.phases for d in p.tasks for td in d.decisions}
        for td in self.decisions:
            if td.id not in referenced:
                self._primary(td, self._add(
                    setup,
                    f"Put {td.effective.title} in place for {td.title.lower()}: {shorten(td.impact_on_implementation, 90)}",
                    "decision-setup", decisions=[td.id],
                    acceptance=f"The code follows Option {td.effective.key} of {td.id}.",
                ))


def review_text(td: TechnicalDecision, first: Draft) -> Callable[[], str]:
    def text() -> str:
        option = td.effective
        return (
            f"Review PROVISIONAL DECISION {td.id} ({td.title}: Option {option.key}, {option.title}) with "
            f"stakeholders before {first.id} ({shorten(first.description, 70)}) and the work that depends on it"
        )

    return text


def migration_text(td: TechnicalDecision, dependents: list[Draft], layout: ProjectLayout) -> Callable[[], str]:
    def text() -> str:
        option = td.effective
        others = [f"Option {o.key} ({o.title})" for o in td.options if o.key != option.key]
        code = tuple(p for p in (layout.source_root, layout.frontend_dir) if p)
        paths = unique(d.path for d in dependents if d.path and d.path.startswith(code))[:3]
        concern = concern_of(td)
        if paths:
            seam = f"keep it behind one interface in {', '.join(paths)}"
        elif concern is Concern.DEPLOYMENT:
            seam = "keep everything specific to the platform in the deployment configuration"
        elif concern in (Concern.SCALING, Concern.PERFORMANCE):
            seam = "keep the service stateless and its sizing in configuration"
        else:
            seam = "keep the code that relies on it in one module"
        return (
            f"Prepare migration path off Option {option.key} ({option.title}) should {td.id} change: {seam}; "
            f"write down what switching to {join_or(others) or 'another option'} redoes ({ids_short(dependents)}); "
            f"reversibility {option.reversibility.value}"
        )

    return text


class Signal(BaseModel):
    """Something monitoring watches and alerts on, with the threshold that makes it page someone."""

    signal: str  # "p95 latency", "availability", "failed background jobs"
    threshold: str  # the figure as the spec writes it, or the condition
    source: str  # "SC-002", "TD003", "FR-007"


_SIGNAL_NAMES: dict[MetricKind, str] = {
    MetricKind.LATENCY: "latency",
    MetricKind.THROUGHPUT: "throughput",
    MetricKind.AVAILABILITY: "availability",
    MetricKind.CONCURRENCY: "concurrent load",
}


def monitoring_signals(spec: Spec, decisions: Sequence[TechnicalDecision], layout: ProjectLayout) -> list[Signal]:
    """What to alert on: every performance and availability figure the spec states, the
    background work and realtime channel the decisions chose, and each external system the
    requirements call."""
    out: list[Signal] = []
    sources = [(r.id, r.metrics) for r in spec.requirements] + [(sc.id, sc.metrics) for sc in spec.success_criteria]
    seen: set[tuple[str, str]] = set()
    for source, metrics in sources:
        for m in metrics:
            if m.kind in _SIGNAL_NAMES:
                name = _SIGNAL_NAMES[m.kind]
                if m.kind is MetricKind.LATENCY and m.percentile:
                    name = f"p{m.percentile:g} {name}"
                if (name, m.text) not in seen:  # a criterion restating a requirement is one alert
                    seen.add((name, m.text))
                    out.append(Signal(signal=name, threshold=m.text, source=m.source or source))
    concerns = {td.id: concern_of(td) for td in decisions}
    jobs = [td.id for td in decisions if concerns[td.id] is Concern.JOBS]
    if jobs or layout.jobs_dir:
        out.append(Signal(signal="failed and stuck background jobs", threshold="any job parked after its last retry",
                          source=", ".join(jobs) or "project layout"))
    realtime = [td.id for td in decisions if concerns[td.id] is Concern.REALTIME]
    if realtime:
        out.append(Signal(signal="open realtime connections and delivery lag",
                          threshold="lag above the freshness the spec promises", source=", ".join(realtime)))
    for req in spec.requirements:
        if Need.INTEGRATION in needs_of(req.text):
            out.append(Signal(signal=f"{system_name(req.text)} error rate and latency",
                              threshold="errors above the retry budget", source=req.id))
    if not out:
        out.append(Signal(signal="error rate, latency and saturation", threshold="baseline from the first week",
                          source="no figure in the spec"))
    return out

