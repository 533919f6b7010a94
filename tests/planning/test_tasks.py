"""build_tasks: spec-kit phases in priority order, every requirement traced, tests first when the
constitution says so, provisional decisions reviewed and given a way back."""

from __future__ import annotations

import re

import pytest
from tasks_plan_factory import context, contracts, data_model, decisions, spec, task_plan

from bot.planning.contracts import Contracts
from bot.planning.datamodel import DataModel
from bot.planning.decisions import DecisionStatus
from bot.planning.spec import AcceptanceScenario, Metric, MetricKind, Requirement, Spec, SuccessCriterion, UserStory
from bot.planning.stack import Stack
from bot.planning.tasking.rules import requirement_stories
from bot.planning.tasks import FOUNDATIONAL, MVP_MARK, POLISH, SETUP, TaskPlan


def _phase_keys(plan: TaskPlan) -> list[str]:
    return [p.key for p in plan.phases]


def _is_test(path: str | None) -> bool:
    return bool(path) and path.startswith("tests/")


def test_every_functional_requirement_is_traced_to_a_task() -> None:
    plan, _ = task_plan()
    coverage = plan.coverage()
    for req in spec().requirements:
        assert coverage.get(req.id), f"{req.id} has no task"


def test_requirements_no_story_delivers_get_an_explicit_task_outside_the_stories() -> None:
    plan, _ = task_plan()
    by_id = {t.id: t for t in plan.tasks()}
    for fr, home in (("FR-006", FOUNDATIONAL), ("FR-008", FOUNDATIONAL), ("FR-007", POLISH)):
        tasks = [by_id[i] for i in plan.coverage()[fr]]
        assert {t.phase for t in tasks} == {home}, fr
        assert all(t.story is None for t in tasks)
    erase = by_id[plan.coverage()["FR-007"][0]]
    assert "FR-007" in erase.description
    assert "which payment fields are kept?" in erase.acceptance  # the open question blocks it


def test_requirements_follow_the_operations_and_the_words_of_their_story() -> None:
    assignment = requirement_stories(spec(), contracts(), decisions())
    assert assignment["FR-001"] == "US1"  # an operation of US1 serves it
    assert assignment["FR-003"] == "US2"
    assert assignment["FR-004"] == "US3"  # by its words: catalogue, publisher, nightly
    assert assignment["FR-005"] == "US4"
    assert assignment["FR-006"] is None  # authentication is cross-cutting
    assert assignment["FR-007"] is None  # erasure spans every story


def test_phases_run_setup_foundational_stories_by_priority_then_polish() -> None:
    plan, _ = task_plan()
    assert _phase_keys(plan) == [SETUP, FOUNDATIONAL, "us1", "us2", "us3", "us4", POLISH]
    titles = [p.title for p in plan.phases]
    assert titles[0].startswith("Phase 1: Setup")
    assert titles[2] == f"Phase 3: User Story 1 - Borrow an item (Priority: P1) {MVP_MARK}"
    assert titles[3] == "Phase 4: User Story 2 - Return and fines (Priority: P1)"  # only the first P1 is the MVP
    assert titles[-1].startswith("Phase 7: Polish")
    assert [p.priority for p in plan.phases] == [None, None, 1, 1, 2, 3, None]


def test_a_later_story_with_a_higher_priority_comes_first_and_ties_keep_spec_order() -> None:
    base = spec()
    shuffled = base.model_copy(update={"stories": [
        base.stories[2].model_copy(update={"priority": 2}),  # US3, P2
        base.stories[3].model_copy(update={"priority": 1}),  # US4, P1
        base.stories[0].model_copy(update={"priority": 1}),  # US1, P1
        base.stories[1].model_copy(update={"priority": 3}),  # US2, P3
    ]})
    plan, _ = task_plan(context(the_spec=shuffled))
    assert _phase_keys(plan)[2:6] == ["us4", "us1", "us3", "us2"]
    assert MVP_MARK in plan.phases[2].title and "User Story 4" in plan.phases[2].title
    assert all(MVP_MARK not in p.title for p in plan.phases[3:])


