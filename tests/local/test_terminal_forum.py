"""The terminal forum: each decision in turn, answered at the prompt."""

from __future__ import annotations

import io

from rich.console import Console

from bot.local.terminal import TerminalForum
from bot.planning.decisions import Category, Impact, Option, Reversibility, TechnicalDecision


def decision(number: int, recommendation: str = "A") -> TechnicalDecision:
    return TechnicalDecision(
        id=f"TD{number:03d}",
        topic=f"topic-{number}",
        category=Category.INTEGRATION,
        title=f"Decision {number}",
        context="FR-001 asks for it.",
        question="Which way?",
        options=[
            Option(key=key, title=f"Way {key}", pros=["good"], cons=["bad"], cost_impact="low")
            for key in ("A", "B", "C")
        ],
        recommendation=recommendation,
        recommendation_reasoning="it is the easiest to undo",
        impact=Impact.HIGH,
        impact_on_implementation="shapes the API",
        reversibility=Reversibility.EASY,
        review_trigger="after launch",
    )


def ask(answers: str, decisions: list[TechnicalDecision]) -> tuple[list, str]:
    screen = io.StringIO()
    forum = TerminalForum(Console(file=screen, width=120), "Ana", stream=io.StringIO(answers))
    return forum.collect(decisions), screen.getvalue()


def test_each_decision_is_shown_and_answered_in_turn() -> None:
    choices, screen = ask("b\nB is cheaper for us\nskip\n\n\n", [decision(1), decision(2), decision(3, "C")])
    assert "Decision 1 of 3" in screen and "TD002: Integration - Decision 2" in screen
    first, third = choices
    assert (first.decision_id, first.option, first.rationale, first.decided_by) == ("TD001", "B", "B is cheaper for us", ["Ana"])
    # TD002 was skipped: nothing is returned for it, so the engine makes it provisional
    assert third.decision_id == "TD003" and third.option == "C"  # Enter takes the recommendation
    assert third.rationale.startswith("Took the recommendation: it is the easiest to undo")


def test_an_unknown_option_is_asked_again() -> None:
    choices, screen = ask("Z\nA\n\n", [decision(1, "B")])
    assert [c.option for c in choices] == ["A"]
    assert "Please select one of the available options" in screen
