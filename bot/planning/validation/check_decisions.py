"""decisions.md: the title, and each decision card complete and consistent with the others."""

from __future__ import annotations

from collections.abc import Iterator

from bot.planning.artifacts import DECISIONS
from bot.planning.decisions import Category, Reversibility
from bot.planning.validation.decision_cards import (
    CARD_FIELDS,
    OPTION_KEY_REF,
    OPTION_PARTS,
    SETTLED_FIELDS,
    TD_ID,
    DecisionCard,
)
from bot.planning.validation.findings import Finding, error, warning
from bot.planning.validation.folder import PlanFolder

MIN_OPTIONS = 2
STATUS_TEXT = "PENDING, DECIDED, PROVISIONAL DECISION or BLOCKED"


def check(folder: PlanFolder) -> Iterator[Finding]:
    decisions = folder.decisions
    if decisions is None:
        return
    path = folder.artifact_path(DECISIONS)
    if decisions.title_line is None:
        yield error(path, 1, "decisions-title", "no `# TECHNICAL DECISIONS REQUIRED for <feature>` title")
    for line in decisions.malformed_headings:
        yield error(path, line, "td-heading", "decision heading is not `### TD001: <Category> - <Title>`")
    yield from _numbering(path, decisions.cards)
    known = {card.id for card in decisions.cards}
    for card in decisions.cards:
        yield from _card(path, card, known)


def _numbering(path: str, cards: list[DecisionCard]) -> Iterator[Finding]:
    """Ids are TD001…TDn: no id twice, none skipped (cards may be ordered by impact)."""
    seen: set[int] = set()
    for card in cards:
        if card.number in seen:
            yield error(path, card.line, "td-duplicate", f"{card.id} is used by more than one decision")
        seen.add(card.number)
    if not seen:
        return
    for missing in sorted(set(range(1, max(seen) + 1)) - seen):
        after = min((c for c in cards if c.number > missing), key=lambda c: c.number)
        yield error(path, after.line, "td-gap", f"TD{missing:03d} is missing: decision ids must run without gaps")


def _card(path: str, card: DecisionCard, known: set[str]) -> Iterator[Finding]:
    if card.category is None:
        yield error(path, card.line, "td-heading", f"{card.id} heading is not `### {card.id}: <Category> - <Title>`")
    elif card.category not in {c.value for c in Category}:
        allowed = ", ".join(c.value for c in Category)
        yield error(path, card.line, "td-category", f"{card.id} category {card.category!r} is not one of {allowed}")
    required = CARD_FIELDS + (SETTLED_FIELDS if card.settled else ())
    missing = [name for name in required if name not in card.fields]
    if missing:
        names = ", ".join(f"**{name}**" for name in missing)
        yield error(path, card.line, "td-field-missing", f"{card.id} lacks {names}")
    if "Status" in card.fields and card.status is None:
        yield error(path, card.field_line("Status"), "td-status", f"{card.id} status is not {STATUS_TEXT}")
    yield from _options(path, card)
    reversibility = card.fields.get("Reversibility")
    if reversibility is not None:
        word = reversibility.value.strip(" *_").split(" ", 1)[0].rstrip(".,;:")
        if word not in {r.value for r in Reversibility}:
            yield error(path, reversibility.line, "td-reversibility", f"{card.id} reversibility is not Easy, Medium or Hard")
    depends = card.fields.get("Depends on")
    if depends is not None:
        for other in TD_ID.findall(depends.text):
            if other == card.id:
                yield error(path, depends.line, "td-depends-unknown", f"{card.id} depends on itself")
            elif other not in known:
                yield error(path, depends.line, "td-depends-unknown", f"{card.id} depends on {other}, which is not in decisions.md")


def _options(path: str, card: DecisionCard) -> Iterator[Finding]:
    if "Options" not in card.fields:
        return
    if len(card.options) < MIN_OPTIONS:
        yield error(
            path, card.field_line("Options"), "td-options", f"{card.id} lists {len(card.options)} option(s); at least {MIN_OPTIONS} `- Option X:` lines are needed"
        )
    keys: set[str] = set()
    for option in card.options:
        if option.key in keys:
            yield error(path, option.line, "td-option-duplicate", f"{card.id} lists Option {option.key} twice")
        keys.add(option.key)
        missing = [part for part in OPTION_PARTS if part not in option.parts]
        if missing:
            yield error(
                path, option.line, "td-option-incomplete", f"{card.id} Option {option.key} lacks {', '.join(missing)}"
            )
    for name in ("Recommendation", "Final Decision"):
        named = card.fields.get(name)
        if named is None or not keys:
            continue
        refs = OPTION_KEY_REF.findall(named.text)
        if not refs:
            yield warning(path, named.line, "td-option-ref", f"{card.id} {name} does not name an option (`Option X`)")
        for key in refs:
            if key not in keys:
                yield error(path, named.line, "td-option-ref", f"{card.id} {name} names Option {key}, which is not listed")
