"""Fences and Mermaid blocks in every Markdown file of the plan."""

from __future__ import annotations

import pytest

from bot.planning.validation.mermaid import check_mermaid_block


def _block(*lines: str) -> list[tuple[int, str]]:
    return list(enumerate(lines, start=2))


def _codes(*lines: str) -> list[tuple[int, str]]:
    return [(p.line, p.code) for p in check_mermaid_block(_block(*lines), 1)]


def test_broken_flowchart_edge_is_an_error(plan):
    plan.replace("dependencies.md", "T002 --> T003[List endpoints]", "T002 -> T003[List endpoints]")
    line = plan.line_of("dependencies.md", "T002 -> T003")
    assert plan.found("mermaid-edge") == [(plan.path("dependencies.md"), line)]


def test_unclosed_fence_is_an_error(plan):
    text = plan.text("dependencies.md")
    plan.write("dependencies.md", text[: text.rindex("```")])
    line = plan.line_of("dependencies.md", "```mermaid")
    assert plan.found("fence-unclosed") == [(plan.path("dependencies.md"), line)]


def test_unknown_diagram_type_is_an_error(plan):
    plan.replace("dependencies.md", "graph TD", "graf TD")
    line = plan.line_of("dependencies.md", "graf TD")
    assert plan.found("mermaid-type") == [(plan.path("dependencies.md"), line)]


def test_mermaid_is_checked_in_every_markdown_file(plan):
    plan.write("quickstart.md", plan.text("quickstart.md") + "\n```mermaid\nflowchart LR\n    A[Start --> B\n```\n")
    line = plan.line_of("quickstart.md", "A[Start --> B")
    assert (plan.path("quickstart.md"), line) in plan.found("mermaid-unbalanced")


def test_broken_state_transition_is_an_error(plan):
    plan.replace("data-model.md", "Invited --> Revoked", "Invited -> Revoked")
    line = plan.line_of("data-model.md", "Invited -> Revoked")
    assert plan.found("mermaid-state") == [(plan.path("data-model.md"), line)]


def test_er_relationship_with_bad_cardinality_is_an_error(plan):
    plan.replace("data-model.md", "ReadingList ||--o{ ListItem : holds", "ReadingList ||--<{ ListItem : holds")
    line = plan.line_of("data-model.md", "ReadingList ||--<{")
    assert plan.found("erd-syntax") == [(plan.path("data-model.md"), line)]


def test_er_relationship_to_an_undefined_entity_is_an_error(plan):
    plan.replace("data-model.md", "ReadingList ||--o{ ListItem : holds", "ReadingList ||--o{ Book : holds")
    line = plan.line_of("data-model.md", "ReadingList ||--o{ Book")
    assert plan.found("erd-unknown-entity") == [(plan.path("data-model.md"), line)]


def test_er_attribute_with_a_comma_in_its_type_is_an_error(plan):
    plan.replace("data-model.md", "varchar(13) isbn UK", "numeric(12,2) isbn UK")
    line = plan.line_of("data-model.md", "numeric(12,2)")
    assert plan.found("erd-attribute") == [(plan.path("data-model.md"), line)]


def test_data_model_needs_an_er_diagram(plan):
    plan.replace("data-model.md", "erDiagram", "classDiagram")
    assert (plan.path("data-model.md"), 1) in plan.found("erd-missing")


@pytest.mark.parametrize(
    "line",
    [
        "A --> B",
        "A -->|label| B",
        'A -->|"quoted label"| B',
        "A -.-> B",
        "A ==> B",
        "A --- B",
        "A -- label --> B",
        "A[Rect] --> B(Round) --> C{Decision}",
        "A((Circle)) --> B[(Database)]",
        "A>Flag] --> B{{Hexagon}}",
        'A["Label with (parentheses)"] --> B',
        "A & B --> C",
        "A --> B;",
        'A --> B; B -->|"x; y"| C',
        "Node_1",
        "subgraph api [API layer]",
        "end",
        "classDef hot fill:#f96",
        "class A hot",
        "style A fill:#f9f",
    ],
)
def test_flowchart_lines_accepted(line):
    assert _codes("flowchart LR", line) == []


@pytest.mark.parametrize(
    "line",
    ["A -> B", "A --> ", "--> B", "A -->|label B", "1A --> B", "A --> B C", "A - B"],
)
def test_flowchart_lines_rejected(line):
    assert (3, "mermaid-edge") in _codes("graph TD", line)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (("stateDiagram-v2", "[*] --> Draft", "Draft --> Done : finish", "Done --> [*]"), []),
        (("stateDiagram", "state Busy {", "  A --> B", "}", "note right of A : waits"), []),
        (("stateDiagram-v2", "A --> B : label", "A => B"), [(4, "mermaid-state")]),
        (("stateDiagram-v2", "state Busy {", "A --> B"), [(3, "mermaid-unbalanced")]),
        (("sequenceDiagram", "A->>B: call (retry 1)", 'Note over A: "open'), [(4, "mermaid-unbalanced")]),
        (("graph", "A --> B"), []),
        (("graph XY", "A --> B"), [(2, "mermaid-type")]),
        (("pie title Shares", '"A" : 40'), []),
        (("%% a comment", "erDiagram", "A ||--|| B : is", "A {", "string id PK", "}", "B"), []),
        (("erDiagram", "A ||--|| B : two words"), [(3, "erd-syntax")]),
        (("erDiagram", "A {", "string id PK"), [(3, "erd-syntax")]),
        (("mindmap", "  root((Plan))", "    Tasks"), []),
        (("gitGraph", "commit"), [(2, "mermaid-type")]),
        ((), [(1, "mermaid-type")]),
    ],
)
def test_mermaid_blocks(lines, expected):
    assert _codes(*lines) == expected


def test_fence_with_another_language_is_not_mermaid(plan):
    plan.write("quickstart.md", plan.text("quickstart.md") + "\n```text\nA -> B\n```\n")
    assert plan.validate() == []


def test_longer_fence_holds_a_shorter_one(plan):
    plan.write("quickstart.md", plan.text("quickstart.md") + "\n````markdown\n```mermaid\ngraf\n```\n````\n")
    assert plan.validate() == []


def test_a_data_model_with_nothing_to_store_needs_no_diagram() -> None:
    from datetime import UTC, datetime

    from bot.planning import engine
    from bot.planning.engine import PlanRequest
    from bot.planning.ports import MappingSource

    spec = ("# Feature Specification: Colour contrast check\n\n## User Scenarios & Testing\n\n"
            "### User Story 1 - Check a stylesheet (Priority: P1)\n\nA designer runs the check on a stylesheet.\n\n"
            "**Acceptance Scenarios**:\n\n1. **Given** a stylesheet, **When** the check runs, **Then** pairs under "
            "4.5 are printed.\n\n## Requirements\n\n### Functional Requirements\n\n"
            "- **FR-001**: The command MUST print each colour pair whose contrast ratio is under 4.5.\n"
            "- **FR-002**: The command MUST exit with status 1 when it prints any pair.\n\n### Key Entities\n\n")
    prepared = engine.prepare(PlanRequest(text=spec, spec_source="issue #3"), MappingSource({}), [])
    generated = engine.generate(prepared, datetime(2026, 1, 1, tzinfo=UTC), include_spec=True, original_spec_text=spec)
    data_model = next(text for path, text in generated.files.items() if path.endswith("data-model.md"))
    assert "**Entities**: 0" in data_model and "erDiagram" not in data_model
