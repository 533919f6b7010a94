"""The values the five templates render beside the plan."""

from __future__ import annotations

from artifact_plan_factory import cli_plan, web_plan

from bot.planning.content.artifact_values import (
    PERFORMANCE_KEY,
    QUICKSTART_KEY,
    RESEARCH_KEY,
    SECURITY_KEY,
    TESTING_KEY,
    artifact_values,
)


def test_one_key_per_template():
    values = artifact_values(web_plan())
    assert set(values) == {RESEARCH_KEY, QUICKSTART_KEY, PERFORMANCE_KEY, SECURITY_KEY, TESTING_KEY}


def test_authorisation_checks_follow_the_path_or_the_operation_kind():
    plan = web_plan()
    checks = {c.operation.operation_id: c for c in artifact_values(plan)[SECURITY_KEY].checks}
    assert checks["confirmSignup"].scope == "action" and checks["confirmSignup"].action == "confirm"
    assert checks["createSignup"].scope == "create" and checks["createSignup"].params == ["shiftId"]
    assert checks["listShifts"].scope == "collection"
    plan.contracts.operations[2].kind = "update"  # the contract says what confirmSignup does
    checks = {c.operation.operation_id: c for c in artifact_values(plan)[SECURITY_KEY].checks}
    assert checks["confirmSignup"].scope == "record"


def test_research_values_separate_systems_channels_and_patterns():
    research = artifact_values(web_plan())[RESEARCH_KEY]
    assert [c.name for c in research.channels] == ["Email (SMTP)"]  # OIDC is the sign-on system already
    assert research.other_integration_decisions == []  # TD001 is accounted for by the payroll system
    keys = [p.key for p in research.patterns]
    assert keys[:3] == ["outbox", "idempotency", "cache-aside"]  # decisions first
    assert "cache" in keys and "thin-cli" not in keys
    assert [r.title for r in research.escalated] == ["Identity documents leak"]
    assert [a.option.title for a in research.alternatives if a.decision.id == "TD002"] == ["WebSocket", "Short polling"]


def test_no_cache_pattern_when_the_caching_decision_chose_none():
    plan = web_plan()
    caching = next(td for td in plan.analysis.decisions if td.id == "TD005")
    caching.outcome.option = "B"  # "No cache"
    research = artifact_values(plan)[RESEARCH_KEY]
    assert "cache" not in [p.key for p in research.patterns]
    assert not artifact_values(plan)[PERFORMANCE_KEY].plan.cached


def test_encryption_follows_the_encryption_decision():
    plan = web_plan()
    assert artifact_values(plan)[SECURITY_KEY].encryption.field_level
    storage = web_plan().analysis.decisions[0].model_copy(deep=True)
    storage.id, storage.topic, storage.title = "TD009", "encryption-at-rest", "Encryption at rest"
    storage.options[0].title = "Encryption by the storage layer"
    plan.analysis.decisions.append(storage)
    encryption = artifact_values(plan)[SECURITY_KEY].encryption
    assert not encryption.field_level and [td.id for td in encryption.decisions] == ["TD009"]
    assert [f.fields for f in encryption.personal_fields] == [["full_name", "email", "phone"]]


def test_cli_values():
    values = artifact_values(cli_plan())
    assert values[SECURITY_KEY].checks == []
    assert [t.title for t in values[SECURITY_KEY].signals] == ["Compromised or vulnerable dependency"]
    assert values[PERFORMANCE_KEY].perf_tool == "hyperfine" and not values[PERFORMANCE_KEY].served
    assert values[QUICKSTART_KEY].story_commands == [("US1", "go test ./... -run US1")]
    assert [p.key for p in values[RESEARCH_KEY].patterns] == ["thin-cli"]
