"""templates/data-model.md.j2: every section the planning method lists, with diagrams Mermaid accepts."""

from __future__ import annotations

import re

from datamodel_factory import approval_spec, cli_spec, context_for, decision, helpdesk_spec, plan_for

from bot.planning.decisions import Category
from bot.planning.plan import Plan
from bot.planning.render import render_template
from bot.planning.spec import Attribute, Entity, Spec

SECTIONS = (
    "## Entity Relationship Diagram",
    "## Database Schema",
    "## Data Migration Strategy",
    "## Validation Rules and Business Logic",
    "## Caching Strategy",
    "## API Response Schemas",
    "## Event Schemas",
    "## Data Privacy and Retention",
)
# Mermaid erDiagram grammar: `A <left>--<right> B : label` and `type name [PK|FK|UK[, …]] ["comment"]`.
RELATIONSHIP = re.compile(
    r'^(?P<left>[A-Za-z_][\w-]*)\s+(?:\|o|\|\||\}o|\}\|)(?:--|\.\.)(?:o\||\|\||o\{|\|\{)\s+'
    r'(?P<right>[A-Za-z_][\w-]*)\s*:\s*(?:"[^"]*"|[\w-]+)$'
)
ATTRIBUTE = re.compile(r'^[A-Za-z_][\w\-\[\]()]*\s+[A-Za-z_][\w-]*(?:\s+(?:PK|FK|UK)(?:,\s*(?:PK|FK|UK))*)?(?:\s+"[^"]*")?$')
STATE_LINE = re.compile(r"^(?:\[\*\]|[A-Za-z_]\w*)\s*-->\s*(?:\[\*\]|[A-Za-z_]\w*)(?:\s*:\s*[^:]+)?$")


def render(plan: Plan) -> str:
    return render_template("data-model.md.j2", plan=plan)


def mermaid_blocks(text: str, kind: str) -> list[list[str]]:
    blocks = re.findall(r"```mermaid\n(.*?)```", text, re.S)
    return [[line.strip() for line in b.splitlines()[1:] if line.strip()] for b in blocks if b.startswith(kind)]


def test_every_section_is_present() -> None:
    text = render(plan_for(context_for(approval_spec())))
    for heading in SECTIONS:
        assert heading in text, heading
    positions = [text.index(h) for h in SECTIONS]
    assert positions == sorted(positions)


def test_er_diagram_has_one_block_per_entity_and_valid_relations() -> None:
    plan = plan_for(context_for(approval_spec()))
    blocks = mermaid_blocks(render(plan), "erDiagram")
    assert len(blocks) == 1
    lines = blocks[0]
    entity_blocks = [line[:-2] for line in lines if line.endswith(" {")]
    assert entity_blocks == [e.name for e in plan.data_model.entities]
    relationships = [line for line in lines if "--" in line]
    assert len(relationships) == len(plan.data_model.relations)
    for line in relationships:
        match = RELATIONSHIP.match(line)
        assert match, line
        assert match["left"] in entity_blocks and match["right"] in entity_blocks
    inside = False
    for line in lines:
        if line.endswith(" {"):
            inside = True
        elif line == "}":
            inside = False
        elif inside:
            assert ATTRIBUTE.match(line), line
    assert "Employee |o--o{ Employee" in "\n".join(lines)  # the self reference
    assert "ExportBatch }o--o{ ExpenseReport" in "\n".join(lines)  # many-to-many


def test_state_diagram_for_each_state_machine() -> None:
    plan = plan_for(context_for(helpdesk_spec()))
    text = render(plan)
    diagrams = mermaid_blocks(text, "stateDiagram-v2")
    machines = [e for e in plan.data_model.entities if e.state_machine]
    assert len(diagrams) == len(machines) == 1
    lines = diagrams[0]
    assert lines[0] == "[*] --> Open"
    assert "In_Progress --> Resolved : resolve" in lines
    assert "Closed --> [*]" in lines
    assert all(STATE_LINE.match(line) for line in lines), lines
    assert "| Open | In Progress | `start` |" in text


def test_schema_tables_indexes_constraints_and_policies() -> None:
    text = render(plan_for(context_for(approval_spec())))
    assert "| Field | Type | SQL type | Null | Key | Validation | Notes |" in text
    assert "`ix_expense_reports_status_created_at`" in text
    assert "`CHECK (amount >= 0)`" in text
    assert "| `0001_create_employees` |" in text and "expand, then contract" in text
    assert "| ExpenseLine | Not cached — holds money amounts" in text
    assert "`#/components/schemas/ExpenseReport`" in text
    assert "`expense_report.status_changed`" in text and "contracts/events.yaml" in text
    assert "Kept for 7 years (FR-002, C002)" in text
    assert "StatusChange derived by planbot" in text


def test_decisions_are_referenced_and_provisional_ones_marked() -> None:
    decisions = [
        decision(2, "primary-datastore", "PostgreSQL", ["relational", "postgresql"], category=Category.DATA, provisional=True),
        decision(4, "caching-strategy", "Redis cache-aside", ["redis", "cache-aside"], category=Category.PERFORMANCE),
    ]
    text = render(plan_for(context_for(approval_spec()), decisions))
    assert "chosen by TD002 (Data: Option A, PostgreSQL — PROVISIONAL DECISION)" in text
    assert "Cache technology and policy follow TD004 (Performance: Option A, Redis cache-aside)" in text


def test_sections_without_content_say_why() -> None:
    spec = Spec(title="Bookmarks", format="free-form", summary="Save links.",
                entities=[Entity(name="Bookmark", attributes=[Attribute(name="url"), Attribute(name="title")])])
    text = render(plan_for(context_for(spec, constitution=False)))
    assert "## Event Schemas\n\n_Nothing to plan here for this feature: the spec asks for no real-time" in text
    assert "State machines: _Nothing to plan here for this feature: no entity has an enumerated status list" in text
    empty = render(plan_for(context_for(cli_spec(), constitution=False)))
    for heading in SECTIONS:
        assert heading in empty
    assert empty.count("_Nothing to plan here for this feature:") >= 6
    assert "```mermaid" not in empty


def test_document_store_uses_document_types() -> None:
    td = decision(2, "primary-datastore", "MongoDB", ["document-store"], category=Category.DATA)
    text = render(plan_for(context_for(helpdesk_spec(), constitution=False), [td]))
    assert "| Field | Type | Document type |" in text
    assert "create collection `tickets`" in text
