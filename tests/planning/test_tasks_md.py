"""tasks.md.j2 and dependencies.md.j2 rendered from a hand-built plan."""

from __future__ import annotations

import re

from tasks_plan_factory import context, plan, spec

from bot.planning.render import render_template
from bot.planning.stack import Stack
from bot.planning.validation.folder import PlanFolder
from bot.planning.validation.mermaid import check_mermaid_block
from bot.planning.validation import check_tasks

TASK_LINE = re.compile(r"^- \[ \] T\d{3}( \[P\])?( \[US\d+\])? .+ — est\. \d+(\.\d+)?d$")
NODE = r"[A-Za-z_]\w*"
EDGE = re.compile(rf"^    ({NODE}) (-->|-\.->) ({NODE})$")
DECLARATION = re.compile(rf'^    ({NODE})(\["[^"]*"\]|\{{\{{"[^"]*"\}}\}}|\[\("[^"]*"\)\]|>"[^"]*"\])$')


def _tasks_md(p=None) -> str:  # noqa: ANN001 - a Plan
    p = p or plan()
    return render_template("tasks.md.j2", plan=p)


def _dependencies_md(p=None) -> str:  # noqa: ANN001
    p = p or plan()
    return render_template("dependencies.md.j2", plan=p)


def _task_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if re.match(r"- \[ \] T\d{3} ", line)]


def _mermaid(text: str) -> list[str]:
    match = re.search(r"```mermaid\n(.*?)\n```", text, re.S)
    assert match, "no mermaid block"
    return match.group(1).splitlines()


def test_every_task_line_has_the_spec_kit_shape_and_an_estimate() -> None:
    p = plan()
    lines = _task_lines(_tasks_md(p))
    assert len(lines) == len(p.tasks.tasks())
    for line in lines:
        assert TASK_LINE.match(line), line
    ids = [line.split()[3] for line in lines]
    assert ids == [f"T{n:03d}" for n in range(1, len(ids) + 1)]


def test_task_lines_carry_path_requirements_and_decisions() -> None:
    p = plan()
    lines = {line.split()[3]: line for line in _task_lines(_tasks_md(p))}
    for task in p.tasks.tasks():
        line = lines[task.id]
        assert line.startswith(task.line())
        if task.path:
            assert f" in {task.path}" in line
        for fr in task.requirements:
            assert fr in line
        for td in task.decisions:
            assert td in line


def test_every_requirement_appears_on_a_task_line() -> None:
    text = "\n".join(_task_lines(_tasks_md()))
    for req in spec().requirements:
        assert re.search(rf"\b{req.id}\b", text), req.id


def test_a_line_naming_a_provisional_decision_says_so() -> None:
    lines = [line for line in _task_lines(_tasks_md()) if "TD001" in line]
    assert lines
    assert all("PROVISIONAL DECISION" in line for line in lines)
    assert any("Review PROVISIONAL DECISION TD001" in line for line in lines)
    assert any("Prepare migration path off Option A" in line for line in lines)
    decided = [line for line in _task_lines(_tasks_md()) if "TD002" in line and "TD001" not in line]
    assert decided and not any("PROVISIONAL" in line for line in decided)


def test_tasks_md_has_the_sections_the_method_asks_for() -> None:
    text = _tasks_md()
    assert text.startswith("# Tasks: Item Loans with Fines and Live Availability")
    for heading in (
        "## Format: `[ID] [P?] [Story] Description`",
        "## Phase 1: Setup",
        "## Phase 2: Foundational",
        "## Phase 3: User Story 1 - Borrow an item (Priority: P1) 🎯 MVP",
        "## Dependencies & Execution Order",
        "### Critical Path",
        "## Parallel Opportunities",
        "## Requirement Coverage",
        "## Effort Summary",
        "## Definition of Done (code review checklist)",
        "## Testing Requirements",
        "## Documentation Requirements",
        "## Deployment & Rollback",
        "## Monitoring & Alerting",
    ):
        assert heading in text, heading
    assert text.count("**Goal**:") == len(plan().tasks.phases)
    assert text.count("**Independent Test**:") == len(plan().tasks.phases)


def test_tasks_md_sections_come_from_this_plan() -> None:
    text = _tasks_md()
    assert "under 400 ms" in text and "99.5%" in text  # the spec's own figures
    assert "Constitution II. Test-first (NON-NEGOTIABLE)" in text
    assert "fines, loans, items, members" in text  # rollback order of this data model
    assert "focus factor of 0.8" in text
    assert "| FR-007: Members MUST be able to erase their personal data" in text
    assert "NOT COVERED" not in text
    assert "TD001 (Architecture: Option A, Server-Sent Events — PROVISIONAL DECISION)" in text
    assert 'Business answer recorded' not in text  # this spec has no open question


