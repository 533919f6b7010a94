"""What the spec says, as citable statements: requirements, criteria, stories, edge cases, clarifications."""

from __future__ import annotations

from dataclasses import dataclass

from bot.planning.context import PlanningContext


@dataclass(frozen=True)
class Statement:
    source: str  # "FR-001", "SC-002", "US1", "Edge case", "Assumption", "C002", "Clarification"
    text: str


def statements(context: PlanningContext) -> list[Statement]:
    """Every citable statement of the spec and its clarifications."""
    spec = context.spec
    out = [Statement(source, text) for source, text in spec.statements()]
    seen = {s.text for s in out}
    for clarification in [*spec.clarifications, *context.clarifications]:
        text = f"{clarification.question} {clarification.answer}"
        if text not in seen:
            seen.add(text)
            out.append(Statement(clarification.id or "Clarification", text))
    for source, text in (("Summary", spec.summary), ("Context", context.user_context or "")):
        if text and text not in seen:
            out.append(Statement(source, text))
    return out
