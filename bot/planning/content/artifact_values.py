"""The values the research, quickstart, performance, security and testing templates render beside
`plan`: one function, `artifact_values(plan)`, computes them all once, each under its template's key.

    values = artifact_values(plan)
    render_template("research.md.j2", plan=plan, **values)
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from bot.planning.artifacts import PERFORMANCE, QUICKSTART, RESEARCH, SECURITY, TESTING
from bot.planning.content.compliance import Compliance, compliance
from bot.planning.contracts import InterfaceKind, Operation
from bot.planning.datamodel import EntityModel
from bot.planning.decisions import Category, Option, SettledDecision, TechnicalDecision
from bot.planning.content.dev_environment import DevEnvironment, dev_environment
from bot.planning.content.hot_queries import HotQuery, hot_queries, is_http_operation
from bot.planning.content.integrations import ExternalSystem, external_systems
from bot.planning.content.performance import PerformancePlan, Target, caching_in_force, performance_plan, uses_cache
from bot.planning.plan import Plan
from bot.planning.risks import Risk
from bot.planning.spec import UserStory
from bot.planning.content.technologies import FoundTechnology, TechKind, of_kind, technologies_in_force
from bot.planning.content.testing_plan import Journey, Strategy, plan_testing
from bot.planning.content.threat_model import AUTH_WORDS, Threat, ThreatModel, personal_values, threat_model
from bot.planning.content.toolchain import Toolchain, performance_tool, toolchain

# Template keys, one per artifact this module serves.
RESEARCH_KEY = "research"
QUICKSTART_KEY = "quickstart"
PERFORMANCE_KEY = "performance"
SECURITY_KEY = "security"
TESTING_KEY = "testing"

# The `##` sections each artifact must hold: one per bullet the planning method lists for it
# (research.md adds the limitations of an offline run).
SECTIONS: dict[str, tuple[str, ...]] = {
    RESEARCH.name: (
        "Analysis Summary", "Architecture Patterns and Recommendations", "Technology Stack Evaluation",
        "Performance Considerations and Benchmarks", "Security Analysis and Recommendations",
        "Integration Strategy with Existing Systems", "Risk Assessment and Mitigation", "Alternatives Considered",
        "Research Limitations",
    ),
    QUICKSTART.name: (
        "Development Environment Setup", "Required Tools and Versions", "Configuration File Examples",
        "Sample Code Snippets", "Common Development Workflows", "Testing Instructions and Examples",
        "Debugging Tips and Tools", "Troubleshooting Guide",
    ),
    PERFORMANCE.name: (
        "Load Testing Strategy and Tools", "Performance Benchmarks and Targets", "Optimization Opportunities Identified",
        "Caching and CDN Strategies", "Database Query Optimization Plans", "Resource Scaling Strategies",
    ),
    SECURITY.name: (
        "Threat Model and Attack Vectors", "Authentication and Authorization Strategy", "Data Encryption Requirements",
        "Security Testing Checklist", "Compliance Requirements", "Security Monitoring and Incident Response",
    ),
    TESTING.name: (
        "Unit Testing Approach and Coverage Targets", "Integration Testing Scenarios", "End-to-End Testing Workflows",
        "Performance Testing Benchmarks", "Security Testing Requirements", "Test Data Management Strategy",
        "CI/CD Pipeline Testing Stages",
    ),
}

_AUDIT = re.compile(r"\baudit", re.IGNORECASE)
_OBSERVABILITY = re.compile(r"observab|structured log|\blogs?\b|metrics|tracing|traces", re.IGNORECASE)
_ENCRYPT = re.compile(r"encrypt", re.IGNORECASE)
_FIELD_LEVEL = re.compile(r"field|column|application[- ]level|envelope|crypto-?shred|per-person key", re.IGNORECASE)


class Pattern(BaseModel):
    """An architecture pattern the plan applies, and why (decisions, statements or the data model)."""

    key: str
    name: str
    sources: list[str] = Field(default_factory=list)
    decisions: list[TechnicalDecision] = Field(default_factory=list)


class Alternative(BaseModel):
    decision: TechnicalDecision
    option: Option


class ResearchValues(BaseModel):
    perf_tool: str  # what measures the figures: load tool, command timer or benchmark harness
    figures: list[Target]
    decisions_by_category: list[tuple[str, list[TechnicalDecision]]]
    patterns: list[Pattern]
    technologies: list[FoundTechnology]
    to_verify: list[str]
    toolchain: Toolchain
    performance: PerformancePlan
    threats: ThreatModel
    compliance: Compliance
    escalated: list[Risk]
    systems: list[ExternalSystem]
    channels: list[FoundTechnology]
    other_integration_decisions: list[TechnicalDecision]  # integration TDs no named system accounts for
    alternatives: list[Alternative]


class QuickstartValues(BaseModel):
    perf_tool: str  # what measures the figures: load tool, command timer or benchmark harness
    toolchain: Toolchain
    env: DevEnvironment
    stories: list[UserStory]
    systems: list[ExternalSystem]
    realtime: list[FoundTechnology]
    story_commands: list[tuple[str, str]]  # (story id, command)
    cached: bool  # a cache sits in front of the system of record


class PerformanceValues(BaseModel):
    perf_tool: str  # what measures the figures: load tool, command timer or benchmark harness
    plan: PerformancePlan
    toolchain: Toolchain
    hot_queries: list[HotQuery]
    journeys: list[Journey]
    served: bool  # an HTTP or event interface: load tests apply
    realtime: list[FoundTechnology]
    caches: list[FoundTechnology]
    cdn_static: bool  # a browser front end serves static assets
    cdn_files: list[str]  # entities whose files are downloaded
    indexed_entities: list[EntityModel]
    systems: list[ExternalSystem]
    persistent: bool  # the entities live in a datastore (else only in memory for one run)


class OperationCheck(BaseModel):
    """The authorisation check one operation needs."""

    operation: Operation
    scope: str  # "record": addressed by id; "action": a verb on one record; "collection": a list; "create"
    params: list[str] = Field(default_factory=list)  # the path parameters that name records
    action: str = ""  # the verb segment of an action, e.g. "approve"


class FieldProtection(BaseModel):
    entity: str
    table: str
    fields: list[str]


class Encryption(BaseModel):
    in_transit: list[str]
    at_rest: list[FoundTechnology]
    personal_fields: list[FieldProtection]  # values that are a person's data, per table
    field_level: bool  # the application encrypts those fields itself (else the storage layer does)
    rules: list[tuple[str, str]]  # constitution rules on encryption
    decisions: list[TechnicalDecision]  # decisions on encryption


class SecurityValues(BaseModel):
    threats: ThreatModel
    compliance: Compliance
    encryption: Encryption
    escalated: list[Risk]
    identity: list[FoundTechnology]
    secrets: list[FoundTechnology]
    checks: list[OperationCheck]
    settled_sign_in: list[SettledDecision]  # security questions the constitution or log already answers
    settled_other: list[SettledDecision]
    signals: list[Threat]  # threats with something for monitoring to watch
    observability_rules: list[tuple[str, str]]
    observability: list[FoundTechnology]
    systems: list[ExternalSystem]
    toolchain: Toolchain


class TestingValues(BaseModel):
    perf_tool: str  # what measures the figures: load tool, command timer or benchmark harness
    strategy: Strategy
    toolchain: Toolchain
    performance: PerformancePlan
    threats: ThreatModel
    story_commands: list[tuple[str, str]]


def _by_category(plan: Plan) -> list[tuple[str, list[TechnicalDecision]]]:
    return [
        (category.value, [td for td in plan.analysis.decisions if td.category is category])
        for category in Category
        if any(td.category is category for td in plan.analysis.decisions)
    ]


def _sources_of(techs: list[FoundTechnology]) -> list[str]:
    return [source for tech in techs for source in tech.sources]


def _patterns(plan: Plan, found: list[FoundTechnology], systems: list[ExternalSystem]) -> list[Pattern]:
    """The patterns the decisions in force name, then those the data model and interfaces call for."""
    decisions = {td.id: td for td in plan.analysis.decisions}

    def pattern(key: str, name: str, sources: list[str], techs: list[FoundTechnology]) -> Pattern:
        chosen = {d: decisions[d] for tech in techs for d in tech.decisions if d in decisions}
        return Pattern(key=key, name=name, sources=list(dict.fromkeys(sources)), decisions=list(chosen.values()))

    out = [pattern(t.key, t.name, t.sources, [t]) for t in of_kind(found, TechKind.PATTERN)]
    machines = [e.name for e in plan.data_model.entities if e.state_machine]
    if machines:
        out.append(pattern("state-machine", "Explicit state machine with guarded transitions", machines, []))
    audited = [source for source, text in plan.context.spec.statements() if _AUDIT.search(text)]
    if audited:
        out.append(pattern("audit-log", "Append-only audit log", audited, []))
    jobs = of_kind(found, TechKind.JOB_QUEUE, TechKind.BROKER)
    if jobs or plan.layout.jobs_dir:
        sources = _sources_of(jobs) or [plan.layout.jobs_dir or ""]
        out.append(pattern("background-jobs", "Background jobs off the request path", sources, jobs))
    realtime = of_kind(found, TechKind.REALTIME)
    if realtime or InterfaceKind.EVENTS in plan.contracts.kinds:
        sources = _sources_of(realtime) or [e.name for e in plan.contracts.events]
        out.append(pattern("realtime", "Server push of state changes", sources, realtime))
    storage = of_kind(found, TechKind.OBJECT_STORAGE)
    if storage:
        name = "Files in object storage, metadata in the database"
        out.append(pattern("object-storage", name, _sources_of(storage), storage))
    if uses_cache(plan):
        sources = [td.id for td in caching_in_force(plan)] or [e.name for e in plan.data_model.entities if e.caching]
        out.append(pattern("cache", "Cache in front of the system of record", sources, of_kind(found, TechKind.CACHE)))
    if systems:
        sources = [source for system in systems for source in system.sources]
        out.append(pattern("integration-adapter", "An adapter per external system", sources, []))
    if InterfaceKind.CLI in plan.contracts.kinds:
        out.append(pattern("thin-cli", "Thin command layer over a testable core", [plan.layout.source_root], []))
    return out


def _alternatives(plan: Plan) -> list[Alternative]:
    return [
        Alternative(decision=td, option=option)
        for td in plan.analysis.decisions
        for option in td.options
        if option.key != td.effective.key
    ]


def _escalated(plan: Plan, area: str | None = None) -> list[Risk]:
    return [r for r in plan.risks if r.escalate and (area is None or r.area == area)]


def _story_commands(plan: Plan, tools: Toolchain) -> list[tuple[str, str]]:
    return [(s.id, tools.test_story.replace("{story}", s.id)) for s in plan.context.spec.stories_by_priority()]


_KIND_SCOPES = {"list": "collection", "create": "create", "upload": "create", "action": "action", "run": "create",
                "get": "record", "update": "record", "delete": "record", "download": "record"}


def _check(operation: Operation, collections: set[str]) -> OperationCheck:
    """Which check an operation needs, from the contract's operation kind when it gives one, else
    from the path; `collections` holds the tables' names as path segments."""
    params = re.findall(r"\{(\w+)\}", operation.path)
    segments = [p for p in operation.path.strip("/").split("/") if p]
    if operation.kind in _KIND_SCOPES:
        scope = _KIND_SCOPES[operation.kind]
    elif segments and segments[-1].startswith("{"):
        scope = "record"
    elif operation.method.lower() == "get":
        scope = "collection"
    elif params and len(segments) >= 2 and segments[-2].startswith("{") and segments[-1] not in collections:
        scope = "action"  # POST /things/{id}/approve: an action on one record
    else:
        scope = "create"
    if scope in ("record", "action") and not params:
        scope = "collection" if operation.method.lower() == "get" else "create"
    action = segments[-1] if scope == "action" and segments and not segments[-1].startswith("{") else ""
    return OperationCheck(operation=operation, scope=scope, params=params, action=action or "act on")