def test_tasks_md_passes_planbots_own_task_checks() -> None:
    p = plan()
    spec_md = "\n".join(
        ["# Feature Specification: Item Loans", ""]
        + [f"### User Story {s.id[2:]} - {s.title} (Priority: P{s.priority})\n" for s in p.spec.stories]
        + ["## Requirements", ""]
        + [f"- **{r.id}**: {r.text}" for r in p.spec.requirements]
    )
    folder = PlanFolder(
        {f"{p.feature.directory}/tasks.md": _tasks_md(p), f"{p.feature.directory}/spec.md": spec_md},
        p.feature.directory,
    )
    findings = list(check_tasks.check(folder))
    assert [f for f in findings if f.severity == "error"] == []


def test_tasks_md_renders_for_an_undecided_language_without_a_constitution() -> None:
    p = plan(context(stack=Stack(), with_constitution=False))
    text = _tasks_md(p)
    assert "language not stated yet" in text
    assert "Choose the implementation language and framework" in text
    assert "the constitution does not demand test-first" in text
    for line in _task_lines(text):
        assert TASK_LINE.match(line), line


def test_dependencies_md_has_a_valid_mermaid_dependency_graph() -> None:
    lines = _mermaid(_dependencies_md())
    assert lines[0] in ("graph TD", "flowchart TD")
    declared: set[str] = set()
    edges: list[tuple[str, str]] = []
    for line in lines[1:]:
        if (m := DECLARATION.match(line)) is not None:
            declared.add(m.group(1))
        elif (m := EDGE.match(line)) is not None:
            edges.append((m.group(1), m.group(3)))
        else:
            raise AssertionError(f"not a node or an edge: {line!r}")
    assert edges
    for source, target in edges:
        assert source in declared and target in declared
    body = list(enumerate(lines, start=2))
    assert check_mermaid_block(body, 1) == []


def test_dependency_graph_links_phases_decisions_entities_and_external_systems() -> None:
    lines = _mermaid(_dependencies_md())
    text = "\n".join(lines)
    assert "phase_setup --> phase_foundational" in text
    assert "phase_foundational --> phase_us1" in text
    assert "phase_us1 --> phase_us2" in text  # US2 builds on the Loan model US1 creates
    assert "td_TD001 -.-> phase_setup" in text  # the first phase that needs it (its dependencies)
    assert "td_TD001 -.-> phase_us4" not in text  # later phases are in the table, not the graph
    assert "entity_Loan --> phase_us1" in text
    assert re.search(r'ext_\d+>"catalogue system"\]', text)
    assert "(PROVISIONAL DECISION)" in text
    assert "phase_setup --> phase_polish" not in text  # implied orderings are left out


def test_dependencies_md_lists_services_libraries_infrastructure_and_skills() -> None:
    text = _dependencies_md()
    for heading in ("## External Service Dependencies", "## Library and Framework Dependencies",
                    "## Infrastructure Requirements", "## Team and Skill Dependencies"):
        assert heading in text
    assert "| catalogue system |" in text
    assert "The publisher's catalogue system is down during the nightly sync." in text  # its failure mode
    assert "| FastAPI | 0.115.2 |" in text  # pinned by the manifest
    assert "| alembic | version to be verified |" in text  # unpinned: never invented
    assert "| Python | 3.12 |" in text
    assert "PostgreSQL (version to be verified)" in text
    assert "1,500 concurrent members (SC-001)" in text
    assert "Test-first development" in text
    assert "Server-Sent Events: long-lived connections" in text
    assert "| TD001 (Architecture: Option A, Server-Sent Events — PROVISIONAL DECISION) | — | Phase 1, Phase 2, Phase 6 (US4), Phase 7 |" in text


def test_dependencies_md_without_stack_or_systems_says_why_sections_are_empty() -> None:
    bare_spec = spec().model_copy(update={"requirements": spec().requirements[:3], "success_criteria": [],
                                          "edge_cases": [], "stories": spec().stories[:2]})
    p = plan(context(stack=Stack(), with_constitution=False, the_spec=bare_spec), tds=[])
    text = _dependencies_md(p)
    assert "## External Service Dependencies\n\n_Nothing to plan here for this feature:" in text
    assert "## Library and Framework Dependencies\n\n_Nothing to plan here for this feature:" in text
    assert "| Language and framework still to be chosen |" in text
    lines = _mermaid(text)
    assert check_mermaid_block(list(enumerate(lines, start=2)), 1) == []