def test_tests_come_first_in_every_story_when_the_constitution_demands_it() -> None:
    plan, _ = task_plan(context(test_first=True))
    for phase in plan.phases[2:-1]:
        kinds = [_is_test(t.path) for t in phase.tasks]
        assert kinds[0], phase.key
        first_impl = kinds.index(False)
        assert not any(kinds[first_impl:]), f"{phase.key}: a test after implementation"
        tests = {t.id for t in phase.tasks if _is_test(t.path)}
        for task in phase.tasks:
            if task.path and ("/models/" in task.path or "/services/" in task.path):
                assert tests & set(task.depends_on), f"{task.id} does not wait for the story's tests"


def test_without_test_first_the_tests_follow_and_verify_the_implementation() -> None:
    plan, _ = task_plan(context(test_first=False))
    story = plan.phase("us1")
    assert story is not None
    kinds = [_is_test(t.path) for t in story.tasks]
    assert not kinds[0]
    assert all(kinds[kinds.index(True):])
    implementation = {t.id for t in story.tasks if not _is_test(t.path)}
    for test in (t for t in story.tasks if _is_test(t.path)):
        assert implementation <= set(test.depends_on)


def test_contract_test_per_operation_and_integration_test_per_scenario() -> None:
    plan, _ = task_plan()
    us1 = plan.phase("us1")
    assert us1 is not None
    contract = [t for t in us1.tasks if t.path and "/contract/" in t.path]
    integration = [t for t in us1.tasks if t.path and "/integration/" in t.path]
    assert len(contract) == 2  # createLoan, listLoans
    assert len(integration) == len(spec().stories[0].scenarios)
    assert len({t.path for t in integration}) == len(integration)


def test_task_ids_are_sequential_and_dependencies_point_backwards() -> None:
    plan, _ = task_plan()
    ids = [t.id for t in plan.tasks()]
    assert ids == [f"T{n:03d}" for n in range(1, len(ids) + 1)]
    position = {task_id: i for i, task_id in enumerate(ids)}
    for task in plan.tasks():
        assert all(position[d] < position[task.id] for d in task.depends_on), task.id


def test_story_labels_only_on_story_phases() -> None:
    plan, _ = task_plan()
    for phase in plan.phases:
        for task in phase.tasks:
            assert task.story == phase.story
            assert task.phase == phase.key
    assert all(t.story is None for p in plan.phases if p.key in (SETUP, FOUNDATIONAL, POLISH) for t in p.tasks)


def test_parallel_tasks_never_share_a_file_with_another_parallel_task_of_their_phase() -> None:
    plan, _ = task_plan()
    for phase in plan.phases:
        paths = [t.path for t in phase.tasks if t.parallel and t.path]
        assert len(paths) == len(set(paths)), phase.key
    assert any(t.parallel for t in plan.tasks())
    same_file = [t for t in plan.phase("us1").tasks if t.path and t.path.endswith("api/loan.py")]
    assert len(same_file) == 2 and not any(t.parallel for t in same_file)


def test_every_task_has_an_estimate_acceptance_and_the_total_adds_up() -> None:
    plan, _ = task_plan()
    assert all(t.effort_days > 0 for t in plan.tasks())
    assert all(t.acceptance for t in plan.tasks())
    assert plan.effort_days == pytest.approx(sum(t.effort_days for t in plan.tasks()))


def test_estimates_scale_with_the_work() -> None:
    plan, _ = task_plan()
    tasks = plan.tasks()
    integration = next(t for t in tasks if t.description.startswith("Integrate with the catalogue system"))
    model = next(t for t in tasks if t.description.startswith("Create the Item model"))
    machine = next(t for t in tasks if t.description.startswith("Create the Loan model"))
    realtime = next(t for t in tasks if t.description.startswith("Build the realtime channel"))
    assert integration.effort_days == 3  # nightly and external: the hard kind of integration
    assert model.effort_days == 0.5
    assert machine.effort_days > model.effort_days  # it carries a state machine
    assert realtime.effort_days == 2


def test_every_decision_is_put_in_place_by_some_task() -> None:
    plan, _ = task_plan()
    named = {td for t in plan.tasks() for td in t.decisions}
    assert {td.id for td in decisions()} <= named


