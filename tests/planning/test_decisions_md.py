"""decisions.md: the decision cards at branch time (all PENDING) and once the decisions are settled."""

from __future__ import annotations

import re

from plan_document_factory import make_plan, metric_display  # noqa: F401 - metric_display is an autouse fixture

from bot.planning.analysis import BusinessQuestion
from bot.planning.artifacts import DECISIONS, GENERATED
from bot.planning.decisions import Conflict
from bot.planning.plan import Plan
from bot.planning.render import render_template

CARD_FIELDS = (
    "Status",
    "Context",
    "Decision Required",
    "Options",
    "Recommendation",
    "Impact on Implementation",
    "Reversibility",
    "Depends on",
    "Review Trigger",
)
SETTLED_FIELDS = ("Final Decision", "Rationale", "Decided by", "Decided at", "Dependencies on this decision")


def render(plan: Plan) -> str:
    return render_template(DECISIONS.template, plan=plan, artifacts=GENERATED)


def cards(text: str) -> dict[str, str]:
    """TD id -> the card's text, from its `### TDnnn:` heading to the next heading of level 1 to 3."""
    found: dict[str, str] = {}
    parts = re.split(r"^(?=#{1,3} )", text, flags=re.MULTILINE)
    for part in parts:
        heading = re.match(r"### (TD\d{3}): ", part)
        if heading:
            found[heading.group(1)] = part
    return found


def field(card: str, name: str) -> str:
    match = re.search(rf"^\*\*{re.escape(name)}\*\*: (.*)$", card, re.MULTILINE)
    assert match, f"no **{name}** in card:\n{card}"
    return match.group(1)


def section(text: str, heading: str) -> str:
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    assert match, f"no ## {heading}"
    return match.group(1)


def test_title_and_status_table():
    text = render(make_plan())
    assert text.startswith("# TECHNICAL DECISIONS REQUIRED for Team Inbox Triage\n")
    assert "| TD001 | Data | Where messages are stored | High | DECIDED | Option A — Relational tables |" in text
    assert "| TD002 | Architecture | How notifications are sent | Medium | PROVISIONAL DECISION | Option B — Message broker with workers |" in text
    assert "| TD003 | Integration | How agents see new messages | Low | DECIDED | Option B — Polling every few seconds |" in text


def test_high_impact_cards_are_critical_the_rest_other():
    text = render(make_plan())
    assert list(cards(section(text, "Critical Technical Decisions"))) == ["TD001"]
    assert list(cards(section(text, "Other Technical Decisions"))) == ["TD002", "TD003"]
    assert "### TD001: Data - Where messages are stored" in text
    assert "### TD002: Architecture - How notifications are sent" in text


def test_every_card_has_every_field_and_complete_options():
    for stage in ("branch", "final"):
        found = cards(render(make_plan(stage=stage)))
        assert sorted(found) == ["TD001", "TD002", "TD003"]
        for td_id, card in found.items():
            for name in CARD_FIELDS:
                assert f"**{name}**:" in card, f"{stage}: {td_id} lacks {name}"
            options = re.findall(r"^- Option ([A-F]): (.+)$", card, re.MULTILINE)
            assert [key for key, _ in options] == ["A", "B"]
            for part in ("Pros", "Cons", "Cost Impact", "Reversibility"):
                assert len(re.findall(rf"^  - {part}: \S", card, re.MULTILINE)) == 2, f"{td_id} {part}"


def test_branch_time_cards_are_pending_without_outcome():
    text = render(make_plan(stage="branch"))
    for td_id, card in cards(text).items():
        assert field(card, "Status") == "PENDING", td_id
        for name in SETTLED_FIELDS:
            assert f"**{name}**" not in card
    assert "PROVISIONAL" not in text
    assert "none yet (provisional default: Option B — Message broker with workers)" in text
    assert "0 decided, 0 provisional, 3 still open" in text


