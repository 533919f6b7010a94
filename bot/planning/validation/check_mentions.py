"""Decisions as the other files name them: every TD where it must be named, PROVISIONAL where
(and only where) decisions.md says so, and no TD that decisions.md does not hold."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.planning.artifacts import DECISIONS, GENERATED, SPEC
from bot.planning.validation.decision_cards import TD_ID, DecisionCard
from bot.planning.validation.findings import Finding, error, warning
from bot.planning.validation.folder import PlanFolder
from bot.planning.validation.markdown import MarkdownDoc

PROVISIONAL = re.compile(r"\bPROVISIONAL\b")
OTHER_FEATURE_AFTER = re.compile(r"\s+(?:of|in|from)\s+`?\d")  # "TD003 of 002-user-accounts"


def check(folder: PlanFolder) -> Iterator[Finding]:
    decisions = folder.decisions
    if decisions is None:
        return
    cards = decisions.by_id()
    for artifact in GENERATED:
        if artifact.names_every_decision and artifact is not DECISIONS:
            doc = folder.artifact_doc(artifact)
            if doc is not None:
                yield from _names_every_decision(doc, cards)
    decisions_path = folder.artifact_path(DECISIONS)
    spec_path = folder.artifact_path(SPEC)
    for path in folder.markdown_paths:
        doc = folder.doc(path)
        if doc is None or path == spec_path:
            continue
        yield from _marked_but_not_provisional(doc, cards)
        if path != decisions_path:
            yield from _unknown_mentions(doc, cards)


def _names_every_decision(doc: MarkdownDoc, cards: dict[str, DecisionCard]) -> Iterator[Finding]:
    mentions: dict[str, list[int]] = {}
    for n, text in doc.numbered():
        for td_id in set(TD_ID.findall(text)):
            mentions.setdefault(td_id, []).append(n)
    for td_id, card in cards.items():
        lines = mentions.get(td_id)
        if not lines:
            yield error(doc.path, 1, "td-not-mentioned", f"{td_id} ({card.title}) is not mentioned")
        elif card.provisional and not any(PROVISIONAL.search(doc.unit_text(n)[1]) for n in lines):
            yield error(
                doc.path,
                lines[0],
                "td-provisional-unmarked",
                f"{td_id} is a PROVISIONAL DECISION but no mention of it here is marked PROVISIONAL",
            )


def _marked_but_not_provisional(doc: MarkdownDoc, cards: dict[str, DecisionCard]) -> Iterator[Finding]:
    reported: set[tuple[int, str]] = set()
    for n, text in doc.numbered():
        for marker in PROVISIONAL.finditer(text):
            td_id = _decision_marked(doc, n, marker.start())
            card = cards.get(td_id) if td_id else None
            if card is None or card.provisional or (n, card.id) in reported:
                continue
            reported.add((n, card.id))
            yield error(
                doc.path,
                n,
                "td-provisional-mismatch",
                f"{card.id} is marked PROVISIONAL here but is {card.status_text} in decisions.md",
            )


def _decision_marked(doc: MarkdownDoc, line: int, column: int) -> str | None:
    """The TD a PROVISIONAL mark at (line, column) refers to: the last TD named before it in the
    same line, row or bullet, else the first named after it there."""
    first, text = doc.unit_text(line)
    offset = sum(len(doc.text_of(n)) + 1 for n in range(first, line)) + column
    before = [m.group(0) for m in TD_ID.finditer(text, 0, offset)]
    if before:
        return before[-1]
    after = TD_ID.search(text, offset)
    return after.group(0) if after else None


def _unknown_mentions(doc: MarkdownDoc, cards: dict[str, DecisionCard]) -> Iterator[Finding]:
    for n, text in doc.numbered():
        for match in TD_ID.finditer(text):
            td_id = match.group(0)
            if td_id in cards or OTHER_FEATURE_AFTER.match(text, match.end()) or text[: match.start()].endswith("/"):
                continue
            yield warning(doc.path, n, "td-unknown", f"{td_id} is not a decision in decisions.md")