def _encryption(plan: Plan, found: list[FoundTechnology], systems: list[ExternalSystem]) -> Encryption:
    kinds = set(plan.contracts.kinds)
    transit: list[str] = []
    if InterfaceKind.HTTP in kinds:
        transit.append("the HTTP API (TLS 1.2 or later, HSTS)")
    if InterfaceKind.EVENTS in kinds:
        transit.append("realtime and event connections (wss:// or https:// only)")
    transit += [f"calls to the {s.label}" for s in systems]
    connected = of_kind(found, TechKind.DATABASE, TechKind.CACHE, TechKind.BROKER, TechKind.EMAIL, TechKind.CHAT)
    transit += [f"{t.name} connections" for t in connected]
    constitution = plan.context.constitution
    rules = [(label, text) for label, text in (constitution.rules() if constitution else []) if _ENCRYPT.search(text)]
    decisions = [td for td in plan.analysis.decisions if _ENCRYPT.search(f"{td.topic} {td.title} {td.effective.title}")]
    fields = [
        FieldProtection(entity=e.name, table=e.table, fields=personal_values(e))
        for e in plan.data_model.entities
        if personal_values(e)
    ]
    storage_level = bool(decisions) and not any(
        _FIELD_LEVEL.search(f"{td.effective.title} {td.effective.summary}") for td in decisions
    )
    return Encryption(
        in_transit=transit,
        at_rest=of_kind(found, TechKind.DATABASE, TechKind.OBJECT_STORAGE, TechKind.CACHE, TechKind.SEARCH),
        personal_fields=fields, field_level=bool(fields) and not storage_level, rules=rules, decisions=decisions,
    )


