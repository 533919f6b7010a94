from __future__ import annotations

from pathlib import Path

import pytest

from bot.planning.intake import detect_format, parse_spec
from bot.planning.intake.markdown import read_markdown
from bot.planning.spec import MetricKind

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "tests" / "fixtures" / "specs"
SAMPLES = REPO / ".." / "shared" / "samples"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


# --- the current template ---------------------------------------------------------------------


def test_current_format_header() -> None:
    spec = parse_spec(fixture("current-format.md"))
    assert spec.format == "spec-kit"
    assert spec.title == "Shared Room Booking"
    assert spec.feature_branch == "012-shared-room-booking"
    assert spec.created == "2026-03-14"
    assert spec.status == "Draft"
    assert spec.summary == (
        "Staff book meeting rooms from a shared calendar; facilities staff manage rooms and see how they are used."
    )


def test_current_format_stories() -> None:
    spec = parse_spec(fixture("current-format.md"))
    assert [(s.id, s.title, s.priority) for s in spec.stories] == [
        ("US1", "Book a room", 1), ("US2", "Manage rooms", 2), ("US3", "Usage report", 3),
    ]
    first = spec.stories[0]
    assert first.description.startswith("A staff member picks a time slot")
    assert first.why == "Booking is the whole point of the feature."
    assert first.independent_test.startswith("Book a free room for tomorrow")
    assert [(s.given, s.when, s.then) for s in first.scenarios] == [
        ("a room free at 10:00", "a staff member books it for one hour", "the room shows as taken from 10:00 to 11:00"),
        ("a room already taken at 10:00", "another staff member tries to book it",
         "the booking is refused and free rooms are suggested"),
    ]
    assert len(spec.stories[1].scenarios) == 1
    assert spec.stories[2].scenarios == []


def test_current_format_requirements() -> None:
    spec = parse_spec(fixture("current-format.md"))
    assert [r.id for r in spec.requirements] == [f"FR-00{i}" for i in range(1, 8)]
    assert [r.strength for r in spec.requirements][:4] == ["must", "must", "should", "may"]
    assert not any(r.id_assigned for r in spec.requirements)
    retention = spec.requirement("FR-005").metrics
    assert [(m.kind, m.value, m.source) for m in retention] == [(MetricKind.RETENTION, 730, "FR-005")]
    assert spec.requirement("FR-006").clarifications == ["should external guests be notified too?"]
    assert "FR-999" not in {r.id for r in spec.requirements}  # it sits in an HTML comment


def test_current_format_open_questions_name_their_requirement() -> None:
    spec = parse_spec(fixture("current-format.md"))
    assert [(q.question, q.location) for q in spec.open_questions] == [
        ("should external guests be notified too?", "FR-006"),
    ]
    assert spec.open_questions[0].sentence.startswith("System MUST notify attendees by email")


def test_current_format_entities_and_values() -> None:
    spec = parse_spec(fixture("current-format.md"))
    assert [e.name for e in spec.entities] == ["Room", "Booking"]  # the template's [Entity 3] is skipped
    room, booking = spec.entities
    assert room.description == "a bookable space"
    assert [a.name for a in room.attributes] == ["name", "floor", "capacity", "equipment", "state"]
    assert room.attributes[-1].values == ["Open", "Closed", "Retired"]
    assert [a.name for a in booking.attributes] == ["start", "end", "organiser"]
    assert booking.description == "one reservation of a room by a staff member"


def test_current_format_success_criteria_and_figures() -> None:
    spec = parse_spec(fixture("current-format.md"))
    assert [c.id for c in spec.success_criteria] == ["SC-001", "SC-002", "SC-003"]
    latency = spec.metrics_of(MetricKind.LATENCY)
    assert [(m.value, m.percentile, m.source) for m in latency] == [(400, 95, "SC-002")]
    assert [m.value for m in spec.metrics_of(MetricKind.CONCURRENCY)] == [1500]
    assert [m.value for m in spec.metrics_of(MetricKind.AVAILABILITY)] == [99.5]
    assert [m.value for m in spec.metrics_of(MetricKind.DURATION)] == [900_000, 30_000]


