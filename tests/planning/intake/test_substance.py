from __future__ import annotations

from pathlib import Path

import pytest

from bot.planning.intake import ThinSpecError, check_substance, missing_parts, parse_spec, read_spec

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "tests" / "fixtures" / "specs"
SAMPLES = REPO / ".." / "shared" / "samples"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def refusal(text: str, title: str | None = None) -> ThinSpecError:
    with pytest.raises(ThinSpecError) as caught:
        read_spec(text, title=title)
    return caught.value


def test_a_vague_one_liner_is_refused() -> None:
    error = refusal(fixture("thin-vague.md"), title="make it faster")
    assert error.missing == ["requirements", "actor_or_outcome"]
    assert isinstance(error, ValueError)
    assert str(error) == error.message


def test_the_message_says_it_was_not_planned_and_lists_only_what_is_missing() -> None:
    message = refusal(fixture("thin-vague.md"), title="make it faster").message
    assert "not" in message.casefold() and "plan" in message.casefold()
    assert "**What the system must do.**" in message
    assert "**Who it is for, or what it should achieve.**" in message
    assert "**A title.**" not in message
    assert "**A description.**" not in message
    assert "## Requirements" in message  # suggests the sections of a spec


def test_an_empty_body_is_refused() -> None:
    for body in ("", "   \n\n", "<!-- nothing here -->\n", "## Summary\n\n## Requirements\n"):
        error = refusal(body, title="Dark mode")
        assert error.missing == ["body"], body
        assert "**A description.**" in error.message


def test_no_title_and_no_body() -> None:
    error = refusal("")
    assert error.missing == ["title", "body"]
    assert "**A title.**" in error.message


def test_an_unfilled_spec_kit_template_is_refused() -> None:
    error = refusal(fixture("thin-template.md"))
    assert error.missing[:2] == ["title", "requirements"]


def test_text_without_a_requirement_like_statement_is_refused() -> None:
    error = refusal("Our dashboard is slow.", title="Dashboard")
    assert "requirements" in error.missing


@pytest.mark.parametrize(
    "name",
    ["current-format.md", "legacy-format.md", "freeform-issue.md", "short-real.md", "freeform-german.md", "freeform-japanese.md"],
)
def test_real_specs_pass(name: str) -> None:
    spec = read_spec(fixture(name), title="A feature")
    assert spec.requirements


def test_a_french_issue_with_a_few_bullets_passes() -> None:
    text = (
        "## Besoin\n\n- Afficher la liste des factures impayées\n- Filtrer la liste par client et par mois\n"
        "- Envoyer un rappel automatique après l'échéance\n"
    )
    assert len(read_spec(text, title="Relances de factures").requirements) == 3


def test_parse_spec_never_refuses_and_check_substance_does() -> None:
    spec = parse_spec("make it faster")
    assert missing_parts(spec) == ["requirements", "actor_or_outcome"]
    with pytest.raises(ThinSpecError):
        check_substance(spec)


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared samples are not in this checkout")
def test_samples() -> None:
    issues = SAMPLES / "issues"
    refusal((issues / "too-thin.md").read_text(encoding="utf-8"), title="Performance")
    read_spec((issues / "realtime-notifications.md").read_text(encoding="utf-8"), title="Real-time notifications")
    read_spec((SAMPLES / "expense-approvals" / "spec.md").read_text(encoding="utf-8"))


def test_an_english_narrative_that_asks_for_nothing_is_refused() -> None:
    text = (
        "Right now our customers email support whenever an invoice is wrong. Support then fixes the invoice "
        "by hand in the billing tool and sends a corrected copy. This takes a day on average."
    )
    assert refusal(text, title="Invoice corrections").missing == ["requirements"]


def test_a_spec_larger_than_planbot_plans_from_is_refused_before_parsing() -> None:
    import time

    from bot.planning.intake import MAX_SPEC_CHARS, SpecTooLargeError, read_spec

    started = time.monotonic()
    with pytest.raises(SpecTooLargeError, match="Split the feature"):
        read_spec("- The system MUST work.\n" * (MAX_SPEC_CHARS // 20))
    assert time.monotonic() - started < 1
