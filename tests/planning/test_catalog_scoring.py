"""The scoring steps the catalog's topics share: starting scores and reasons, quoting the evidence
a lean rests on, favouring what the stack already runs, and the spec readings several topics use."""

from __future__ import annotations

import pytest
from builders import context_around, fastapi_stack

from bot.planning.catalog import TOPICS_BY_KEY
from bot.planning.catalog.core import Assessment, Topic
from bot.planning.catalog.facts import subject
from bot.planning.catalog.gates import outgoing_messages
from bot.planning.catalog.scoring import (
    REDIS,
    favour_running,
    grounds,
    pushed_under_access_rules,
    stateful_entities,
)
from bot.planning.catalog.signals import rx
from bot.planning.catalog.situation import Situation
from bot.planning.spec import Attribute, Entity, Requirement, Spec
from bot.planning.stack import Stack

REGIONS = TOPICS_BY_KEY["multi-region"]


def _topic(**fields: object) -> Topic:
    return Topic(key="test", category=REGIONS.category, prose=REGIONS.prose, trigger=lambda s: [], assess=lambda s, a: None, **fields)


def _situation(*requirements: str, stack: Stack | None = None, entities: list[Entity] | None = None) -> Situation:
    spec = Spec(
        title="Scoring",
        format="spec-kit",
        requirements=[Requirement(id=f"FR-{n:03d}", text=text) for n, text in enumerate(requirements, start=1)],
        entities=entities or [],
    )
    return Situation(context_around(spec, "010-scoring", stack=stack or Stack()))


def test_options_start_from_the_topics_prior_and_reasons() -> None:
    why = "One region keeps one primary."
    assessment = Assessment(_topic(prior={"single-region": 2, "active-active": 0.5}, reasons={"single-region": why}))
    assert assessment.scores == {"single-region": 2.0, "primary-with-read-regions": 0.0, "active-active": 0.5}
    assert assessment.notes["single-region"] == [why]
    assessment.favour("single-region", 1, why)
    assert assessment.scores["single-region"] == 3.0
    assert assessment.notes["single-region"] == [why]


def test_a_prior_or_reason_for_an_unknown_option_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown options"):
        _topic(prior={"two-regions": 1})
    with pytest.raises(ValueError, match="unknown options"):
        _topic(reasons={"two-regions": "No such option."})


def test_subject_agrees_with_how_many_ids_there_are() -> None:
    assert subject(["FR-001"], "asks", "ask") == "FR-001 asks"
    assert subject(["FR-001", "FR-001"], "asks", "ask") == "FR-001 asks"
    assert subject(["FR-001", "US4"], "asks", "ask") == "FR-001 and US4 ask"


def test_grounds_quotes_the_first_sentence_and_returns_every_id() -> None:
    situation = _situation("Agents chat with customers.", "Nothing here.", "Managers can chat too.")
    assessment = Assessment(_topic())
    assert grounds(situation, assessment, rx(r"\bchat\b")) == ["FR-001", "FR-003"]
    assert [(e.source, e.quote) for e in assessment.evidence] == [("FR-001", "Agents chat with customers.")]
    assert grounds(situation, assessment, rx(r"\bfax\b")) == []
    assert len(assessment.evidence) == 1


def test_what_the_stack_already_runs_is_favoured_with_its_source() -> None:
    with_redis = _situation("Anything.", stack=fastapi_stack(("redis", "5.0")))
    assessment = Assessment(_topic())
    favour_running(with_redis, assessment, REDIS, "single-region", 1.5, adds="a shared cache")
    assert assessment.scores["single-region"] == 1.5
    assert assessment.notes["single-region"] == ["redis is already running (Stack: pyproject.toml), so a shared cache adds no new system."]
    assert assessment.pros["single-region"] == ["redis is already in the stack (Stack: pyproject.toml)."]

    quiet = Assessment(_topic())
    favour_running(with_redis, quiet, REDIS, "active-active", 1, pro=False)
    assert quiet.scores["active-active"] == 1.0
    assert quiet.notes["active-active"] == [] and quiet.pros["active-active"] == []

    untouched = Assessment(_topic())
    favour_running(_situation("Anything.", stack=fastapi_stack(("asyncpg", None))), untouched, REDIS, "single-region", 1)
    assert untouched.scores["single-region"] == 0.0 and untouched.pros["single-region"] == []


def test_access_rules_about_pushed_updates_and_notifications_are_found() -> None:
    situation = _situation(
        "Only managers see their direct reports.",
        "Notifications must not expose ticket contents to agents without access to that queue.",
        "Live updates are visible only to the ticket's assignee.",
    )
    assert [s.source for s in pushed_under_access_rules(situation)] == ["FR-002", "FR-003"]


def test_entities_with_listed_states_are_stateful() -> None:
    report = Entity(name="Report", attributes=[Attribute(name="status", values=["Draft", "Submitted"])])
    note = Entity(name="Note", attributes=[Attribute(name="text")])
    assert [e.name for e in stateful_entities(_situation("Anything.", entities=[note, report]))] == ["Report"]


def test_outgoing_messages_are_notifications_sent_on_a_server_channel() -> None:
    situation = _situation("Notify the approver by e-mail.", "Show a notification badge in the header.", "Alert the team on Slack.")
    assert [e.source for e in outgoing_messages(situation)] == ["FR-001", "FR-003"]
