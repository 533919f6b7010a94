"""The STRIDE threat model built from the plan's data and interfaces."""

from __future__ import annotations

from artifact_plan_factory import cli_plan, web_plan

from bot.planning.contracts import InterfaceKind
from bot.planning.content.threat_model import Stride, Surface, threat_model


def titles(model) -> set[str]:
    return {t.title for t in model.threats}


def test_web_plan_covers_every_stride_category():
    model = threat_model(web_plan())
    assert all(count > 0 for count in model.stride_counts().values())
    assert model.browser_sessions


def test_threats_are_numbered_in_severity_order_and_traced():
    model = threat_model(web_plan())
    assert [t.id for t in model.threats] == [f"TH{i:02d}" for i in range(1, len(model.threats) + 1)]
    severities = [t.severity for t in model.threats]
    assert severities == sorted(severities)
    for threat in model.threats:
        assert threat.test and threat.mitigation and threat.asset and threat.vector
    traced = [t for t in model.threats if t.surface is not Surface.CLI]
    assert all(t.sources for t in traced)


def test_threats_come_from_the_data():
    model = threat_model(web_plan())
    personal = next(t for t in model.threats if t.surface is Surface.DATA)
    assert personal.stride is Stride.INFORMATION_DISCLOSURE
    assert "full_name, email, phone" in personal.asset
    assert "Constitution: Security Requirements" in personal.sources  # its encryption rule is cited
    money = next(t for t in model.threats if t.surface is Surface.MONEY)
    assert "stipend" in money.asset
    workflow = next(t for t in model.threats if t.surface is Surface.WORKFLOW)
    assert "Requested→Confirmed" in workflow.mitigation
    assert len(model.by_surface(Surface.FILES)) == 3
    assert model.by_surface(Surface.AUDIT)[0].sources[0] == "FR-006"


def test_threats_come_from_the_interfaces():
    model = threat_model(web_plan())
    idor = next(t for t in model.threats if t.title == "Access to another user's Signup by id")
    assert "confirmSignup" in idor.sources and "FR-003" in idor.sources
    assert "FR-003" in idor.mitigation  # the spec's access rule is enforced
    realtime = model.by_surface(Surface.REALTIME)
    assert {t.stride for t in realtime} == {Stride.INFORMATION_DISCLOSURE, Stride.DENIAL_OF_SERVICE}
    assert any("1,500" in t.mitigation for t in realtime)
    export = next(t for t in model.threats if t.title == "Duplicated or lost exchanges with the payroll system")
    assert "outbox" in export.mitigation and "PROVISIONAL DECISION" in export.mitigation
    assert not any("exchanges with the single sign-on" in t.title for t in model.threats)  # sign-in is not an export


def test_websocket_adds_cross_site_hijacking_only_when_chosen():
    plan = web_plan()
    assert "Cross-site WebSocket hijacking" not in titles(threat_model(plan))  # SSE was chosen
    realtime = next(td for td in plan.analysis.decisions if td.id == "TD002")
    realtime.outcome.option = "B"
    plan = plan.model_copy(deep=True)  # a new plan: derived facts are memoised per plan object
    assert "Cross-site WebSocket hijacking" in titles(threat_model(plan))


def test_cli_plan_has_no_web_threats():
    model = threat_model(cli_plan())
    surfaces = {t.surface for t in model.threats}
    assert surfaces == {Surface.CLI, Surface.SUPPLY_CHAIN}
    assert not model.browser_sessions
    assert Stride.SPOOFING.value not in {t.stride.value for t in model.threats}


def test_api_without_front_end_has_no_session_threats():
    plan = web_plan()
    plan.layout = plan.layout.model_copy(update={"frontend_dir": None, "project_type": "web service"})
    model = threat_model(plan)
    assert not model.by_surface(Surface.WEB_SESSION)
    assert model.by_surface(Surface.HTTP_API)


def test_library_threats():
    plan = cli_plan()
    plan.contracts.kinds = [InterfaceKind.LIBRARY]
    assert {t.surface for t in threat_model(plan).threats} == {Surface.LIBRARY, Surface.SUPPLY_CHAIN}


def test_access_and_auth_statements_are_quoted():
    model = threat_model(web_plan())
    assert ("FR-003", "Coordinators MUST only see signups for their own shifts.") in model.access_rules
    assert [s for s, _ in model.auth_statements] == ["FR-007"]
    assert [td.id for td in model.security_decisions] == ["TD003"]


def test_inbound_webhook_adds_a_forged_callback_threat():
    plan = web_plan()
    plan.context.spec.requirements.append(
        plan.context.spec.requirements[0].model_copy(
            update={"id": "FR-010", "text": "System MUST receive status webhooks from the payroll system."}
        )
    )
    assert "Forged callbacks from the payroll system" in titles(threat_model(plan))
