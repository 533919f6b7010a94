"""`find_conflicts` and `conflicts_with_log`."""

from __future__ import annotations

from datetime import datetime, timezone

from builders import outcome, technical_decision

from bot.planning.conflicts import RULES, conflicts_with_log, find_conflicts
from bot.planning.decision_log import DecisionLog, LogEntry, LoggedDecision
from bot.planning.decisions import Category, Option, Reversibility, TechnicalDecision

VOTED_AT = datetime(2026, 1, 1, tzinfo=timezone.utc)


def option(key: str, title: str, *traits: str) -> Option:
    return Option(key=key, title=title, pros=["p"], cons=["c"], cost_impact="low", traits=list(traits))


def td(id_: str, topic: str, options: list[Option], recommendation: str = "A", chosen: str | None = None) -> TechnicalDecision:
    return technical_decision(
        id_, topic, Category.ARCHITECTURE, topic, options, context="c", question="q?", recommendation=recommendation,
        reasoning="r", impact_on_implementation="i", reversibility=Reversibility.EASY, review_trigger="t",
        result=outcome(chosen, "voted", VOTED_AT) if chosen else None,
    )


PLATFORM = [option("A", "Containers", "long-running-processes"), option("B", "Serverless functions", "short-lived-compute")]
TRANSPORT = [option("A", "Server-Sent Events", "long-lived-connections", "eventsource-transport"),
             option("B", "WebSockets", "long-lived-connections"), option("C", "Polling", "stateless-requests")]


def test_serverless_with_websockets_is_an_error() -> None:
    found = find_conflicts([td("TD001", "deployment-platform", PLATFORM, chosen="B"),
                            td("TD002", "realtime-transport", TRANSPORT, chosen="B")])
    assert len(found) == 1
    assert found[0].severity == "error"
    assert found[0].decisions == ["TD001", "TD002"]
    assert "Serverless functions" in found[0].message and "WebSocket" in found[0].message


def test_a_compatible_set_passes() -> None:
    assert find_conflicts([td("TD001", "deployment-platform", PLATFORM, chosen="A"),
                           td("TD002", "realtime-transport", TRANSPORT, chosen="B")]) == []
    assert find_conflicts([td("TD001", "deployment-platform", PLATFORM, chosen="B"),
                           td("TD002", "realtime-transport", TRANSPORT, chosen="C")]) == []


def test_pending_decisions_are_checked_by_their_recommendation() -> None:
    found = find_conflicts([td("TD001", "deployment-platform", PLATFORM, recommendation="B"),
                            td("TD002", "realtime-transport", TRANSPORT, recommendation="A")])
    assert [c.severity for c in found] == ["error"]


def test_instance_state_with_scale_out_and_regions_clash() -> None:
    cache = td("TD003", "caching-strategy", [option("A", "In-process cache", "single-instance-state"), option("B", "None")])
    scaling = td("TD004", "horizontal-scaling", [option("A", "Replicas", "horizontal-scale-out"), option("B", "One box", "single-instance")])
    fanout = td("TD005", "connection-fanout", [option("A", "LISTEN/NOTIFY", "single-region"), option("B", "Redis")])
    regions = td("TD006", "multi-region", [option("A", "Active-active", "multi-region", "eventual-consistency"), option("B", "One region", "single-region")])
    outbox = td("TD007", "external-api-delivery", [option("A", "Outbox", "strong-consistency-required"), option("B", "Inline")])
    found = find_conflicts([cache, scaling, fanout, regions, outbox])
    pairs = {tuple(c.decisions): c.severity for c in found}
    assert pairs == {("TD003", "TD004"): "warning", ("TD005", "TD006"): "error", ("TD006", "TD007"): "error"}


def test_the_rule_table_is_small_and_explained() -> None:
    assert 6 <= len(RULES) <= 10
    assert all(rule.message.endswith(".") and rule.left and rule.right for rule in RULES)


def log_with(topic: str, decision: str) -> DecisionLog:
    return DecisionLog(entries=[LogEntry(feature="Live dashboard", branch="003-live-dashboard", decisions=[
        LoggedDecision(id="TD002", category="Architecture", topic=topic, decision=decision)])])


def test_a_different_choice_than_the_log_is_a_warning() -> None:
    decisions = [td("TD001", "realtime-transport", TRANSPORT, recommendation="A")]
    found = conflicts_with_log(decisions, log_with("realtime-transport", "Option B: WebSockets"))
    assert len(found) == 1
    assert found[0].severity == "warning"
    assert found[0].decisions == ["TD001", "log:Live dashboard/TD002"]


def test_the_same_choice_as_the_log_or_another_topic_is_fine() -> None:
    decisions = [td("TD001", "realtime-transport", TRANSPORT, recommendation="A")]
    assert conflicts_with_log(decisions, log_with("realtime-transport", "Option C: Server-Sent Events")) == []
    assert conflicts_with_log(decisions, log_with("search", "Option A: Full-text search in the primary database")) == []
