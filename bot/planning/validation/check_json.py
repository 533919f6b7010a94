"""JSON files parse; the decision log has its shape and agrees with decisions.md for this branch."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from bot.planning.artifacts import DECISIONS
from bot.planning.validation.decision_cards import OPTION_KEY_REF, DecisionCard
from bot.planning.validation.findings import Finding, error
from bot.planning.validation.folder import PlanFolder
from bot.planning.validation.structured import line_of_path

ENTRY_KEYS: tuple[str, ...] = ("feature", "branch", "decisions")
DECISION_KEYS: tuple[str, ...] = ("id", "category", "decision", "timestamp")
LEADING_OPTION = re.compile(r"^\W*Option\s+(?P<key>[A-Z])\b")


def check(folder: PlanFolder) -> Iterator[Finding]:
    for path in sorted(folder.files):
        if path.endswith(".json") and folder.text(path) is not None:
            parsed = folder.parsed(path)
            if parsed.error:
                yield error(path, parsed.error_line, "json-invalid", parsed.error)
    log_path = folder.log_path
    if folder.text(log_path) is None:
        return
    parsed = folder.parsed(log_path)
    if parsed.error:
        return
    text = folder.files[log_path]
    shape = list(_shape_problems(text, parsed.data))
    if shape:
        for line, message in shape:
            yield error(log_path, line, "log-format", message)
        return
    yield from _agreement(folder, text, parsed.data)


def _shape_problems(text: str, data: Any) -> Iterator[tuple[int, str]]:
    if not isinstance(data, list):
        yield 1, "the decision log is not a JSON list of entries"
        return
    for index, entry in enumerate(data):
        where = line_of_path(text, [index]) or 1
        if not isinstance(entry, Mapping):
            yield where, f"entry {index} is not an object"
            continue
        missing = [key for key in ENTRY_KEYS if key not in entry]
        if missing:
            yield where, f"entry {index} lacks {', '.join(missing)}"
        decisions = entry.get("decisions")
        if "decisions" in entry and not isinstance(decisions, list):
            yield line_of_path(text, [index, "decisions"]) or where, f"entry {index} decisions is not a list"
            continue
        for position, decision in enumerate(decisions or []):
            at = line_of_path(text, [index, "decisions", position]) or where
            if not isinstance(decision, Mapping):
                yield at, f"entry {index} decision {position} is not an object"
                continue
            missing = [key for key in DECISION_KEYS if key not in decision]
            if missing:
                yield at, f"entry {index} decision {position} lacks {', '.join(missing)}"


def _agreement(folder: PlanFolder, text: str, entries: list[Mapping[str, Any]]) -> Iterator[Finding]:
    """The newest entry for this feature's branch holds exactly decisions.md's settled TDs."""
    decisions = folder.decisions
    if decisions is None:
        return
    mine = [index for index, entry in enumerate(entries) if _same_branch(str(entry.get("branch", "")), folder.branch)]
    if not mine:
        return
    index = mine[-1]
    entry_line = line_of_path(text, [index]) or 1
    logged: dict[str, tuple[int, Mapping[str, Any]]] = {}
    for position, decision in enumerate(entries[index]["decisions"]):
        line = line_of_path(text, [index, "decisions", position, "id"]) or entry_line
        logged.setdefault(str(decision["id"]), (line, decision))
    cards = decisions.by_id()
    decisions_path = folder.artifact_path(DECISIONS)
    for card in cards.values():
        if card.settled and card.id not in logged:
            yield error(
                folder.log_path, entry_line, "log-missing-decision",
                f"{card.id} is {card.status_text} in {decisions_path} but not in this branch's log entry",
            )
    for td_id, (line, decision) in logged.items():
        card = cards.get(td_id)
        if card is None or not card.settled:
            state = "not in" if card is None else "not settled in"
            yield error(folder.log_path, line, "log-unsettled-decision", f"{td_id} is logged but {state} {decisions_path}")
            continue
        yield from _compare(folder.log_path, line, card, decision)


def _same_branch(logged: str, branch: str) -> bool:
    """The log's branch names this feature: the folder's name, or it under a branch prefix
    (`feature/004-name` when the repository's branch template adds one)."""
    return logged == branch or logged.endswith("/" + branch)


def _compare(path: str, line: int, card: DecisionCard, decision: Mapping[str, Any]) -> Iterator[Finding]:
    provisional = decision.get("provisional") is True
    if provisional != card.provisional:
        said = "provisional" if provisional else "not provisional"
        yield error(
            path, line, "log-provisional-mismatch",
            f"{card.id} is logged as {said} but decisions.md says {card.status_text}",
        )
    if card.category is not None and str(decision.get("category", "")) != card.category:
        yield error(
            path, line, "log-category-mismatch", f"{card.id} is logged as {decision.get('category')!r} but decisions.md says {card.category!r}"
        )
    logged_option = LEADING_OPTION.match(str(decision.get("decision", "")))
    final = card.fields.get("Final Decision")
    chosen = OPTION_KEY_REF.search(final.text) if final else None
    if logged_option and chosen and logged_option["key"] != chosen["key"]:
        yield error(
            path, line, "log-decision-mismatch",
            f"{card.id} is logged as Option {logged_option['key']} but decisions.md's Final Decision is Option {chosen['key']}",
        )