def test_current_format_other_sections() -> None:
    spec = parse_spec(fixture("current-format.md"))
    assert spec.edge_cases == [
        "Two people book the same room for the same slot at the same moment.",
        "A room is closed for maintenance after bookings were made for it.",
    ]  # the unfilled template line is dropped
    assert spec.assumptions == [
        "Staff sign in with the existing single sign-on.", "Room capacity is entered by facilities staff.",
    ]
    assert spec.out_of_scope == ["Booking desks or parking spaces."]
    assert spec.technical_context == "Python 3.12 service with PostgreSQL; the calendar widget is the existing React component."


def test_clarifications_sessions() -> None:
    spec = parse_spec(fixture("current-format.md"))
    assert [(c.question, c.answer, c.session) for c in spec.clarifications] == [
        ("Can a booking span midnight?", "No, bookings end by 23:59.", "2026-03-15"),
        ("Who may close a room?", "Facilities staff only.", "2026-03-15"),
    ]


def test_clarifications_with_ascii_arrow_or_answer_on_its_own_line() -> None:
    text = (
        "# Feature Specification: X\n\n## Requirements\n\n- **FR-001**: System MUST work.\n\n"
        "## Clarifications\n\n### Session 2026-01-05\n\n- Q: First? -> A: Yes.\n- Q: Second?\n  A: No.\n"
    )
    spec = parse_spec(text)
    assert [(c.question, c.answer, c.session) for c in spec.clarifications] == [
        ("First?", "Yes.", "2026-01-05"), ("Second?", "No.", "2026-01-05"),
    ]


# --- the legacy template ----------------------------------------------------------------------


def test_legacy_format_is_recognised() -> None:
    spec = parse_spec(fixture("legacy-format.md"))
    assert spec.format == "spec-kit-legacy"
    assert spec.title == "Library Loan Reminders"
    assert spec.success_criteria == []


def test_legacy_primary_story_becomes_us1_with_the_scenarios() -> None:
    spec = parse_spec(fixture("legacy-format.md"))
    assert len(spec.stories) == 1
    story = spec.stories[0]
    assert (story.id, story.priority, story.title) == ("US1", 1, "Library Loan Reminders")
    assert story.description.startswith("A library member receives a reminder three days before")
    assert [s.then for s in story.scenarios] == ["the member receives one reminder", "the loan is renewed for two weeks"]


def test_legacy_requirements_without_bullets() -> None:
    spec = parse_spec(fixture("legacy-format.md"))
    assert [r.id for r in spec.requirements] == ["FR-001", "FR-002", "FR-003", "FR-004"]
    assert spec.requirement("FR-002").text == "System MUST let members renew a loan from the reminder link."
    assert spec.requirement("FR-004").clarifications == ["or when the loan is returned?"]


def test_legacy_checklists_and_execution_flow_are_ignored() -> None:
    spec = parse_spec(fixture("legacy-format.md"))
    # the Execution Flow's "[NEEDS CLARIFICATION: specific question]" is template text
    assert [q.location for q in spec.open_questions] == ["FR-004"]
    assert not any("checklist" in a.casefold() for a in spec.assumptions)
    assert spec.edge_cases == [
        "What happens when the item is reserved by another member?",
        "How does the system handle a member without an email address?",
    ]


def test_legacy_entities() -> None:
    spec = parse_spec(fixture("legacy-format.md"))
    loan = spec.entities[1]
    assert loan.name == "Loan"
    assert loan.attributes[-1].name == "status"
    assert loan.attributes[-1].values == ["Active", "Returned", "Overdue"]


# --- details ----------------------------------------------------------------------------------


