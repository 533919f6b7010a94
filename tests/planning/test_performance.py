"""Performance targets and budgets derived from the spec's figures."""

from __future__ import annotations

import pytest
from artifact_plan_factory import cli_plan, web_plan

from bot.planning.contracts import InterfaceKind
from bot.planning.content.performance import Target, downtime, performance_plan, targets
from bot.planning.spec import Metric, MetricKind


def _availability(percent: float) -> Target:
    return Target(kind=MetricKind.AVAILABILITY, figure=f"{percent}%", value=percent, unit="%", source="SC-9",
                  statement=f"Availability of {percent}%.")


@pytest.mark.parametrize(
    ("percent", "per_month", "per_year_hours"),
    [(99.9, 43.8, 8.77), (99.99, 4.4, 0.88), (99.5, 219.1, 43.83), (100.0, 0.0, 0.0)],
)
def test_downtime_budget(percent, per_month, per_year_hours):
    budget = downtime(_availability(percent))
    assert budget.minutes_per_month == pytest.approx(per_month, abs=0.1)
    assert budget.hours_per_year == pytest.approx(per_year_hours, abs=0.01)


def test_targets_keep_the_spec_figures_and_assume_p95_only_when_unstated():
    found = {t.source + t.kind.value: t for t in targets(web_plan())}
    page = found["SC-001latency"]
    assert (page.value, page.percentile, page.percentile_assumed, page.flow) == (400, 95, False, "request")
    event = found["SC-002latency"]
    assert (event.percentile, event.percentile_assumed, event.flow) == (95, True, "event")
    assert found["FR-002size"].figure == "10 MB each"


def test_duplicate_figures_are_listed_once():
    plan = web_plan()
    criterion = plan.context.spec.success_criteria[0]
    criterion.metrics.append(criterion.metrics[0].model_copy())
    assert len([t for t in targets(plan) if t.source == "SC-001" and t.kind is MetricKind.LATENCY]) == 1


def test_latency_budget_slices_add_up_to_the_target():
    pp = performance_plan(web_plan())
    for budget in pp.latency_budgets:
        assert sum(s.share for s in budget.slices) == 100
        assert sum(s.ms for s in budget.slices) == pytest.approx(budget.target.value, abs=len(budget.slices))
    request = next(b for b in pp.latency_budgets if b.flow == "request")
    assert any(s.tier == "Cache lookup" for s in request.slices)  # a caching decision is in force


def test_request_budget_without_cache_has_no_cache_tier():
    plan = web_plan()
    plan.analysis.decisions = [td for td in plan.analysis.decisions if "cach" not in td.title.lower()]
    for entity in plan.data_model.entities:
        entity.caching = ""
    request = next(b for b in performance_plan(plan).latency_budgets if b.flow == "request")
    assert not any("Cache" in s.tier for s in request.slices)


def test_command_flow_for_a_cli():
    pp = performance_plan(cli_plan())
    assert [b.flow for b in pp.latency_budgets] == ["command"]
    assert pp.downtime == [] and pp.throughput_estimate is None and pp.proposals == []


def test_derived_load_states_its_assumptions():
    pp = performance_plan(web_plan())
    assert pp.throughput_estimate is not None
    assert pp.throughput_estimate.think_time_s == 10
    assert pp.throughput_estimate.requests_per_second == 150
    assert pp.population is not None and pp.population.share_percent == 6.0
    assert pp.transfers[0].seconds == 8.0
    assert pp.peak_connections == 1500


def test_no_figures_gives_questions_not_targets():
    plan = web_plan()
    for requirement in plan.context.spec.requirements:
        requirement.metrics = []
    for criterion in plan.context.spec.success_criteria:
        criterion.metrics = []
    pp = performance_plan(plan)
    assert not pp.has_core_figures
    kinds = [(p.kind, p.subject) for p in pp.proposals]
    assert (MetricKind.LATENCY, "") in kinds
    assert (MetricKind.AVAILABILITY, "") in kinds
    assert (MetricKind.LATENCY, "event delivery") in kinds
    availability = next(p for p in pp.proposals if p.kind is MetricKind.AVAILABILITY)
    assert "3.7 hours" in availability.proposal


def test_cli_without_figures_gets_a_command_proposal_only():
    plan = cli_plan()
    plan.context.spec.requirements[1].metrics = []
    proposals = performance_plan(plan).proposals
    assert len(proposals) == 1 and "command" in proposals[0].proposal


def test_event_flow_needs_an_event_interface():
    plan = web_plan()
    plan.contracts.kinds = [InterfaceKind.HTTP]
    assert {t.flow for t in targets(plan) if t.kind is MetricKind.LATENCY} == {"request"}


def test_metric_without_source_is_kept():
    plan = cli_plan()
    plan.context.spec.requirements[0].metrics = [Metric(kind=MetricKind.THROUGHPUT, value=50, unit="/s", text="50 files per second")]
    pp = performance_plan(plan)
    assert [t.source for t in pp.rates] == ["spec"]