class _Shared(BaseModel):
    """What several artifacts read, computed once per plan."""

    found: list[FoundTechnology]
    tools: Toolchain
    perf_tool: str
    systems: list[ExternalSystem]
    perf: PerformancePlan
    threats: ThreatModel
    compliance: Compliance
    strategy: Strategy
    story_commands: list[tuple[str, str]]


def _shared(plan: Plan) -> _Shared:
    found = technologies_in_force(plan)
    tools = toolchain(plan)
    systems = external_systems(plan)
    threats = threat_model(plan, found)
    return _Shared(
        found=found, tools=tools, perf_tool=performance_tool(plan, tools), systems=systems,
        perf=performance_plan(plan), threats=threats, compliance=compliance(plan),
        strategy=plan_testing(plan, tools, found, systems, threats), story_commands=_story_commands(plan, tools),
    )


def _research(plan: Plan, sh: _Shared) -> ResearchValues:
    return ResearchValues(
        perf_tool=sh.perf_tool,
        figures=sh.perf.targets,
        decisions_by_category=_by_category(plan),
        patterns=_patterns(plan, sh.found, sh.systems),
        technologies=[t for t in sh.found if t.kind is not TechKind.PATTERN],
        to_verify=[t.name for t in sh.found if t.technology.versioned and t.version is None],
        toolchain=sh.tools,
        performance=sh.perf,
        threats=sh.threats,
        compliance=sh.compliance,
        escalated=_escalated(plan),
        systems=sh.systems,
        channels=[
            t for t in of_kind(sh.found, TechKind.IDENTITY, TechKind.EMAIL, TechKind.CHAT)
            if not (t.kind is TechKind.IDENTITY and any(s.identity for s in sh.systems))
        ],
        other_integration_decisions=[
            td for td in plan.analysis.decisions
            if td.category is Category.INTEGRATION and not any(td.id in s.decisions for s in sh.systems)
        ],
        alternatives=_alternatives(plan),
    )


