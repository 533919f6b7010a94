"""spec.md written from free-form text, in spec-kit's format, readable again."""

from __future__ import annotations

import re
from datetime import date

from plan_document_factory import GENERATED_AT, make_plan, spec

from bot.planning.artifacts import SPEC
from bot.planning.feature import Feature
from bot.planning.render import render_template
from bot.planning.spec import Requirement, Spec

FEATURE = make_plan().feature
FR_LINE = re.compile(r"^- \*\*(?P<id>FR-\d{3})\*\*: (?P<text>.+)$", re.MULTILINE)
MARKER = re.compile(r"\s*\[NEEDS CLARIFICATION: (?P<question>[^\]]+)\]")


def render(value: Spec, feature: Feature = FEATURE, created: object = GENERATED_AT) -> str:
    return render_template(SPEC.template, spec=value, feature=feature, created=created)


def outside_original(text: str) -> str:
    return text.split("\n## Original Request\n", 1)[0]


def read_requirements(text: str) -> list[tuple[str, str, list[str]]]:
    """(id, text without markers, marker questions) for each FR line outside the original request."""
    found = []
    for match in FR_LINE.finditer(outside_original(text)):
        questions = MARKER.findall(match.group("text"))
        found.append((match.group("id"), MARKER.sub("", match.group("text")).strip(), questions))
    return found


def test_header_follows_spec_kit():
    text = render(spec())
    assert text.startswith("# Feature Specification: Team Inbox Triage\n")
    assert "**Feature Branch**: `007-team-inbox-triage`\n**Created**: 2026-11-05\n**Status**: Draft\n" in text
    assert '**Input**: User description: "Support agents share one inbox; each message is assigned' in text
    assert render(spec(), created=date(2026, 1, 2)).count("**Created**: 2026-01-02") == 1


def test_requirement_ids_and_texts_read_back_unchanged():
    original = spec()
    read = read_requirements(render(original))
    assert [(fr_id, fr_text) for fr_id, fr_text, _ in read] == [(r.id, r.text) for r in original.requirements]
    assert dict((fr_id, questions) for fr_id, _, questions in read)["FR-004"] == ["which export formats are needed?"]


def test_a_marker_already_in_the_text_is_not_doubled():
    marked = Requirement(
        id="FR-001",
        text="Data is kept for [NEEDS CLARIFICATION: how long?] after closure.",
        clarifications=["how long?"],
    )
    text = render(spec().model_copy(update={"requirements": [marked]}))
    assert text.count("[NEEDS CLARIFICATION: how long?]") == 1
    assert read_requirements(text) == [("FR-001", "Data is kept for after closure.", ["how long?"])]


def test_stories_scenarios_entities_and_criteria():
    text = render(spec())
    assert "### User Story 1 - Assign a message (Priority: P1)" in text
    assert "### User Story 2 - See new messages live (Priority: P2)" in text
    assert "**Why this priority**: Nothing gets answered twice or never." in text
    assert "**Independent Test**: Assign one message and see it in the assignee's queue." in text
    assert (
        "1. **Given** an unassigned message, **When** an agent assigns it, **Then** the assignee sees it at the top of their queue"
        in text
    )
    assert "1. A new message shows up on every open inbox." in text
    assert "### Edge Cases\n\n- An assignee leaves the team while messages wait." in text
    assert "- **Message**: one email or chat message; sender, status (New, Closed)" in text
    assert "- **Assignment**: who owns a message and since when" in text
    assert "- **SC-001**: 95% of inbox loads finish in under 300 ms with 500 concurrent agents." in text
    assert "## Assumptions\n\n- Agents sign in through the company SSO." in text
    assert "## Out of Scope\n\n- Mobile push notifications." in text


def test_clarifications_and_open_questions_outside_requirements():
    text = render(spec())
    assert "## Clarifications\n\n### Session 2026-11-01\n\n- Q: Which mail system? → A: The shared IMAP mailbox." in text
    assert "- Edge Cases: [NEEDS CLARIFICATION: what happens to drafts?]" in text
    assert text.count("which export formats are needed?") == 1


def test_the_original_request_is_quoted_and_cannot_be_read_as_sections():
    text = render(spec())
    original = text.split("\n## Original Request\n", 1)[1]
    assert original.strip().startswith("> ````text")
    assert all(line.startswith(">") for line in original.strip().splitlines())
    assert "> ## Requirements" in original
    assert "> ```\n> not = 'a heading'\n> ```\n> ````" in original
    assert re.findall(r"^## (.+)$", text, re.MULTILINE)[-1] == "Original Request"


def test_sections_in_spec_kit_order():
    headings = re.findall(r"^##+ .+$", render(spec()), re.MULTILINE)
    order = [
        "## User Scenarios & Testing *(mandatory)*",
        "### Edge Cases",
        "## Requirements *(mandatory)*",
        "### Functional Requirements",
        "### Key Entities",
        "## Success Criteria *(mandatory)*",
        "### Measurable Outcomes",
        "## Assumptions",
        "## Out of Scope",
        "## Clarifications",
        "## Original Request",
    ]
    assert [h for h in headings if h in order] == order


def test_a_thin_request_still_renders_a_complete_skeleton():
    thin = Spec(title="Make it faster", format="free-form", summary="make it faster", raw="make it faster")
    text = render(thin)
    assert "_The original request names no user story" in text
    assert "_The original request states no requirement._" in text
    assert "## Original Request\n\n> ```text\n> make it faster\n> ```" in text
    assert "## Assumptions" not in text and "## Clarifications" not in text
