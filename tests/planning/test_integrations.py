"""External systems named by the spec and the clarifications."""

from __future__ import annotations

from artifact_plan_factory import cli_plan, web_plan

from bot.planning.content.integrations import external_systems
from bot.planning.spec import Requirement


def test_systems_with_their_clarifications_protocols_and_decisions():
    systems = {s.name: s for s in external_systems(web_plan())}
    assert set(systems) == {"payroll system", "single sign-on"}
    payroll = systems["payroll system"]
    assert payroll.sources == ["FR-005", "US3"]
    assert payroll.details == ["PayFlow, through its REST API with OAuth2 client credentials (C001)"]
    assert payroll.protocols == ["REST", "OAuth2"]
    assert payroll.decisions == ["TD001"]
    assert payroll.outbound and not payroll.identity
    sso = systems["single sign-on"]
    assert sso.alias == "OIDC" and sso.identity and not sso.outbound


def test_vague_phrases_are_not_systems():
    plan = cli_plan()
    plan.context.spec.requirements = [
        Requirement(id="FR-001", text="The system MUST refuse a file; this service and the same API stay unchanged."),
        Requirement(id="FR-002", text="The tool MUST read managers from the HR directory."),
    ]
    systems = external_systems(plan)
    assert [s.name for s in systems] == ["HR directory"]
    assert not systems[0].outbound  # only read from


def test_cli_plan_has_no_systems():
    assert external_systems(cli_plan()) == []
