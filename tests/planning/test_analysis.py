"""`analyse`: which decisions a spec raises, what is settled, ordering, dependencies, conflicts
with the decision log, questions for the business, and speed."""

from __future__ import annotations

import time

from _analysis_specs import (
    metric,
    approvals_constitution,
    approvals_context,
    approvals_spec,
    cli_context,
    realtime_context,
    realtime_spec,
)

from bot.planning.analysis import Analysis, analyse
from bot.planning.constitution import Constitution, Principle
from bot.planning.decision_log import DecisionLog, LogEntry, LoggedDecision
from bot.planning.decisions import Category, TechnicalDecision
from bot.planning.spec import Clarification, Entity, MetricKind, OpenQuestion, Requirement, Spec
from bot.planning.stack import Dependency, Stack


def topics(analysis: Analysis) -> set[str]:
    return {td.topic for td in analysis.decisions}


def decision(analysis: Analysis, topic: str) -> TechnicalDecision:
    return next(td for td in analysis.decisions if td.topic == topic)


# --- triggers need evidence ----------------------------------------------------------------------


def test_a_command_line_tool_gets_no_web_decisions() -> None:
    analysis = analyse(cli_context())
    raised = topics(analysis)
    for web_topic in ("realtime-transport", "authentication", "authorization-model", "deployment-platform",
                      "horizontal-scaling", "caching-strategy", "connection-fanout", "multi-region"):
        assert web_topic not in raised
    assert analysis.risks == []


def test_realtime_with_restrictive_proxies_quotes_the_proxy_constraint() -> None:
    analysis = analyse(realtime_context())
    td = decision(analysis, "realtime-transport")
    proxy = "proxies cut idle connections after 60 s"
    assert any(e.source == "FR-004" and proxy in e.quote for e in td.evidence)
    assert proxy in td.context
    assert "60 s" in td.recommendation_reasoning
    assert td.recommended.title == "Server-Sent Events"


def test_without_realtime_words_there_is_no_realtime_decision() -> None:
    spec = realtime_spec()
    spec.requirements = [r for r in spec.requirements if r.id not in ("FR-001",)]
    analysis = analyse(realtime_context(spec=spec))
    assert "realtime-transport" not in topics(analysis)
    assert "connection-fanout" not in topics(analysis)


# --- settled, not asked ------------------------------------------------------------------------


def test_the_constitution_settles_the_datastore() -> None:
    analysis = analyse(approvals_context())
    assert "primary-datastore" not in topics(analysis)
    settled = next(s for s in analysis.settled if s.topic == "primary-datastore")
    assert "II" in settled.source and "PostgreSQL" in settled.source
    assert "PostgreSQL" in settled.quote
    assert settled.decision.startswith("Relational database")


def test_without_a_constitution_the_datastore_is_asked() -> None:
    analysis = analyse(approvals_context(constitution=None))
    td = decision(analysis, "primary-datastore")
    assert td.evidence[0].source == "Key Entities"
    assert td.recommended.title.startswith("Relational database")


def test_the_stack_settles_the_datastore_and_the_platform() -> None:
    stack = Stack(
        databases=["PostgreSQL"],
        dependencies=[Dependency(name="asyncpg", version="0.29.0", source="pyproject.toml")],
        containerised=True,
        manifests=["pyproject.toml", "Dockerfile"],
    )
    analysis = analyse(approvals_context(constitution=None, stack=stack))
    settled = {s.topic: s for s in analysis.settled}
    assert settled["primary-datastore"].source == "Stack: pyproject.toml"
    assert settled["deployment-platform"].source == "Stack: Dockerfile"
    assert "primary-datastore" not in topics(analysis)
    assert "deployment-platform" not in topics(analysis)
    realtime = decision(analysis, "realtime-transport")
    assert realtime.depends_on == []  # its dependency was settled, not raised


def test_a_clarification_answer_settles_a_topic() -> None:
    answer = Clarification(id="C009", question="How should live updates reach the dashboard?", answer="Use Server-Sent Events.")
    analysis = analyse(realtime_context(clarifications=[answer]))
    assert "realtime-transport" not in topics(analysis)
    settled = next(s for s in analysis.settled if s.topic == "realtime-transport")
    assert settled.source == "Clarification C009"
    assert settled.decision == "Server-Sent Events"