def test_provisional_decision_gets_a_review_before_its_work_and_a_migration_task_in_polish() -> None:
    plan, _ = task_plan()
    tasks = plan.tasks()
    dependents = [t for t in tasks if "TD001" in t.decisions and not t.description.startswith(("Review", "Prepare"))]
    review = next(t for t in tasks if t.description.startswith("Review PROVISIONAL DECISION TD001"))
    assert tasks.index(review) < tasks.index(dependents[0])
    assert all(review.id in t.depends_on for t in dependents)
    assert "with stakeholders before" in review.description and dependents[0].id in review.description
    migration = next(t for t in tasks if t.description.startswith("Prepare migration path off Option A"))
    assert migration.phase == POLISH
    assert "Server-Sent Events" in migration.description and "TD001" in migration.description
    assert "Option B (WebSockets)" in migration.description
    assert "reversibility Easy" in migration.description
    assert migration.effort_days == 0.5  # an easily reversed option is cheap to plan a way off


def test_decided_decisions_get_no_review_or_migration_task() -> None:
    plan, _ = task_plan(tds=decisions(realtime_provisional=False))
    assert not [t for t in plan.tasks() if t.description.startswith(("Review PROVISIONAL", "Prepare migration path"))]
    assert all(td.status is DecisionStatus.DECIDED for td in decisions(realtime_provisional=False))


def test_foundational_holds_one_migration_per_entity_in_foreign_key_order() -> None:
    plan, layout = task_plan()
    foundational = plan.phase(FOUNDATIONAL)
    assert foundational is not None
    migrations = [t for t in foundational.tasks if t.path and t.path.startswith(layout.migrations_dir)]
    tables = [re.search(r"create_(\w+)\.py$", t.path).group(1) for t in migrations]
    assert sorted(tables) == sorted(e.table for e in data_model().entities)
    assert tables.index("members") < tables.index("loans") < tables.index("fines")
    loans = migrations[tables.index("loans")]
    assert {migrations[tables.index("members")].id, migrations[tables.index("items")].id} <= set(loans.depends_on)


def test_foundational_covers_auth_errors_observability_and_chosen_infrastructure() -> None:
    plan, _ = task_plan()
    text = " ".join(t.description for t in plan.phase(FOUNDATIONAL).tasks)
    assert "authentication" in text and "OIDC" in text
    assert "error handling" in text and "statuses 401, 403, 409, 422" in text
    assert "Constitution III. Observability" in text
    assert "realtime channel on Server-Sent Events" in text
    assert "Job table in the primary database" in text


def test_polish_quotes_the_spec_figures_and_covers_release_work() -> None:
    plan, _ = task_plan()
    polish = plan.phase(POLISH)
    assert polish is not None
    text = " ".join(t.description for t in polish.tasks)
    assert '"95% of page loads complete in under 400 ms at 1,500 concurrent members"' in text
    assert "No fine is charged twice" in text
    for edge in spec().edge_cases:
        assert edge.rstrip(".") in text
    for topic in ("Document the feature", "Security hardening", "deployment and rollback procedure",
                  "monitoring and alerting", "Code review"):
        assert topic in text
    assert "99.5%" in text  # the availability target reaches the alerts


def test_spec_without_stories_gets_one_core_phase_that_delivers_every_requirement() -> None:
    bare = Spec(
        title="Faster exports",
        format="free-form",
        summary="Exports should be quicker.",
        requirements=[
            Requirement(id="FR-001", text="Exports of up to a million rows MUST finish quickly."),
            Requirement(id="FR-002", text="Users MUST log in before exporting."),
        ],
    )
    plan, _ = task_plan(context(the_spec=bare), tds=[], model=DataModel(), interfaces=Contracts())
    assert _phase_keys(plan) == [SETUP, FOUNDATIONAL, "core", POLISH]
    assert MVP_MARK in plan.phase("core").title
    coverage = plan.coverage()
    assert {"FR-001", "FR-002"} <= set(coverage)
    assert plan.task(coverage["FR-002"][0]).phase == FOUNDATIONAL


def test_a_requirement_nothing_matches_is_still_covered() -> None:
    odd = spec().model_copy(update={"requirements": [
        *spec().requirements,
        Requirement(id="FR-099", text="Quarterly figures MUST reach the board."),
    ]})
    plan, _ = task_plan(context(the_spec=odd))
    tasks = [plan.task(i) for i in plan.coverage()["FR-099"]]
    assert tasks and all(t.phase == POLISH for t in tasks)
    assert "FR-099" in tasks[0].description


