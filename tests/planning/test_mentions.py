"""Looking ids and entity names up by the words a text holds gives the same answers as searching
the text with one pattern per id or entity."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.planning.mentions import named_in
from bot.planning.modeling.names import name_index
from bot.planning.tasking.rules import NamePhrases, mentions

ENTITY_NAMES = ["ExpenseReport", "ExpenseLine", "Receipt", "Approval", "Category", "AuditEntry", "Policy",
                "Currency", "Analysis", "StatusChange", "Item", "Entry", "Person"]
WORDS = ["expense", "expenses", "report", "reports", "Report", "line", "lines", "receipt", "receipts",
         "approval", "approvals", "category", "categories", "audit", "entry", "entries", "policy",
         "policies", "analysis", "analyses", "status", "change", "changes", "ExpenseReports", "item",
         "items", "person", "people", "café", "İtem", "the", "a", "FR-001", "SC-2", "US1"]
SEPARATORS = [" ", "  ", "-", "_", "--", ", ", ". ", "/", "(", ")", "’", "—", "\n", "'"]

texts = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=12).map(
    lambda pairs: "".join(w + s for w, s in pairs)
)


@settings(max_examples=400, deadline=None)
@given(texts, st.lists(st.sampled_from(ENTITY_NAMES), min_size=1, max_size=8, unique=True))
def test_entity_mentions_match_the_patterns(text: str, names: list[str]) -> None:
    index = name_index(names)
    expected = {n.name for n in index if n.mentioned_in(text)}
    assert index.names_in(text) == expected


def test_entity_mentions_in_every_spelling() -> None:
    mentions = name_index(["ExpenseReport", "Receipt"])
    assert mentions.names_in("Each expense-report has receipts.") == {"ExpenseReport", "Receipt"}
    assert mentions.names_in("Attach to the expense_report or ExpenseReports") == {"ExpenseReport"}
    assert mentions.names_in("pre-receipt; receipt-like; expensereporting") == frozenset()


@settings(max_examples=400, deadline=None)
@given(texts, st.sampled_from(["FR-001", "SC-2", "US1", "001", "FR", "expense", "report-s"]))
def test_ids_named_match_word_bounded_search(text: str, identifier: str) -> None:
    assert (identifier in named_in(text)) == bool(re.search(rf"\b{re.escape(identifier)}\b", text))


def test_ids_inside_prefixed_ids_are_named() -> None:
    assert {"ABC-FR-001", "FR-001", "ABC"} <= named_in("see ABC-FR-001.")
    assert "FR-00" not in named_in("FR-001")


@settings(max_examples=300, deadline=None)
@given(texts, st.lists(st.sampled_from(ENTITY_NAMES + ["order_item", "Status-Change", "ABC"]), max_size=8, unique=True))
def test_stemmed_name_phrases_match_one_search_per_name(text: str, names: list[str]) -> None:
    assert NamePhrases(names).mentioned(text) == {n for n in names if mentions(text, n)}