def test_a_clarification_settles_by_its_answer_not_its_question() -> None:
    answer = Clarification(id="C010", question="Should live updates use WebSockets or Server-Sent Events?",
                           answer="Server-Sent Events; the proxies break WebSockets.")
    settled = next(s for s in analyse(realtime_context(clarifications=[answer])).settled if s.topic == "realtime-transport")
    assert settled.decision == "Server-Sent Events"
    undecided = Clarification(id="C011", question="Should live updates use WebSockets or Server-Sent Events?",
                              answer="Engineering will decide.")
    assert "realtime-transport" in topics(analyse(realtime_context(clarifications=[undecided])))


def test_the_users_technical_context_is_evidence() -> None:
    spec = realtime_spec()
    spec.requirements = [r for r in spec.requirements if r.id != "FR-001"]
    analysis = analyse(realtime_context(spec=spec, user_context="Agents need ticket updates in real time on their dashboards."))
    td = decision(analysis, "realtime-transport")
    assert td.evidence[0].source == "Technical Context"
    assert "Technical Context" in td.context


def test_a_batch_job_gets_no_web_decisions() -> None:
    spec = Spec(title="Nightly partner import", format="free-form", requirements=[
        Requirement(id="FR-001", text="Every night the job reads CSV files from the partner SFTP server and loads them into the warehouse."),
        Requirement(id="FR-002", text="Raw files are kept for 90 days, then purged.",
                    metrics=[metric(MetricKind.RETENTION, 90, "days", "for 90 days", "FR-002")]),
    ])
    raised = topics(analyse(cli_context(spec=spec)))
    assert raised == {"data-retention-archival"}


def test_user_context_settles_unless_it_negates() -> None:
    chosen = analyse(realtime_context(user_context="Push updates over WebSockets through the existing gateway."))
    assert next(s for s in chosen.settled if s.topic == "realtime-transport").decision == "WebSockets"
    refused = analyse(realtime_context(user_context="We cannot use WebSockets on this network."))
    assert "realtime-transport" in topics(refused)


def test_an_earlier_logged_decision_is_reused() -> None:
    log = DecisionLog(entries=[LogEntry(feature="Team directory", branch="002-team-directory", decisions=[
        LoggedDecision(id="TD002", category="Technology", topic="primary-datastore",
                       decision="Option A: Relational database (PostgreSQL)", rationale="Relations everywhere."),
    ])])
    analysis = analyse(approvals_context(constitution=None, decision_log=log))
    assert "primary-datastore" not in topics(analysis)
    settled = next(s for s in analysis.settled if s.topic == "primary-datastore")
    assert settled.source == "TD002 of 002-team-directory"
    assert analysis.conflicts == []


def test_a_logged_decision_the_new_spec_contradicts_is_raised_with_a_conflict() -> None:
    log = DecisionLog(entries=[LogEntry(feature="Support dashboard", branch="003-support-dashboard", decisions=[
        LoggedDecision(id="TD004", category="Deployment", topic="multi-region",
                       decision="Option A: One region, with backups in a second", rationale="All agents in one country."),
    ])])
    analysis = analyse(realtime_context(decision_log=log))
    td = decision(analysis, "multi-region")
    assert td.recommended.title != "One region, with backups in a second"
    assert "TD004" in td.context
    conflict = next(c for c in analysis.conflicts if td.id in c.decisions)
    assert conflict.severity == "warning"
    assert conflict.decisions == [td.id, "log:Support dashboard/TD004"]


# --- partially settled -------------------------------------------------------------------------


