from __future__ import annotations

from pathlib import Path

import pytest

from bot.planning.intake import parse_spec
from bot.planning.intake.freeform import split_plan_command
from bot.planning.spec import MetricKind

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "tests" / "fixtures" / "specs"
SAMPLES = REPO / ".." / "shared" / "samples"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_issue_requirements_are_numbered_in_order() -> None:
    spec = parse_spec(fixture("freeform-issue.md"), title="Invoice export")
    assert spec.format == "free-form"
    assert spec.title == "Invoice export"
    assert [(r.id, r.id_assigned, r.strength) for r in spec.requirements] == [
        ("FR-001", True, "must"), ("FR-002", True, "must"), ("FR-003", True, "should"), ("FR-004", True, "must"),
    ]
    assert spec.requirements[0].text == "The export must include the VAT number, invoice date, due date and total amount."


def test_issue_stories_with_priority_and_scenarios() -> None:
    spec = parse_spec(fixture("freeform-issue.md"))
    assert [(s.id, s.title, s.priority) for s in spec.stories] == [
        ("US1", "Export all invoices of a month as one CSV file", 1),
        ("US2", "A weekly summary email", 3),
    ]
    assert spec.stories[0].why == "I can import them into the ledger"
    scenario = spec.stories[0].scenarios[0]  # the acceptance criteria section belongs to the first story
    assert (scenario.given, scenario.when, scenario.then) == (
        "a month with 120 invoices", "the accountant exports it", "the CSV has 120 rows",
    )


def test_issue_other_parts() -> None:
    spec = parse_spec(fixture("freeform-issue.md"))
    assert spec.summary.startswith("Finance wants to stop copying invoices")
    assert spec.title == "Finance wants to stop copying invoices into spreadsheets by hand"
    assert spec.out_of_scope == ["Importing invoices from other systems."]
    assert [(q.question, q.location) for q in spec.open_questions] == [
        ("Should credit notes be part of the same export?", "Requirements"),
    ]
    assert spec.technical_context == "Use the existing Django app and Celery for the background export."
    assert "/plan" not in " ".join(r.text for r in spec.requirements)
    invoice = spec.entities[0]
    assert invoice.name == "Invoice"
    assert [a.name for a in invoice.attributes] == ["number", "customer", "currency", "total"]


def test_a_requirement_with_a_figure_also_gets_a_success_criterion() -> None:
    spec = parse_spec(fixture("freeform-issue.md"))
    assert [(c.id, c.text) for c in spec.success_criteria] == [
        ("SC-001", "Exports of up to 50,000 invoices must finish in under 2 minutes."),
    ]
    criterion = spec.success_criteria[0].metrics[0]
    assert (criterion.kind, criterion.value, criterion.source) == (MetricKind.DURATION, 120_000, "FR-002")
    assert spec.requirement("FR-002").metrics[0].value == 120_000


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared samples are not in this checkout")
def test_sample_issue() -> None:
    text = (SAMPLES / "issues" / "realtime-notifications.md").read_text(encoding="utf-8")
    spec = parse_spec(text, title="Real-time ticket notifications")
    assert spec.title == "Real-time ticket notifications"
    assert len(spec.requirements) == 5
    assert spec.summary.startswith("Our support dashboard makes agents refresh the page")
    assert spec.out_of_scope == ["Mobile push notifications."]
    assert [m.value for m in spec.metrics_of(MetricKind.LATENCY)][:1] == [2000]
    assert spec.metrics_of(MetricKind.CONCURRENCY)[0].value == 800
    assert spec.metrics_of(MetricKind.REGIONS)[0].value == 3
    story = spec.stories[0]
    assert (story.id, story.priority) == ("US1", 1)
    assert story.scenarios and all(s.given and s.when and s.then for s in story.scenarios)


def test_without_a_story_us1_is_built_with_scenarios_from_the_figures() -> None:
    text = "## Requirements\n\n- Search results appear within 1 s.\n- Admins can pin results.\n- Serves 300 concurrent users.\n"
    spec = parse_spec(text, title="Faster search")
    assert len(spec.stories) == 1
    story = spec.stories[0]
    assert (story.id, story.title, story.priority) == ("US1", "Faster search", 1)
    assert [s.text.endswith(f"({rid}).") for s, rid in zip(story.scenarios, ["FR-001", "FR-003"], strict=True)] == [True, True]
    first, second = story.scenarios
    assert first.when == "search results appear"
    assert first.then == "it happens within 1 s"
    assert second.given == "the system serves 300 concurrent users"


def test_plain_bullets_without_headings_are_requirements() -> None:
    spec = parse_spec(fixture("short-real.md"))
    assert [r.text for r in spec.requirements] == [
        "Export the invoice list as CSV", "Filter invoices by month", "Include the VAT number in every row",
    ]
    assert spec.title == "Export the invoice list as CSV"


def test_modal_sentences_in_paragraphs_are_requirements() -> None:
    text = "We need a dark mode. The theme must follow the operating system setting. Users should be able to override it."
    spec = parse_spec(text)
    assert [(r.text, r.strength) for r in spec.requirements] == [
        ("We need a dark mode.", "must"),
        ("The theme must follow the operating system setting.", "must"),
        ("Users should be able to override it.", "should"),
    ]


def test_paragraphs_without_modal_words_fall_back_to_their_sentences() -> None:
    text = "Die Lagerliste zeigt alle Artikel mit ihrem Bestand an. Artikel unter dem Mindestbestand erscheinen oben in der Liste."
    spec = parse_spec(text)
    assert len(spec.requirements) == 2