def test_requirements_without_ids_are_numbered_after_the_given_ones() -> None:
    text = (
        "# Feature Specification: Y\n\n## User Scenarios & Testing\n\n### User Story 1 - Go (Priority: P1)\n\nGo.\n\n"
        "## Requirements\n\n### Functional Requirements\n\n- **FR-004**: System MUST go.\n\n"
        "### Non-Functional Requirements\n\n- Pages load in under 1 s.\n- Logs SHOULD be kept 30 days.\n"
    )
    spec = parse_spec(text)
    assert [(r.id, r.id_assigned, r.strength) for r in spec.requirements] == [
        ("FR-004", False, "must"), ("FR-005", True, "must"), ("FR-006", True, "should"),
    ]
    assert spec.requirement("FR-005").metrics[0].kind is MetricKind.LATENCY


def test_stories_without_priorities_take_their_order() -> None:
    text = (
        "# Feature Specification: Z\n\n## User Scenarios & Testing\n\n### User Story 1 - A\n\nFirst.\n\n"
        "### User Story 2 - B\n\nSecond.\n\n### User Story 3 - C\n\nThird.\n\n### User Story 4 - D\n\nFourth.\n\n"
        "## Requirements\n\n- **FR-001**: System MUST work.\n"
    )
    assert [s.priority for s in parse_spec(text).stories] == [1, 2, 3, 3]


def test_markers_outside_requirements_are_located_by_section_or_story() -> None:
    text = (
        "# Feature Specification: Q\n\n## User Scenarios & Testing\n\n### User Story 1 - Pay (Priority: P1)\n\n"
        "A buyer pays by card [NEEDS CLARIFICATION: which card networks?].\n\n### Edge Cases\n\n"
        "- A payment times out [NEEDS CLARIFICATION: retry or fail?].\n\n"
        "## Requirements\n\n- **FR-001**: System MUST take payments.\n"
    )
    spec = parse_spec(text)
    assert [(q.question, q.location) for q in spec.open_questions] == [
        ("which card networks?", "US1"), ("retry or fail?", "Edge Cases"),
    ]


def test_input_wrapper_and_title_fallback() -> None:
    text = '# Feature Specification: [FEATURE NAME]\n\n**Input**: User description: "Let people rate recipes."\n\n## Requirements\n\n- **FR-001**: System MUST store ratings.\n'
    spec = parse_spec(text, title="Recipe ratings")
    assert spec.title == "Recipe ratings"
    assert spec.summary == "Let people rate recipes."


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("current-format.md", "spec-kit"),
        ("legacy-format.md", "spec-kit-legacy"),
        ("freeform-issue.md", "free-form"),
        ("freeform-german.md", "free-form"),
        ("short-real.md", "free-form"),
    ],
)
def test_detect_format(name: str, expected: str) -> None:
    text = fixture(name)
    assert detect_format(read_markdown(text), text) == expected


# --- the shared samples, when this checkout has them --------------------------------------------

needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared samples are not in this checkout")


@needs_samples
def test_sample_spec() -> None:
    spec = parse_spec((SAMPLES / "expense-approvals" / "spec.md").read_text(encoding="utf-8"))
    assert spec.format == "spec-kit"
    assert len(spec.stories) == 4
    assert [s.priority for s in spec.stories] == [1, 1, 2, 3]
    assert len(spec.requirements) == 12
    assert len(spec.entities) == 6
    assert [c.id for c in spec.success_criteria] == ["SC-001", "SC-002", "SC-003", "SC-004", "SC-005"]
    status = next(a for e in spec.entities for a in e.attributes if a.values)
    assert status.name == "status"
    assert len(status.values) == 5
    assert [q.location for q in spec.open_questions] == ["FR-012"]
    kinds = {m.kind for m in spec.metrics()}
    assert {MetricKind.SIZE, MetricKind.RETENTION, MetricKind.DURATION, MetricKind.LATENCY,
            MetricKind.CONCURRENCY, MetricKind.POPULATION, MetricKind.PERCENTAGE,
            MetricKind.AVAILABILITY, MetricKind.REGIONS} <= kinds
    latency = spec.metrics_of(MetricKind.LATENCY)[0]
    assert (latency.value, latency.percentile) == (300, 95)
    assert spec.metrics_of(MetricKind.REGIONS)[0].value == 2