def test_options_against_the_constitution_need_an_amendment_and_are_not_recommended() -> None:
    constitution = Constitution(path="c.md", principles=[
        Principle(number="1", name="Data stays home", text="Personal data never leaves our own infrastructure."),
        Principle(number="2", name="One deployable", text="No microservices: every feature ships inside the main application."),
    ])
    analysis = analyse(approvals_context(constitution=constitution))
    extraction = decision(analysis, "document-extraction")
    for option in extraction.options:
        if "third-party-processor" in option.traits:
            assert any("constitution amendment" in con for con in option.cons)
            assert option.key != extraction.recommendation
    assert extraction.recommended.title == "Self-hosted open-source OCR"
    boundaries = decision(analysis, "service-boundaries")
    assert boundaries.recommended.title == "A module inside the existing application"
    separate = next(o for o in boundaries.options if "separate-deployable" in o.traits)
    assert any("constitution amendment" in con for con in separate.cons)


# --- the realistic specs -----------------------------------------------------------------------


def test_an_approval_workflow_spec_raises_the_decisions_a_senior_engineer_would() -> None:
    analysis = analyse(approvals_context())
    raised = topics(analysis)
    for expected in ("realtime-transport", "file-storage", "document-extraction", "external-api-delivery",
                     "notification-channels", "authentication", "data-erasure-vs-retention", "audit-trail",
                     "directory-sync", "exchange-rate-source", "background-processing"):
        assert expected in raised, expected
    for absent in ("search", "rate-limiting", "api-style", "primary-datastore", "service-boundaries"):
        assert absent not in raised, absent
    settled = {s.topic for s in analysis.settled}
    assert {"primary-datastore", "service-boundaries", "secrets-management"} <= settled
    delivery = decision(analysis, "external-api-delivery")
    assert delivery.recommended.title == "Transactional outbox with idempotency keys"
    assert delivery.impact.value == "High"
    assert "Clarification C001" in delivery.context


def test_a_realtime_issue_raises_transport_fanout_and_access_rules_but_no_storage() -> None:
    raised = topics(analyse(realtime_context()))
    assert {"realtime-transport", "connection-fanout", "authorization-model", "multi-region"} <= raised
    for absent in ("file-storage", "document-extraction", "authentication", "primary-datastore",
                   "external-api-delivery", "exchange-rate-source"):
        assert absent not in raised, absent


def test_every_decision_has_complete_options_and_quotes_its_evidence() -> None:
    for context in (approvals_context(), realtime_context(), approvals_context(constitution=None)):
        for td in analyse(context).decisions:
            assert 2 <= len(td.options) <= 4, td.topic
            assert [o.key for o in td.options] == ["A", "B", "C", "D"][: len(td.options)]
            for option in td.options:
                assert option.pros and option.cons and option.cost_impact, (td.topic, option.key)
            assert td.evidence, td.topic
            for evidence in td.evidence:
                assert evidence.source in td.context, (td.topic, evidence.source)
            assert td.recommendation in {o.key for o in td.options}
            assert td.reversibility is td.recommended.reversibility
            assert td.recommendation_reasoning and td.impact_on_implementation and td.review_trigger


def test_reasoning_uses_the_specs_figures() -> None:
    analysis = analyse(approvals_context())
    assert "300 ms" in decision(analysis, "caching-strategy").recommendation_reasoning
    assert "2,000" in decision(analysis, "caching-strategy").recommendation_reasoning
    assert "7 years" in decision(analysis, "data-retention-archival").recommendation_reasoning
    assert "90%" in decision(analysis, "document-extraction").recommendation_reasoning


# --- ordering and dependencies -----------------------------------------------------------------


def test_decisions_are_numbered_by_impact_then_category_then_topic() -> None:
    analysis = analyse(approvals_context())
    order = list(Category)
    keys = [(td.impact.rank, order.index(td.category), td.topic) for td in analysis.decisions]
    assert keys == sorted(keys)
    assert [td.id for td in analysis.decisions] == [f"TD{i:03d}" for i in range(1, len(analysis.decisions) + 1)]
    assert analysis.decisions[0].impact.value == "High"


def test_depends_on_names_raised_decisions_only() -> None:
    analysis = analyse(realtime_context())
    ids = {td.topic: td.id for td in analysis.decisions}
    realtime = decision(analysis, "realtime-transport")
    assert realtime.depends_on == [ids["deployment-platform"]]
    fanout = decision(analysis, "connection-fanout")
    assert ids["realtime-transport"] in fanout.depends_on
    every_id = set(ids.values())
    for td in analysis.decisions:
        assert set(td.depends_on) <= every_id


