"""The testing strategy's values: coverage target, what unit tests cover, integration scenarios from
the acceptance scenarios, end-to-end journeys per story, fixtures per entity and the CI stages."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from bot.planning.contracts import ContractFile, InterfaceKind
from bot.planning.content.integrations import ExternalSystem
from bot.planning.content.performance import EVENT_WORDS
from bot.planning.plan import Plan
from bot.planning.spec import AcceptanceScenario, UserStory
from bot.planning.content.technologies import FoundTechnology, TechKind, of_kind
from bot.planning.content.threat_model import ThreatModel
from bot.planning.content.toolchain import Toolchain

SECRET_SCAN = "gitleaks detect --source ."
DAST_SCAN = "zap-baseline.py -t $STAGING_URL"  # the OWASP ZAP baseline scan
PROPOSED_COVERAGE = 80  # percent of lines in domain and service code, proposed when the repository sets none
_TEST_FIRST = re.compile(r"test[- ]first|\btdd\b|test[- ]driven|failing test", re.IGNORECASE)
_COVERAGE = re.compile(r"(\d{2,3})\s*%\s*(?:line |branch )?(?:test )?coverage|coverage[^.\d]{0,40}?(\d{2,3})\s*%", re.IGNORECASE)
_CONTRACT_TESTS = re.compile(r"contract tests?", re.IGNORECASE)
_SERVICE_KINDS = (TechKind.DATABASE, TechKind.CACHE, TechKind.OBJECT_STORAGE, TechKind.BROKER, TechKind.SEARCH)


class CoverageTarget(BaseModel):
    percent: int
    source: str | None  # the constitution rule that sets it; None when proposed


class Scenario(BaseModel):
    id: str  # "US1-AS2"
    story: str
    scenario: AcceptanceScenario
    operations: list[str] = Field(default_factory=list)  # contract operations of the story


class Journey(BaseModel):
    story: UserStory
    operations: list[str] = Field(default_factory=list)
    events: list[str] = Field(default_factory=list)


class Fixture(BaseModel):
    entity: str
    factory: str  # "make_employee" / "makeEmployee"
    personal_fields: list[str] = Field(default_factory=list)
    file_fields: list[str] = Field(default_factory=list)
    money_fields: list[str] = Field(default_factory=list)
    states: list[str] = Field(default_factory=list)


class UnitFocus(BaseModel):
    entity: str
    transitions: int = 0
    rules: list[str] = Field(default_factory=list)  # field validation and business rules (database
    # constraints are proven by the integration tests instead)


class Stage(BaseModel):
    name: str
    commands: list[str] = Field(default_factory=list)
    when: str  # "every push", "every pull request", "nightly"
    blocking: bool = True


class Strategy(BaseModel):
    """What the testing strategy renders beside the plan."""

    test_first: str | None = None  # the constitution rule demanding it
    contract_tests_rule: str | None = None
    coverage: CoverageTarget
    unit_focus: list[UnitFocus] = Field(default_factory=list)
    scenarios: list[Scenario] = Field(default_factory=list)
    stories_without_scenarios: list[UserStory] = Field(default_factory=list)
    journeys: list[Journey] = Field(default_factory=list)  # in priority order
    contract_files: list[ContractFile] = Field(default_factory=list)
    real_services: list[FoundTechnology] = Field(default_factory=list)
    external_fakes: list[ExternalSystem] = Field(default_factory=list)
    fixtures: list[Fixture] = Field(default_factory=list)
    e2e_tool: str
    stages: list[Stage] = Field(default_factory=list)


def _constitution_rule(plan: Plan, pattern: re.Pattern[str]) -> tuple[str, str] | None:
    constitution = plan.context.constitution
    if constitution is None:
        return None
    return next(((label, text) for label, text in constitution.rules() if pattern.search(f"{label} {text}")), None)


def _coverage(plan: Plan) -> CoverageTarget:
    rule = _constitution_rule(plan, _COVERAGE)
    if rule is not None:
        found = _COVERAGE.search(f"{rule[0]} {rule[1]}")
        if found:
            return CoverageTarget(percent=int(found.group(1) or found.group(2)), source=rule[0])
    return CoverageTarget(percent=PROPOSED_COVERAGE, source=None)


def _factory_name(entity: str, tools: Toolchain) -> str:
    words = re.sub(r"(?<=[a-z0-9])([A-Z])", r" \1", entity).split()
    if tools.language in ("Python", "Ruby", "Rust"):
        return "make_" + "_".join(w.lower() for w in words)
    return "make" + "".join(w[:1].upper() + w[1:] for w in words)


def _story_events(plan: Plan, story: UserStory, requirements: set[str]) -> list[str]:
    """Events a story waits for: those serving its operations' requirements, or, when the story
    speaks of live updates, those about the entities its operations touch."""
    entities = {op.entity for op in plan.contracts.operations if op.story == story.id and op.entity}
    text = " ".join([story.title, story.description, *(sc.text for sc in story.scenarios)])
    live = EVENT_WORDS.search(text) is not None
    return [
        e.name for e in plan.contracts.events
        if set(e.requirements) & requirements or (live and e.entity in entities)
    ]


def _stages(plan: Plan, tools: Toolchain, services: list[FoundTechnology], browser: bool) -> list[Stage]:
    kinds = set(plan.contracts.kinds)
    stages = [
        Stage(name="Lint and static checks", commands=list(tools.lint), when="every push"),
        Stage(name="Unit tests with coverage", commands=[tools.coverage or tools.test_all] if tools.known else [],
              when="every push"),
    ]
    if plan.contracts.files:
        stages.append(Stage(name="Contract tests against contracts/", commands=[f.path for f in plan.contracts.files],
                            when="every pull request"))
    if services:
        stages.append(Stage(name="Integration tests with real services", commands=[s.name for s in services],
                            when="every pull request"))
    elif InterfaceKind.CLI in kinds:
        stages.append(Stage(name="Integration tests on real files", commands=[tools.test_all], when="every pull request"))
    e2e = ["Playwright"] if browser else [tools.test_tool] if tools.known else []
    stages.append(Stage(name="End-to-end tests", commands=e2e,
                        when="every pull request" if InterfaceKind.CLI in kinds else "before merge to the main branch"))
    served = bool(kinds & {InterfaceKind.HTTP, InterfaceKind.EVENTS})
    stages.append(Stage(name="Performance tests", commands=[tools.load_tool if served else tools.micro_benchmark],
                        when="nightly and before release", blocking=False))
    scans = [tools.dependency_audit, tools.sast, SECRET_SCAN]
    stages.append(Stage(name="Security scans", commands=[c for c in scans if c], when="every pull request"))
    if InterfaceKind.HTTP in kinds:
        stages.append(Stage(name="Dynamic security scan", commands=[DAST_SCAN], when="before each release, against staging"))
    return stages


def plan_testing(plan: Plan, tools: Toolchain, found: list[FoundTechnology], systems: list[ExternalSystem],
              threats: ThreatModel) -> Strategy:
    spec = plan.context.spec
    test_first = _constitution_rule(plan, _TEST_FIRST)
    contract_rule = _constitution_rule(plan, _CONTRACT_TESTS)
    ops_by_story: dict[str, list[str]] = {}
    for op in plan.contracts.operations:
        if op.story:
            ops_by_story.setdefault(op.story, []).append(op.operation_id)
    story_reqs = {s.id: set() for s in spec.stories}
    for op in plan.contracts.operations:
        if op.story in story_reqs:
            story_reqs[op.story].update(op.requirements)
    scenarios = [
        Scenario(id=f"{story.id}-AS{i}", story=story.id, scenario=sc, operations=ops_by_story.get(story.id, []))
        for story in plan.context.spec.stories_by_priority()
        for i, sc in enumerate(story.scenarios, start=1)
    ]
    journeys = [Journey(story=s, operations=ops_by_story.get(s.id, []), events=_story_events(plan, s, story_reqs[s.id]))
                for s in plan.context.spec.stories_by_priority()]
    fixtures = []
    focus = []
    for entity in plan.data_model.entities:
        fixtures.append(Fixture(
            entity=entity.name, factory=_factory_name(entity.name, tools),
            personal_fields=[f.name for f in entity.fields if f.personal_data],
            file_fields=[f.name for f in entity.fields if f.type == "file"],
            money_fields=[f.name for f in entity.fields if f.type in ("money", "decimal")],
            states=entity.state_machine.states if entity.state_machine else [],
        ))
        rules = [f"{f.name}: {r}" for f in entity.fields for r in f.validation] + list(entity.rules)
        transitions = len(entity.state_machine.transitions) if entity.state_machine else 0
        if rules or transitions:
            focus.append(UnitFocus(entity=entity.name, transitions=transitions, rules=rules))
    services = of_kind(found, *_SERVICE_KINDS)
    return Strategy(
        test_first=test_first[0] if test_first else None,
        contract_tests_rule=contract_rule[0] if contract_rule else None,
        coverage=_coverage(plan),
        unit_focus=focus,
        scenarios=scenarios,
        stories_without_scenarios=[s for s in plan.context.spec.stories_by_priority() if not s.scenarios],
        journeys=journeys,
        contract_files=plan.contracts.files,
        real_services=services,
        external_fakes=systems,
        fixtures=fixtures,
        e2e_tool="Playwright" if threats.browser_sessions else tools.test_tool,
        stages=_stages(plan, tools, services, threats.browser_sessions),
    )
