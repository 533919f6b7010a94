"""Settling decisions: people's choices, and the provisional default when nobody answers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.planning.analysis import Analysis
from bot.planning.decisions import DecisionChoice, DecisionStatus, Outcome, TechnicalDecision


class ChoiceError(ValueError):
    """A choice names a decision or an option that does not exist."""


def parse_choice(text: str) -> tuple[str, str]:
    """`TD001=B` (also `td1=b`, `TD001:B`) as `("TD001", "B")`."""
    for sep in ("=", ":"):
        if sep in text:
            left, right = text.split(sep, 1)
            break
    else:
        raise ChoiceError(f"'{text}' is not of the form TD001=B")
    left, right = left.strip().upper(), right.strip().upper()
    digits = left.removeprefix("TD")
    if not left.startswith("TD") or not digits.isdigit() or not right:
        raise ChoiceError(f"'{text}' is not of the form TD001=B")
    return f"TD{int(digits):03d}", right


def check_choice(analysis: Analysis, choice: DecisionChoice) -> TechnicalDecision:
    try:
        td = analysis.decision(choice.decision_id)
    except KeyError:
        known = ", ".join(d.id for d in analysis.decisions) or "none"
        raise ChoiceError(f"{choice.decision_id} is not a decision of this plan (decisions: {known})") from None
    if choice.option not in {o.key for o in td.options}:
        keys = ", ".join(o.key for o in td.options)
        raise ChoiceError(f"{td.id} has no option {choice.option} (options: {keys})")
    return td


def provisional_rationale(td: TechnicalDecision) -> str:
    return (
        f"Nobody decided, so the recommendation stands as a PROVISIONAL DECISION: "
        f"{td.recommendation_reasoning}"
    )


def settle(
    analysis: Analysis,
    choices: Iterable[DecisionChoice],
    now: datetime,
    *,
    close_window: bool,
) -> Analysis:
    """The analysis with `choices` applied.

    With `close_window`, every decision still open takes its recommendation as a PROVISIONAL
    DECISION, except a BLOCKED one, which waits for someone to decide it.
    """
    by_id: dict[str, DecisionChoice] = {}
    for choice in choices:
        check_choice(analysis, choice)
        by_id[choice.decision_id] = choice
    settled: list[TechnicalDecision] = []
    for td in analysis.decisions:
        choice = by_id.get(td.id)
        if choice is not None:
            status = DecisionStatus.PROVISIONAL if choice.provisional else DecisionStatus.DECIDED
            outcome = Outcome(
                option=choice.option,
                rationale=choice.rationale or "No rationale given.",
                decided_by=choice.decided_by,
                decided_at=choice.decided_at or now,
                provisional=choice.provisional,
                votes=choice.votes,
            )
            td = td.model_copy(update={"status": status, "outcome": outcome})
        elif close_window and not td.decided and td.status is not DecisionStatus.BLOCKED:
            outcome = Outcome(
                option=td.recommendation,
                rationale=provisional_rationale(td),
                decided_at=now,
                provisional=True,
            )
            td = td.model_copy(update={"status": DecisionStatus.PROVISIONAL, "outcome": outcome})
        settled.append(td)
    return analysis.model_copy(update={"decisions": settled})


def reopen(analysis: Analysis, decision_ids: Iterable[str]) -> Analysis:
    """The analysis with the named decisions back to PENDING (after a conflict among the choices)."""
    ids = set(decision_ids)
    return analysis.model_copy(
        update={
            "decisions": [
                td.model_copy(update={"status": DecisionStatus.PENDING, "outcome": None}) if td.id in ids else td
                for td in analysis.decisions
            ]
        }
    )