def test_the_same_input_gives_the_same_analysis() -> None:
    assert analyse(approvals_context()).model_dump() == analyse(approvals_context()).model_dump()


# --- open questions ----------------------------------------------------------------------------


def test_business_questions_are_the_non_technical_open_questions() -> None:
    spec = approvals_spec()
    spec.requirements.append(Requirement(
        id="FR-013", text="Status events MUST reach the other services [NEEDS CLARIFICATION: which message broker should carry the events?]."))
    spec.open_questions.append(OpenQuestion(question="which message broker should carry the events?", location="FR-013"))
    analysis = analyse(approvals_context(spec=spec))
    assert [q.location for q in analysis.business_questions] == ["FR-012"]
    business = analysis.business_questions[0]
    assert "FR-012" in business.why_it_matters
    assert decision(analysis, "data-erasure-vs-retention").id in business.why_it_matters
    background = decision(analysis, "background-processing")
    assert any(e.source == "FR-013" for e in background.evidence)
    assert "which message broker should carry the events?" in background.context
    assert not any("without a decision" in r.title for r in analysis.risks)


def test_a_technical_question_no_decision_covers_is_a_risk_not_a_business_question() -> None:
    spec = approvals_spec()
    spec.open_questions.append(OpenQuestion(question="which XML schema version does the tax office accept?", location="FR-014"))
    analysis = analyse(approvals_context(spec=spec))
    assert "FR-014" not in [q.location for q in analysis.business_questions]
    risk = next(r for r in analysis.risks if "without a decision" in r.title)
    assert risk.sources == ["FR-014"]


# --- speed -------------------------------------------------------------------------------------


def _scaled(copies: int):
    spec = approvals_spec()
    requirements, stories, criteria = [], [], []
    for copy in range(copies):
        requirements += [r.model_copy(update={"id": f"FR-{len(requirements) + 1:05d}"}) for r in spec.requirements]
        stories += [s.model_copy(update={"id": f"US{len(stories) + 1}"}) for s in spec.stories]
        criteria += [c.model_copy(update={"id": f"SC-{len(criteria) + 1:05d}"}) for c in spec.success_criteria]
    edges = [f"{e} (case {i})" for i, e in enumerate(spec.edge_cases * copies)]
    return spec.model_copy(update={"requirements": requirements, "stories": stories,
                                   "success_criteria": criteria, "edge_cases": edges})


def _timed(context) -> float:
    start = time.perf_counter()
    analyse(context)
    return time.perf_counter() - start


def test_analysis_is_fast_and_grows_linearly() -> None:
    analyse(approvals_context())  # compile and load once
    assert min(_timed(approvals_context()) for _ in range(3)) < 0.25
    small = min(_timed(approvals_context(spec=_scaled(5))) for _ in range(2))
    large = min(_timed(approvals_context(spec=_scaled(100))) for _ in range(2))
    assert large < small * 60  # 20 times the spec; quadratic work would take about 400 times as long
    analysis = analyse(approvals_context(spec=_scaled(100)))
    assert all(len(td.evidence) <= 16 for td in analysis.decisions)
    assert all(len(td.recommendation_reasoning) < 3000 for td in analysis.decisions)


def test_the_constitution_principles_are_cited_when_they_bear_on_a_decision() -> None:
    analysis = analyse(approvals_context(constitution=approvals_constitution()))
    caching = decision(analysis, "caching-strategy")
    assert any(e.source.startswith("Constitution") for e in caching.evidence)
    assert "Constitution" in caching.recommendation_reasoning


def test_nouns_guessed_from_a_free_form_issue_do_not_raise_a_datastore_decision() -> None:
    spec = realtime_spec()
    spec.entities = [Entity(name="Agent"), Entity(name="Ticket"), Entity(name="Queue")]
    assert "primary-datastore" not in topics(analyse(realtime_context(spec=spec)))
    spec.format = "spec-kit"
    assert "primary-datastore" in topics(analyse(realtime_context(spec=spec)))