def test_story_without_scenarios_is_tested_through_its_independent_test() -> None:
    story = UserStory(id="US1", title="Export", priority=1, description="Finance exports reports.",
                      independent_test="Run an export and receive the file.")
    plain = Spec(title="Exports", format="spec-kit", stories=[story],
                 requirements=[Requirement(id="FR-001", text="Finance MUST export reports as a file.")])
    plan, _ = task_plan(context(the_spec=plain), tds=[], model=DataModel(), interfaces=Contracts())
    us1 = plan.phase("us1")
    assert us1 is not None and us1.checkpoint == "Run an export and receive the file"
    tests = [t for t in us1.tasks if _is_test(t.path)]
    assert len(tests) == 1 and "Run an export and receive the file" in tests[0].description
    assert plan.coverage()["FR-001"]


def test_scenario_with_several_outcomes_costs_more_to_test() -> None:
    scenario = AcceptanceScenario(given="x", when="y", then="a happens and b happens", text="Given x, When y, Then a and b")
    single = AcceptanceScenario(given="x", when="z", then="a happens", text="Given x, When z, Then a")
    story = UserStory(id="US1", title="Thing", priority=1, scenarios=[scenario, single])
    plain = Spec(title="Things", format="spec-kit", stories=[story])
    plan, _ = task_plan(context(the_spec=plain), tds=[], model=DataModel(), interfaces=Contracts())
    efforts = [t.effort_days for t in plan.phase("us1").tasks if _is_test(t.path)]
    assert efforts == [0.75, 0.5]


def test_a_criterion_restating_a_requirement_is_load_tested_once() -> None:
    figure = Metric(kind=MetricKind.LATENCY, value=2000, unit="ms", text="within 2 s")
    text = "New entries appear on every open screen within 2 s."
    restated = Spec(
        title="Live entries",
        format="free-form",
        requirements=[Requirement(id="FR-001", text=text, metrics=[figure.model_copy(update={"source": "FR-001"})])],
        success_criteria=[SuccessCriterion(id="SC-001", text=text, metrics=[figure.model_copy(update={"source": "SC-001"})])],
    )
    plan, _ = task_plan(context(the_spec=restated), tds=[], model=DataModel(), interfaces=Contracts())
    load = [t for t in plan.tasks() if t.description.startswith("Load test")]
    assert [t.description.split(":")[0] for t in load] == ["Load test FR-001"]
    assert "FR-001" in load[0].requirements


def test_a_duration_that_is_a_condition_is_verified_not_timed() -> None:
    condition = Requirement(
        id="FR-001", text="Must keep working where proxies cut idle connections after 60 s.",
        metrics=[Metric(kind=MetricKind.DURATION, value=60000, unit="ms", text="after 60 s", source="FR-001")],
    )
    bound = SuccessCriterion(
        id="SC-001", text="A member borrows an item in under 2 minutes.",
        metrics=[Metric(kind=MetricKind.DURATION, value=120000, unit="ms", text="in under 2 minutes", source="SC-001")],
    )
    both = Spec(title="Timing", format="spec-kit", requirements=[condition], success_criteria=[bound])
    plan, _ = task_plan(context(the_spec=both), tds=[], model=DataModel(), interfaces=Contracts())
    descriptions = [t.description for t in plan.phase(POLISH).tasks]
    assert any(d.startswith("Verify FR-001 end to end") for d in descriptions)
    assert any(d.startswith("Timed walkthrough for SC-001") for d in descriptions)
    assert not any(d.startswith("Timed walkthrough for FR-001") for d in descriptions)


def test_an_undecided_language_is_chosen_before_the_structure_is_created() -> None:
    plan, _ = task_plan(context(stack=Stack(), with_constitution=False))
    setup = plan.phase(SETUP).tasks
    choose, scaffold = setup[0], setup[1]
    assert choose.description.startswith("Choose the implementation language and framework")
    assert scaffold.description.startswith("Create the project structure")
    assert choose.id in scaffold.depends_on
    assert not any("To be decided" in t.description for t in plan.tasks())
