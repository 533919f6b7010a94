"""Compliance regimes only on evidence."""

from __future__ import annotations

from artifact_plan_factory import cli_plan, web_plan

from bot.planning.content.compliance import compliance
from bot.planning.spec import Clarification


def test_gdpr_applies_with_personal_data_of_eu_people():
    result = compliance(web_plan())
    assert result.gdpr is not None and result.gdpr.status == "applies"
    assert result.personal_entities == ["Volunteer"]
    assert [s for s, _ in result.erasure] == ["FR-009"]
    assert {r.source for r in result.retention} == {"FR-002", "Data model"}


def test_gdpr_to_confirm_with_personal_data_and_no_location():
    plan = web_plan()
    plan.context.spec.assumptions = []
    assert compliance(plan).gdpr.status == "to confirm"


def test_gdpr_named_without_personal_data_applies():
    plan = cli_plan()
    plan.context.spec.assumptions = ["Files may name people, so GDPR applies."]
    assert compliance(plan).gdpr.status == "applies"


def test_no_regime_without_evidence():
    result = compliance(cli_plan())
    assert result.regimes == [] and result.retention == [] and result.erasure == []


def test_other_regimes_need_an_explicit_mention():
    plan = web_plan()
    assert {r.name for r in compliance(plan).regimes} == {"GDPR"}
    plan.context.spec.assumptions.append("Payments follow PCI DSS; we are audited for SOC 2.")
    assert {r.name for r in compliance(plan).regimes} == {"GDPR", "PCI DSS", "SOC 2"}


def test_retention_from_clarifications():
    plan = cli_plan()
    plan.context.clarifications = [Clarification(question="Keep findings?", answer="Yes, for 90 days.", id="C7")]
    assert [(r.period, r.source) for r in compliance(plan).retention] == [("Yes, for 90 days.", "C7")]