def _quickstart(plan: Plan, sh: _Shared) -> QuickstartValues:
    return QuickstartValues(
        perf_tool=sh.perf_tool,
        toolchain=sh.tools,
        env=dev_environment(plan, sh.tools, sh.found, sh.systems),
        stories=plan.context.spec.stories_by_priority(),
        systems=sh.systems,
        realtime=of_kind(sh.found, TechKind.REALTIME),
        story_commands=sh.story_commands,
        cached=sh.perf.cached,
    )


def _performance(plan: Plan, sh: _Shared) -> PerformanceValues:
    entities = plan.data_model.entities
    return PerformanceValues(
        perf_tool=sh.perf_tool,
        plan=sh.perf,
        toolchain=sh.tools,
        hot_queries=hot_queries(plan),
        journeys=sh.strategy.journeys,
        served=bool(set(plan.contracts.kinds) & {InterfaceKind.HTTP, InterfaceKind.EVENTS}),
        realtime=of_kind(sh.found, TechKind.REALTIME),
        caches=of_kind(sh.found, TechKind.CACHE),
        cdn_static=plan.layout.frontend_dir is not None,
        cdn_files=[e.name for e in entities if any(f.type == "file" for f in e.fields)],
        indexed_entities=[e for e in entities if e.indexes],
        systems=sh.systems,
        persistent=bool(of_kind(sh.found, TechKind.DATABASE)) or bool(plan.context.stack.databases),
    )