@pytest.mark.parametrize("name", ["freeform-german.md", "freeform-japanese.md"])
def test_other_languages(name: str) -> None:
    spec = parse_spec(fixture(name))
    assert len(spec.requirements) >= 3
    assert spec.stories and spec.stories[0].id == "US1"


def test_german_figures() -> None:
    spec = parse_spec(fixture("freeform-german.md"))
    assert [(m.kind, m.value) for m in spec.requirement("FR-004").metrics] == [
        (MetricKind.LATENCY, 2000), (MetricKind.CONCURRENCY, 500),
    ]
    assert spec.summary == "Das Lager braucht eine Übersicht über Artikel mit niedrigem Bestand."


def test_a_requirements_table() -> None:
    text = (
        "## Requirements\n\n| ID | Requirement | Priority |\n|---|---|---|\n"
        "| R-1 | Users can export reports | Must |\n| R-2 | Reports show a chart | Should |\n"
        "| R-3 | Reports are printable | Won't |\n"
    )
    spec = parse_spec(text, title="Reports")
    assert [(r.text, r.strength) for r in spec.requirements] == [
        ("Users can export reports", "must"), ("Reports show a chart", "should"),
    ]
    assert spec.out_of_scope == ["Reports are printable"]


def test_sections_by_heading() -> None:
    text = (
        "# Offline mode\n\n## Background\n\nField staff lose signal often.\n\n## Requirements\n\n"
        "- Forms can be filled in without a connection.\n- Data syncs when the connection returns.\n\n"
        "## Edge cases\n\n- Two devices edit the same form offline.\n\n## Assumptions\n\n- Devices have 2 GB free.\n\n"
        "## Non-goals\n\n- Offline maps.\n\n## Technical notes\n\nThe app is built with Flutter.\n\n"
        "## Success metrics\n\n- 95% of forms sync within 10 minutes of reconnecting.\n"
    )
    spec = parse_spec(text)
    assert spec.title == "Offline mode"
    assert spec.summary == "Field staff lose signal often."
    assert len(spec.requirements) == 2
    assert spec.edge_cases == ["Two devices edit the same form offline."]
    assert spec.assumptions == ["Devices have 2 GB free."]
    assert spec.out_of_scope == ["Offline maps."]
    assert spec.technical_context == "The app is built with Flutter."
    assert [c.id for c in spec.success_criteria] == ["SC-001"]
    assert spec.success_criteria[0].metrics[0].percentile == 95


def test_what_happens_bullets_are_edge_cases() -> None:
    spec = parse_spec("- Users upload a CSV of contacts.\n- What happens if the file has no header row?\n", title="Import")
    assert spec.edge_cases == ["What happens if the file has no header row?"]
    assert [r.text for r in spec.requirements] == ["Users upload a CSV of contacts."]


def test_needs_clarification_marker_in_free_text() -> None:
    spec = parse_spec("- Users must sign in with SSO [NEEDS CLARIFICATION: which identity provider?]\n- Admins can invite users\n")
    assert spec.requirement("FR-001").clarifications == ["which identity provider?"]
    assert [(q.question, q.location) for q in spec.open_questions] == [("which identity provider?", "FR-001")]


@pytest.mark.parametrize(
    ("text", "body", "context"),
    [
        ("Add search.\n/plan Use Postgres full-text search\n", "Add search.\n", "Use Postgres full-text search"),
        ("Add search.\n\n/plan\nUse Postgres.\nKeep it simple.\n\n## Notes\n\nx\n", "Add search.\n\n## Notes\n\nx\n", "Use Postgres.\nKeep it simple."),
        ("Add search.\n/plan approve\n", "Add search.\n/plan approve\n", ""),
    ],
)
def test_split_plan_command(text: str, body: str, context: str) -> None:
    assert split_plan_command(text) == (body, context)


def test_title_prefers_the_issue_title_then_the_first_heading() -> None:
    text = "# Bulk archive\n\n- Users can archive many projects at once.\n"
    assert parse_spec(text).title == "Bulk archive"
    assert parse_spec(text, title="Archive projects in bulk").title == "Archive projects in bulk"


def test_ids_written_in_free_text_are_kept() -> None:
    text = "## Needs\n\n- FR-010: Users can export data.\n- Users can import data.\n\n## Success metrics\n\n- SC-002: Exports finish within 5 s.\n"
    spec = parse_spec(text, title="Data portability")
    assert [(r.id, r.id_assigned) for r in spec.requirements] == [("FR-010", False), ("FR-011", True)]
    assert [c.id for c in spec.success_criteria] == ["SC-002"]
    assert spec.success_criteria[0].text == "Exports finish within 5 s."


def test_entities_are_derived_from_what_the_requirements_act_on() -> None:
    text = (
        "## Requirements\n- New tickets must appear on every open dashboard within 2 s.\n"
        "- Agents can choose which queues notify them.\n- Works for up to 800 agents online at once.\n"
        "- Notifications must not reveal tickets of queues the agent cannot access.\n"
    )
    entities = parse_spec(text, title="Live tickets").entities
    assert sorted(e.name for e in entities) == ["Agent", "Queue", "Ticket"]  # not Dashboard: an interface word
    assert all(e.description in text for e in entities)


def test_no_entities_are_guessed_from_a_single_mention_or_another_language() -> None:
    assert parse_spec("- Users can upload a profile photo\n- Admins can see a report\n", title="x").entities == []
    assert parse_spec(fixture("freeform-german.md")).entities == []
