"""tasks.md: ids, estimates, requirement and story traceability, PROVISIONAL follow-ups."""

from __future__ import annotations


def test_requirement_without_a_task_is_reported_at_its_spec_line(plan):
    plan.replace("tasks.md", "(FR-001, FR-002; TD001)", "(FR-002; TD001)")
    plan.replace("tasks.md", "List and item endpoints (FR-001, FR-002)", "List and item endpoints (FR-002)")
    line = plan.line_of("spec.md", "**FR-001**")
    found = [f for f in plan.validate() if f.code == "fr-uncovered"]
    assert [(f.path, f.line) for f in found] == [(plan.path("spec.md"), line)]
    assert found[0].format().startswith(f"{plan.path('spec.md')}:{line}: FR-001")


def test_requirement_mentioned_outside_task_lines_is_still_uncovered(plan):
    plan.replace("tasks.md", "(FR-004; TD002)", "(TD002)")
    plan.replace("tasks.md", "## Phase 4: Polish", "## Phase 4: Polish (FR-004 is verified here)")
    assert plan.found("fr-uncovered") == [(plan.path("spec.md"), plan.line_of("spec.md", "**FR-004**"))]


def test_spec_requirement_forms_are_all_read(plan):
    plan.replace("spec.md", "- **FR-003**: System MUST", "**FR-003:** System MUST")
    plan.replace("spec.md", "- **FR-004**: System MUST", "FR-004: System MUST")
    plan.replace("tasks.md", "(FR-004; TD002)", "(TD002)")
    assert plan.found("fr-uncovered") == [(plan.path("spec.md"), plan.line_of("spec.md", "FR-004:"))]
    assert plan.found("fr-unknown") == []


def test_task_naming_an_unknown_requirement_is_an_error(plan):
    plan.replace("tasks.md", "(FR-003; TD003)", "(FR-003, FR-099; TD003)")
    line = plan.line_of("tasks.md", "FR-099")
    assert plan.found("fr-unknown") == [(plan.path("tasks.md"), line)]


def test_duplicate_task_id_is_an_error(plan):
    plan.replace("tasks.md", "- [ ] T005 [US2]", "- [ ] T004 [US2]")
    line = plan.line_of("tasks.md", "Change feed endpoint")
    assert plan.found("task-duplicate") == [(plan.path("tasks.md"), line)]


def test_task_ids_out_of_sequence_are_an_error(plan):
    plan.replace("tasks.md", "- [ ] T007 Plan the migration", "- [ ] T009 Plan the migration")
    line = plan.line_of("tasks.md", "T009")
    assert plan.found("task-sequence") == [(plan.path("tasks.md"), line)]


def test_done_tasks_count_as_tasks(plan):
    plan.replace("tasks.md", "- [ ] T001 Create", "- [x] T001 Create")
    assert plan.validate() == []


def test_task_without_estimate_is_an_error(plan):
    plan.replace("tasks.md", "List and item endpoints (FR-001, FR-002) — est. 1.5d", "List and item endpoints (FR-001, FR-002)")
    line = plan.line_of("tasks.md", "List and item endpoints")
    assert plan.found("task-estimate") == [(plan.path("tasks.md"), line)]


def test_story_label_without_story_is_an_error(plan):
    plan.replace("tasks.md", "- [ ] T004 [US2]", "- [ ] T004 [US3]")
    line = plan.line_of("tasks.md", "[US3]")
    assert plan.found("story-unknown") == [(plan.path("tasks.md"), line)]


def test_story_without_tasks_is_a_warning(plan):
    text = plan.text("tasks.md").replace("[US2] ", "")
    plan.write("tasks.md", text)
    found = [f for f in plan.validate() if f.code == "story-uncovered"]
    assert [(f.path, f.line, f.severity) for f in found] == [
        (plan.path("spec.md"), plan.line_of("spec.md", "### User Story 2"), "warning")
    ]


def test_missing_review_checkpoint_for_provisional_decision(plan):
    plan.replace("tasks.md", "- [ ] T006 Review checkpoint for PROVISIONAL DECISION TD002 against its review trigger",
                 "- [ ] T006 Tune PROVISIONAL DECISION TD002 polling interval")
    found = [f for f in plan.validate() if f.code == "provisional-review-missing"]
    assert [(f.path, f.line) for f in found] == [(plan.path("tasks.md"), 1)]
    assert "TD002" in found[0].message


def test_missing_migration_task_for_provisional_decision(plan):
    plan.replace("tasks.md", "- [ ] T007 Plan the migration from polling to Server-Sent Events should TD002 change — est. 0.5d\n", "")
    assert plan.found("provisional-migration-missing") == [(plan.path("tasks.md"), 1)]
    assert plan.found("provisional-review-missing") == []


def test_review_task_must_name_the_decision(plan):
    plan.replace("tasks.md", "Review checkpoint for PROVISIONAL DECISION TD002 against", "Review checkpoint for the provisional decision against")
    assert plan.found("provisional-review-missing") == [(plan.path("tasks.md"), 1)]


def test_tasks_file_without_tasks_is_an_error(plan):
    text = "\n".join(line for line in plan.text("tasks.md").splitlines() if not line.startswith("- [ ]")) + "\n"
    plan.write("tasks.md", text)
    assert plan.found("tasks-none") == [(plan.path("tasks.md"), 1)]