def _security(plan: Plan, sh: _Shared) -> SecurityValues:
    constitution = plan.context.constitution
    rules = constitution.rules() if constitution else []
    tables = [e.table for e in plan.data_model.entities]
    collections = set(tables) | {t.replace("_", "-") for t in tables}
    settled = [d for d in plan.analysis.settled if d.category is Category.SECURITY]
    return SecurityValues(
        threats=sh.threats,
        compliance=sh.compliance,
        encryption=_encryption(plan, sh.found, sh.systems),
        escalated=_escalated(plan, "security"),
        identity=of_kind(sh.found, TechKind.IDENTITY),
        secrets=of_kind(sh.found, TechKind.SECRETS),
        checks=[_check(op, collections) for op in plan.contracts.operations if is_http_operation(op)],
        settled_sign_in=[d for d in settled if AUTH_WORDS.search(f"{d.title} {d.decision}")],
        settled_other=[d for d in settled if not AUTH_WORDS.search(f"{d.title} {d.decision}")],
        signals=[t for t in sh.threats.threats if t.signal],
        observability_rules=[(label, text) for label, text in rules if _OBSERVABILITY.search(f"{label} {text}")],
        observability=of_kind(sh.found, TechKind.OBSERVABILITY),
        systems=sh.systems,
        toolchain=sh.tools,
    )


def _testing(plan: Plan, sh: _Shared) -> TestingValues:
    return TestingValues(
        perf_tool=sh.perf_tool, strategy=sh.strategy, toolchain=sh.tools, performance=sh.perf,
        threats=sh.threats, story_commands=sh.story_commands,
    )


def artifact_values(plan: Plan) -> dict[str, object]:
    """Every value the five templates need, computed once: `{"research": ResearchValues, ...}`."""
    shared = _shared(plan)
    return {
        RESEARCH_KEY: _research(plan, shared),
        QUICKSTART_KEY: _quickstart(plan, shared),
        PERFORMANCE_KEY: _performance(plan, shared),
        SECURITY_KEY: _security(plan, shared),
        TESTING_KEY: _testing(plan, shared),
    }
