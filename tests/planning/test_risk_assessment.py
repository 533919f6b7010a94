"""`assess_risks`: risks from the spec's evidence and from the decisions' effective options."""

from __future__ import annotations

from datetime import datetime, timezone

from _analysis_specs import approvals_context, approvals_spec, cli_context, realtime_context

from bot.planning.analysis import analyse
from bot.planning.decisions import DecisionStatus, Outcome
from bot.planning.risk_assessment import assess_risks


def by_title(risks, fragment: str):
    return next(r for r in risks if fragment in r.title)


def test_an_approval_workflow_carries_its_evident_risks() -> None:
    context = approvals_context()
    analysis = analyse(context)
    risks = analysis.risks
    latency = by_title(risks, "Response-time")
    assert latency.area == "performance" and latency.escalate and latency.impact == "High"
    assert "SC-002" in latency.sources and "300 ms" in latency.description and "2,000" in latency.description
    erasure = by_title(risks, "Erasure")
    assert erasure.escalate and erasure.likelihood == "High"  # the retained fields are still an open question
    assert "FR-012" in erasure.sources and "which fields count" in erasure.description
    failure = by_title(risks, "fails mid-operation")
    assert "Edge case" in failure.sources
    assert by_title(risks, "Large uploads").sources[0] == "FR-002"
    assert by_title(risks, "Open questions").sources == ["FR-012"]
    for risk in risks:
        assert risk.sources and risk.mitigation and risk.description
        assert not risk.escalate or risk.area in ("performance", "security")


def test_risks_point_at_the_decisions_that_mitigate_them() -> None:
    analysis = analyse(approvals_context())
    delivery = next(td for td in analysis.decisions if td.topic == "external-api-delivery")
    failure = by_title(analysis.risks, "fails mid-operation")
    assert delivery.id in failure.sources and delivery.id in failure.mitigation


def test_a_realtime_issue_flags_proxies_and_leaks_for_escalation() -> None:
    risks = analyse(realtime_context()).risks
    proxies = by_title(risks, "proxies")
    assert proxies.escalate and "FR-004" in proxies.sources and "2 s" in proxies.description
    leaks = by_title(risks, "leaking")
    assert leaks.area == "security" and leaks.escalate and "FR-005" in leaks.sources


def test_no_evidence_no_risk() -> None:
    assert assess_risks(cli_context(), []) == []
    spec = approvals_spec()
    spec.success_criteria = [sc for sc in spec.success_criteria if sc.id not in ("SC-002", "SC-005")]
    titles = [r.title for r in assess_risks(approvals_context(spec=spec), [])]
    assert not any("Response-time" in t or "Availability" in t for t in titles)


def test_provisional_and_hard_to_reverse_choices_are_delivery_risks() -> None:
    analysis = analyse(approvals_context(constitution=None))
    datastore = next(td for td in analysis.decisions if td.topic == "primary-datastore")
    provisional = datastore.model_copy(update={
        "status": DecisionStatus.PROVISIONAL,
        "outcome": Outcome(option=datastore.recommendation, rationale="no votes", provisional=True,
                           decided_at=datetime(2026, 1, 1, tzinfo=timezone.utc)),
    })
    risks = assess_risks(approvals_context(constitution=None), [provisional])
    assert by_title(risks, "PROVISIONAL").sources == [datastore.id]
    assert by_title(risks, "Hard to reverse").area == "delivery"
    assert not any("PROVISIONAL" in r.title for r in assess_risks(approvals_context(constitution=None), [datastore]))


def test_personal_data_sent_to_a_chosen_third_party_is_escalated() -> None:
    analysis = analyse(approvals_context())
    extraction = next(td for td in analysis.decisions if td.topic == "document-extraction")
    assert "third-party-processor" in extraction.effective.traits
    risk = by_title(analysis.risks, "third party")
    assert risk.escalate and extraction.id in risk.sources


def test_risks_are_ordered_by_severity() -> None:
    rank = {"High": 0, "Medium": 1, "Low": 2}
    risks = analyse(approvals_context()).risks
    keys = [(rank[r.impact], rank[r.likelihood]) for r in risks]
    assert keys == sorted(keys)