def test_card_content_quotes_evidence_recommendation_and_dependencies():
    card = cards(render(make_plan(stage="branch")))["TD002"]
    assert field(card, "Context").startswith("Every assignment notifies the assignee (FR-003).")
    assert '- **FR-003**: "System MUST notify the assignee"' in card
    assert field(card, "Decision Required") == "Where does notification work run?"
    assert field(card, "Recommendation") == "Option B — Retries and dead letters come built in."
    assert field(card, "Reversibility") == "Medium"
    assert field(card, "Depends on") == "TD001"
    assert field(card, "Review Trigger") == "After the first month in production"
    assert field(cards(render(make_plan(stage="branch")))["TD001"], "Depends on") == "none"


def test_settled_cards_record_decision_people_time_and_dependents():
    found = cards(render(make_plan()))
    voted = found["TD001"]
    assert field(voted, "Status") == "DECIDED"
    assert field(voted, "Final Decision") == "Option A — Relational tables"
    assert field(voted, "Rationale") == "2 eligible votes for A; relational fits the thread model."
    assert "**Votes** (option: eligible votes): A: 2, B: 0" in voted
    assert field(voted, "Decided by") == "alice, bob"
    assert field(voted, "Decided at") == "2026-11-04T16:00:00Z"
    dependents = field(voted, "Dependencies on this decision")
    assert dependents.startswith("TD002 depends on it;")
    assert "plan.md" in dependents and "executive-summary.md" in dependents and "decisions.md" not in dependents
    assert "T003" in dependents

    decided_by_command = found["TD003"]
    assert field(decided_by_command, "Final Decision") == "Option B — Polling every few seconds"
    assert field(decided_by_command, "Decided by") == "carol"
    assert "Votes" not in decided_by_command


def test_provisional_card_is_marked_and_names_nobody():
    card = cards(render(make_plan()))["TD002"]
    assert field(card, "Status") == "PROVISIONAL DECISION"
    assert field(card, "Final Decision") == "Option B — Message broker with workers (PROVISIONAL DECISION)"
    assert field(card, "Decided by") == "nobody answered: provisional default"
    assert "T005" in field(card, "Dependencies on this decision")


def test_settled_conflicts_and_business_questions():
    plan = make_plan(
        conflicts=[Conflict(decisions=["TD002", "TD003"], message="Workers and polling disagree.", severity="warning")],
        questions=[BusinessQuestion(question="Which export formats?", location="FR-004", why_it_matters="Shapes the export task.")],
    )
    text = render(plan)
    settled = section(text, "Already Settled")
    assert "not asked again" in settled
    assert "**Primary database** (Data): PostgreSQL. Source: Constitution II. PostgreSQL is the system of record" in settled
    assert "- **WARNING** (TD002, TD003): Workers and polling disagree." in section(text, "Conflicts")
    assert "- **FR-004**: Which export formats? — Shapes the export task." in section(text, "Questions for Business Input")
    assert text.rstrip().endswith("Shapes the export task.")


def test_without_conflicts_or_questions_one_line_each():
    text = render(make_plan())
    assert section(text, "Conflicts").strip() == "No conflict was found among the options in force or with earlier logged decisions."
    assert section(text, "Questions for Business Input").strip() == "No question needs business input."


def test_no_decisions_says_why():
    text = render(make_plan(tds=[]))
    assert "Nothing to plan here for this feature" in text
    assert "### TD" not in text


def test_the_validators_card_reader_finds_every_field():
    from bot.planning.validation.decision_cards import CARD_FIELDS as READ_FIELDS
    from bot.planning.validation.decision_cards import SETTLED_FIELDS as READ_SETTLED
    from bot.planning.validation.decision_cards import read_decisions
    from bot.planning.validation.markdown import MarkdownDoc

    for stage in ("branch", "final"):
        read = read_decisions(MarkdownDoc("decisions.md", render(make_plan(stage=stage))))
        assert read.title_line == 1
        assert not read.malformed_headings
        assert [card.id for card in read.cards] == ["TD001", "TD002", "TD003"]
        for card in read.cards:
            required = READ_FIELDS + (READ_SETTLED if card.settled else ())
            assert not [name for name in required if name not in card.fields], (stage, card.id)
            assert [option.key for option in card.options] == ["A", "B"]
            assert all(option.parts == {"Pros", "Cons", "Cost Impact"} for option in card.options)
        assert [card.status_text for card in read.cards] == (
            ["PENDING"] * 3 if stage == "branch" else ["DECIDED", "PROVISIONAL DECISION", "DECIDED"]
        )
