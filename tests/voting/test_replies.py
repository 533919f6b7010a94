"""Reading commands and quote-replies from comments."""

from __future__ import annotations

from bot.replies import Approve, Decide, Replan, intents


def test_decide_lines_name_a_decision_an_option_and_why() -> None:
    assert intents("/decide TD002 B because we already run Postgres") == [
        Decide(decision_id="TD002", option="B", rationale="because we already run Postgres")]
    assert intents("thanks!\n/decide td3 c\n/decide TD-004: a - cheaper") == [
        Decide(decision_id="TD003", option="C"), Decide(decision_id="TD004", option="A", rationale="cheaper")]


def test_commands_in_quotes_and_code_blocks_are_text() -> None:
    assert intents("> /decide TD002 B\nI disagree") == []
    assert intents("```\n/decide TD002 B\n```\n~~~\n/plan approve\n~~~") == []


def test_approve_and_replan() -> None:
    assert intents("/plan approve") == [Approve()]
    assert intents("/replan please add caching\nand say why Redis") == [
        Replan(feedback="please add caching\nand say why Redis")]


def test_a_quote_reply_naming_one_option_decides() -> None:
    body = "> ### TD002: Data - Primary datastore\n> **Context**: …\n\nOption B, we know it well."
    assert intents(body) == [Decide(decision_id="TD002", option="B", rationale="Option B, we know it well.",
                                    quoted=True)]
    assert intents("> ### TD007: Security - Secrets\n\nC: simplest to run") == [
        Decide(decision_id="TD007", option="C", rationale="simplest to run", quoted=True)]


def test_a_quote_reply_naming_no_option_or_several_decides_nothing() -> None:
    assert intents("> ### TD002: Data - Primary datastore\n\nA good question, let us talk.") == []
    assert intents("> ### TD002: Data\n\nOption A or option B, not sure") == []
    assert intents("Option B sounds good") == []  # not a reply to a decision
