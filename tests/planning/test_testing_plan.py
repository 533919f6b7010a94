"""The testing strategy's values."""

from __future__ import annotations

from artifact_plan_factory import cli_plan, web_plan

from bot.planning.content.integrations import external_systems
from bot.planning.content.technologies import technologies_in_force
from bot.planning.content.testing_plan import PROPOSED_COVERAGE, plan_testing
from bot.planning.content.threat_model import threat_model
from bot.planning.content.toolchain import toolchain


def strategy_of(plan):
    found = technologies_in_force(plan)
    return plan_testing(plan, toolchain(plan), found, external_systems(plan), threat_model(plan, found))


def test_scenarios_and_journeys_follow_the_stories():
    strategy = strategy_of(web_plan())
    assert [s.id for s in strategy.scenarios] == ["US1-AS1", "US1-AS2", "US2-AS1"]
    assert [j.story.id for j in strategy.journeys] == ["US1", "US2", "US3"]
    assert strategy.journeys[1].events == ["signup.created"]  # US2 speaks of signups appearing live
    assert strategy.journeys[0].events == []
    assert [s.id for s in strategy.stories_without_scenarios] == ["US3"]


def test_constitution_rules_drive_discipline_and_coverage():
    plan = web_plan()
    strategy = strategy_of(plan)
    assert strategy.test_first == "Constitution III. Test-first"
    assert strategy.contract_tests_rule == "Constitution III. Test-first"
    assert strategy.coverage.percent == PROPOSED_COVERAGE and strategy.coverage.source is None
    plan.context.constitution.sections["Quality"] = "Keep 90% line coverage on domain code."
    coverage = strategy_of(plan).coverage
    assert (coverage.percent, coverage.source) == (90, "Constitution: Quality")


def test_fixtures_and_unit_focus_per_entity():
    strategy = strategy_of(web_plan())
    fixtures = {f.entity: f for f in strategy.fixtures}
    assert fixtures["Volunteer"].factory == "make_volunteer"
    assert fixtures["Volunteer"].personal_fields == ["full_name", "email", "phone"]
    assert fixtures["Signup"].states == ["Requested", "Confirmed", "Cancelled"]
    assert fixtures["Shift"].money_fields == ["stipend"]
    focus = {f.entity: f for f in strategy.unit_focus}
    assert focus["Signup"].transitions == 2 and focus["Volunteer"].rules == ["email: valid email address"]


def test_ci_stages_fit_the_plan():
    web = [s.name for s in strategy_of(web_plan()).stages]
    assert web[:2] == ["Lint and static checks", "Unit tests with coverage"]
    assert "Integration tests with real services" in web and "Dynamic security scan" in web
    cli = strategy_of(cli_plan())
    names = [s.name for s in cli.stages]
    assert "Integration tests on real files" in names and "Dynamic security scan" not in names
    assert cli.e2e_tool == "go test" and cli.fixtures[0].factory == "makeRule"
