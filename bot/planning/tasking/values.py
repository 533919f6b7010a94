"""The values tasks.md and dependencies.md render beside `plan`. The templates reach them through
`plan.tasks.markdown_values(plan)` and `plan.tasks.dependency_values(plan)`, so rendering them
needs nothing but the plan.

tasks.md gets the execution order, the critical path, the parallel groups, the requirement
coverage and what testing, deployment and monitoring cover; dependencies.md gets the dependency
graph of phases, decisions, entities and external systems, and the external services,
libraries, infrastructure and skills the plan relies on.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

from bot.planning.content.compliance import compliance
from bot.planning.decisions import Category, TechnicalDecision
from bot.planning.content.integrations import ExternalSystem, external_systems
from bot.planning.memo import per_plan
from bot.planning.mentions import named_in
from bot.planning.layout import UNDECIDED, detect_language, stated_frameworks
from bot.planning.plan import Plan
from bot.planning.spec import MetricKind, Requirement
from bot.planning.tasking.drafts import migration_order
from bot.planning.tasking.polish import Signal, monitoring_signals
from bot.planning.tasking.rules import Concern, concern_of, evidence_ids, stems, test_first_rule, unique
from bot.planning.tasks import MVP_MARK, POLISH, Phase, Task
from bot.planning.content.technologies import FoundTechnology, TechKind, technologies_in_force
from bot.planning.timeline import FOCUS_FACTOR, WORK_DAYS_PER_WEEK, weekly_capacity

_PERFORMANCE_KINDS = frozenset({MetricKind.LATENCY, MetricKind.THROUGHPUT, MetricKind.CONCURRENCY,
                                MetricKind.AVAILABILITY, MetricKind.DURATION, MetricKind.PERCENTAGE})
_CAPACITY_KINDS = frozenset({MetricKind.CONCURRENCY, MetricKind.THROUGHPUT, MetricKind.POPULATION, MetricKind.SIZE,
                             MetricKind.RETENTION, MetricKind.AVAILABILITY, MetricKind.REGIONS})


# -- tasks.md -----------------------------------------------------------------------------


class PhaseOrder(BaseModel):
    phase: Phase
    after: list[Phase]  # the phases that must finish first


class ParallelGroup(BaseModel):
    phase: Phase
    tasks: list[Task]


class RequirementCoverage(BaseModel):
    requirement: Requirement
    tasks: list[Task]
    phases: list[str]  # short phase names


class Figure(BaseModel):
    """A figure the spec states that a test proves."""

    source: str  # "SC-002"
    statement: str
    figures: list[str]  # the figures as written
    tasks: list[str]  # ids of the tasks that test it


class TasksValues(BaseModel):
    test_first: str | None  # the constitution rule that demands tests first
    provisional: list[str]  # TD ids of PROVISIONAL DECISIONS
    order: list[PhaseOrder]
    delivery_order: list[PhaseOrder]  # the entries of `order` for the delivery phases
    side_by_side: list[Phase]  # delivery phases that need nothing but the foundation
    critical_path: list[Task]
    critical_days: float
    parallel: list[ParallelGroup]
    coverage: list[RequirementCoverage]
    contract_tests: list[Task]
    integration_tests: list[Task]
    performance_tests: list[Task]
    security_tests: list[Task]
    figures: list[Figure]
    rollback_tables: list[str]  # tables in the order their migrations are rolled back
    deployment_decisions: list[TechnicalDecision]
    signals: list[Signal]
    observability_rules: list[tuple[str, str]]
    focus_factor: float
    days_per_week: int
    weekly_capacity: float


def short_phase(phase: Phase) -> str:
    """`Phase 3: User Story 1 - Borrow an item (Priority: P1) 🎯 MVP` -> `Phase 3 (US1)`."""
    number = phase.title.split(":", 1)[0]
    return f"{number} ({phase.story})" if phase.story else number


def _tests_under(tasks: list[Task], root: str, kind: str) -> list[Task]:
    prefix = f"{root}/{kind}/"
    return [t for t in tasks if t.path and t.path.startswith(prefix)]


def _figures(plan: Plan, tasks: list[Task]) -> list[Figure]:
    out: list[Figure] = []
    sources = [(r.id, r.text, r.metrics) for r in plan.spec.requirements]
    sources += [(sc.id, sc.text, sc.metrics) for sc in plan.spec.success_criteria]
    for source, statement, metrics in sources:
        figures = [m.text for m in metrics if m.kind in _PERFORMANCE_KINDS]
        if not figures:
            continue
        testing = _task_mentions(plan).tasks_naming.get(source, [])
        out.append(Figure(source=source, statement=statement, figures=figures, tasks=testing))
    return out


def tasks_markdown_values(plan: Plan) -> TasksValues:
    """Everything tasks.md.j2 renders beyond the phases and their tasks."""
    task_plan = plan.tasks
    tasks = task_plan.tasks()
    by_key = {p.key: p for p in task_plan.phases}
    needs = task_plan.phase_dependencies()
    direct = direct_prerequisites(needs)
    order = [PhaseOrder(phase=p, after=[by_key[k] for k in direct[p.key]]) for p in task_plan.phases]
    delivery = task_plan.delivery_phases()
    delivering = {p.key for p in delivery}
    foundation = set(by_key) - delivering - {POLISH}
    side_by_side = [p for p in delivery if set(needs[p.key]) <= foundation]
    path = task_plan.critical_path()
    coverage = task_plan.coverage()
    by_id = {t.id: t for t in tasks}
    owner = {t.id: p for p in task_plan.phases for t in p.tasks}
    rows = [
        RequirementCoverage(
            requirement=r,
            tasks=[by_id[i] for i in coverage.get(r.id, [])],
            phases=unique(short_phase(owner[i]) for i in coverage.get(r.id, [])),
        )
        for r in plan.spec.requirements
    ]
    root = plan.layout.test_root
    constitution = plan.context.constitution
    observability = [
        (label, text) for label, text in (constitution.rules() if constitution else [])
        if re.search(r"observab|\blogs?\b|logging|tracing|traces|metrics|telemetry", f"{label} {text}", re.I)
    ]
    return TasksValues(
        test_first=test_first_rule(plan.context),
        provisional=[td.id for td in plan.analysis.decisions if td.provisional],
        order=order,
        delivery_order=[o for o in order if o.phase.key in delivering],
        side_by_side=side_by_side,
        critical_path=path,
        critical_days=round(sum(t.effort_days for t in path), 2),
        parallel=[ParallelGroup(phase=p, tasks=[t for t in p.tasks if t.parallel]) for p in task_plan.phases
                  if any(t.parallel for t in p.tasks)],
        coverage=rows,
        contract_tests=_tests_under(tasks, root, "contract"),
        integration_tests=_tests_under(tasks, root, "integration"),
        performance_tests=_tests_under(tasks, root, "performance"),
        security_tests=_tests_under(tasks, root, "security"),
        figures=_figures(plan, tasks),
        rollback_tables=[e.table for e in reversed(migration_order(plan.data_model.entities))],
        deployment_decisions=[td for td in plan.analysis.decisions
                              if td.category is Category.DEPLOYMENT or concern_of(td) is Concern.DEPLOYMENT],
        signals=monitoring_signals(plan.spec, plan.analysis.decisions, plan.layout),
        observability_rules=observability,
        focus_factor=FOCUS_FACTOR,
        days_per_week=WORK_DAYS_PER_WEEK,
        weekly_capacity=weekly_capacity(plan.team_size),
    )


# -- dependencies.md ----------------------------------------------------------------------


NodeKind = Literal["phase", "decision", "entity", "external"]


class GraphNode(BaseModel):
    key: str  # unique, made Mermaid-safe by the template's mermaid_id filter
    label: str
    kind: NodeKind


class GraphEdge(BaseModel):
    source: str
    target: str
    dotted: bool = False  # a decision or an external system shaping a phase, not a hard ordering


class ExternalService(BaseModel):
    name: str
    needed_for: list[str]  # the statements that need it
    sources: list[str]
    details: list[str] = Field(default_factory=list)  # clarification answers
    protocols: list[str] = Field(default_factory=list)
    decisions: list[str] = Field(default_factory=list)
    failure_modes: list[str] = Field(default_factory=list)  # edge cases about it
    phases: list[str] = Field(default_factory=list)


class Library(BaseModel):
    name: str
    version: str | None  # as a manifest or the constitution states it; None: to be verified
    source: str
    purpose: str


class InfrastructureNeed(BaseModel):
    name: str
    need: str
    sources: list[str]


class SkillNeed(BaseModel):
    skill: str
    why: str
    sources: list[str] = Field(default_factory=list)


class DecisionReach(BaseModel):
    decision: TechnicalDecision
    phases: list[str]  # short names of the phases whose tasks carry it
    tasks: int


class DependencyValues(BaseModel):
    reach: list[DecisionReach]
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    services: list[ExternalService]
    libraries: list[Library]
    infrastructure: list[InfrastructureNeed]
    skills: list[SkillNeed]


def _phase_label(phase: Phase) -> str:
    title = phase.title.replace(MVP_MARK, "(MVP)").strip()
    return re.sub(r"\s+", " ", title)


def _transitive_reduction(edges: dict[str, list[str]]) -> dict[str, list[str]]:
    """Keep a → c only when no other path leads from a to c."""
    order = _topological_order(edges)
    if order is None:
        return _reduction_by_search(edges)
    bit = {node: 1 << place for place, node in enumerate(order)}
    below: dict[str, int] = {}  # node -> the nodes reachable from it, as bits
    for node in reversed(order):
        mask = 0
        for child in edges.get(node, []):
            mask |= bit[child] | below[child]
        below[node] = mask
    out: dict[str, list[str]] = {}
    for a, targets in edges.items():
        # in a graph without cycles no node reaches itself, so a child reached from any child of
        # `a` is reached by another path
        via_children = 0
        for child in targets:
            via_children |= below[child]
        out[a] = [c for c in targets if not via_children & bit[c]]
    return out


def _topological_order(edges: dict[str, list[str]]) -> list[str] | None:
    """Every node, each before the nodes its edges lead to; None when the edges make a cycle."""
    nodes = list(dict.fromkeys([*edges, *(c for targets in edges.values() for c in targets)]))
    incoming = dict.fromkeys(nodes, 0)
    for targets in edges.values():
        for child in targets:
            incoming[child] += 1
    ready = [n for n in nodes if incoming[n] == 0]
    order: list[str] = []
    while ready:
        node = ready.pop()
        order.append(node)
        for child in edges.get(node, []):
            incoming[child] -= 1
            if incoming[child] == 0:
                ready.append(child)
    return order if len(order) == len(nodes) else None


def _reduction_by_search(edges: dict[str, list[str]]) -> dict[str, list[str]]:
    """The reduction of a graph with cycles: a search from each edge's other children."""

    def reachable(start: str, skip: str) -> set[str]:
        seen: set[str] = set()
        todo = [n for n in edges.get(start, []) if n != skip]
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo.extend(edges.get(node, []))
        return seen

    return {a: [c for c in targets if c not in reachable(a, c)] for a, targets in edges.items()}


def direct_prerequisites(needs: dict[str, list[str]]) -> dict[str, list[str]]:
    """Phase dependencies without the ones another prerequisite already implies."""
    forward: dict[str, list[str]] = {key: [] for key in needs}
    for other, before in needs.items():
        for key in dict.fromkeys(before):
            if key in forward:
                forward[key].append(other)
    reduced = {key: set(targets) for key, targets in _transitive_reduction(forward).items()}
    return {key: [k for k in needs[key] if key in reduced.get(k, ())] for key in needs}


def _model_phase(plan: Plan, entity_name: str) -> str | None:
    path = plan.layout.source_path(plan.layout.models_dir, entity_name)
    return _phase_by_path(plan).get(path)


@per_plan
def _phase_by_path(plan: Plan) -> dict[str, str]:
    """The path a task touches -> the key of the first phase with a task that touches it."""
    out: dict[str, str] = {}
    for phase in plan.tasks.phases:
        for task in phase.tasks:
            if task.path is not None:
                out.setdefault(task.path, phase.key)
    return out


class _TaskMentions:
    """The ids each task names in its description, read once per plan."""

    def __init__(self, phases: list[Phase]) -> None:
        self.tasks_naming: dict[str, list[str]] = {}  # id -> the tasks whose description names it, in order
        self.phase_ids: dict[str, set[str]] = {}  # phase key -> its story and the ids its tasks implement or name
        for phase in phases:
            ids = self.phase_ids.setdefault(phase.key, set())
            if phase.story:
                ids.add(phase.story)
            for task in phase.tasks:
                named = named_in(task.description)
                for name in named:
                    self.tasks_naming.setdefault(name, []).append(task.id)
                ids.update(named, task.requirements)


@per_plan
def _task_mentions(plan: Plan) -> _TaskMentions:
    return _TaskMentions(plan.tasks.phases)


def _phases_of(plan: Plan, ids: set[str]) -> list[str]:
    """Keys of the phases whose tasks implement or name any of these requirement, criterion or story ids."""
    phase_ids = _task_mentions(plan).phase_ids
    return [phase.key for phase in plan.tasks.phases if phase_ids[phase.key] & ids]


def _graph(plan: Plan, systems: list[ExternalSystem]) -> tuple[list[GraphNode], list[GraphEdge]]:
    nodes: list[GraphNode] = []
    edges: list[GraphEdge] = []
    phases = plan.tasks.phases
    needs = plan.tasks.phase_dependencies()
    for phase in phases:
        nodes.append(GraphNode(key=f"phase_{phase.key}", label=_phase_label(phase), kind="phase"))
    for prerequisite, dependents in _transitive_reduction(
        {p.key: [q.key for q in phases if p.key in needs[q.key]] for p in phases}
    ).items():
        edges += [GraphEdge(source=f"phase_{prerequisite}", target=f"phase_{d}") for d in dependents]
    for td in plan.analysis.decisions:
        mark = " (PROVISIONAL DECISION)" if td.provisional else ""
        nodes.append(GraphNode(key=f"td_{td.id}", label=f"{td.id}: {td.effective.title}{mark}", kind="decision"))
        for other in td.depends_on:
            edges.append(GraphEdge(source=f"td_{other}", target=f"td_{td.id}"))
        shaped = [p for p in phases if any(td.id in t.decisions for t in p.tasks)]
        if shaped:  # the first phase it shapes cannot start before it is settled; the table lists the rest
            edges.append(GraphEdge(source=f"td_{td.id}", target=f"phase_{shaped[0].key}", dotted=True))
    for entity in plan.data_model.entities:
        nodes.append(GraphNode(key=f"entity_{entity.name}", label=f"{entity.name} ({entity.table})", kind="entity"))
        home = _model_phase(plan, entity.name) or ("foundational" if plan.tasks.phase("foundational") else None)
        if home:
            edges.append(GraphEdge(source=f"entity_{entity.name}", target=f"phase_{home}"))
    for index, system in enumerate(systems, start=1):
        key = f"ext_{index}"
        nodes.append(GraphNode(key=key, label=system.label, kind="external"))
        first = next(iter(_phases_of(plan, set(system.sources))), None)
        if first is not None:
            edges.append(GraphEdge(source=key, target=f"phase_{first}", dotted=True))
    known = {n.key for n in nodes}
    return nodes, [e for e in edges if e.source in known and e.target in known]


def _short_phases(plan: Plan, ids: set[str]) -> list[str]:
    keys = set(_phases_of(plan, ids))
    return [short_phase(p) for p in plan.tasks.phases if p.key in keys]


def _services(plan: Plan, systems: list[ExternalSystem], found: list[FoundTechnology]) -> list[ExternalService]:
    out: list[ExternalService] = []
    for system in systems:
        words = stems(system.name) - {"system", "servic", "api", "platform", "provid"}
        failures = [e for e in plan.spec.edge_cases if words & stems(e)]
        cited = set(system.sources)
        decisions = unique([*system.decisions, *(td.id for td in plan.analysis.decisions
                                                   if evidence_ids(td) & cited and td.category is Category.INTEGRATION)])
        out.append(ExternalService(
            name=system.label, needed_for=system.quotes, sources=system.sources, details=system.details,
            protocols=[p for p in system.protocols if p.lower() not in system.label.lower()], decisions=decisions, failure_modes=failures,
            phases=_short_phases(plan, cited),
        ))
    named = " ".join(s.name.lower() for s in out)
    has_identity = any(s.identity for s in systems)
    for tech in found:
        if tech.kind is TechKind.IDENTITY and has_identity:
            continue
        if tech.kind in (TechKind.EMAIL, TechKind.CHAT, TechKind.IDENTITY) and tech.name.lower() not in named:
            cited = set(tech.sources)
            out.append(ExternalService(
                name=tech.name, needed_for=[f"{tech.kind.value} for the feature"], sources=tech.sources,
                decisions=tech.decisions,
                phases=_short_phases(plan, cited),
            ))
    return out


def _libraries(plan: Plan, found: list[FoundTechnology]) -> list[Library]:
    context = plan.context
    stack = context.stack
    language = detect_language(context, plan.analysis.decisions)
    out: list[Library] = []
    if language.name != UNDECIDED:
        out.append(Library(name=language.name, version=language.version, source=language.source,
                           purpose="implementation language"))
    names: set[str] = {language.name.lower()}
    for framework in stated_frameworks(context, plan.analysis.decisions):
        out.append(Library(name=framework.name, version=framework.version, source=framework.source,
                           purpose="application framework"))
        names.add(framework.name.lower())
    kinds = {TechKind.FRAMEWORK: "application framework", TechKind.JOB_QUEUE: "background jobs",
             TechKind.REALTIME: "realtime delivery", TechKind.OBSERVABILITY: "observability"}
    for tech in found:
        if tech.kind in kinds and tech.name.lower() not in names:
            out.append(Library(name=tech.name, version=tech.version, source=", ".join(tech.sources),
                               purpose=kinds[tech.kind] + (" (PROVISIONAL DECISION)" if tech.provisional else "")))
            names.add(tech.name.lower())
    for tool in stack.test_tools:
        if tool.lower() not in names:
            out.append(Library(name=tool, version=stack.version_of(tool), source="Stack", purpose="tests"))
            names.add(tool.lower())
    for dep in stack.dependencies:
        if dep.name.lower() not in names:
            out.append(Library(name=dep.name, version=dep.version, source=dep.source, purpose="existing dependency"))
            names.add(dep.name.lower())
    return out


_INFRA_KINDS: dict[TechKind, str] = {
    TechKind.DATABASE: "system of record",
    TechKind.CACHE: "cache",
    TechKind.OBJECT_STORAGE: "file storage",
    TechKind.BROKER: "message broker",
    TechKind.SEARCH: "search index",
    TechKind.SECRETS: "secret storage",
}
_TRAIT_NEEDS: tuple[tuple[str, str], ...] = (
    ("long-running-worker", "worker processes deployed and scaled beside the web process"),
    ("long-lived-connection", "proxies and load balancers configured for long-lived connections, with fan-out "
                              "across instances"),
    ("short-lived-compute", "a functions runtime with its time limits"),
    ("serverless", "a functions runtime with its time limits"),
    ("extra-infrastructure", "one more service to run, secure and back up in every environment"),
    ("uses-primary-database", "headroom in the primary database for the extra load"),
    ("multi-region", "deployment in several regions"),
    ("container", "a container runtime"),
)


def _infrastructure(plan: Plan, found: list[FoundTechnology]) -> list[InfrastructureNeed]:
    out: list[InfrastructureNeed] = []
    tables = [e.table for e in plan.data_model.entities]
    for tech in found:
        if tech.kind in _INFRA_KINDS:
            version = f" {tech.version}" if tech.version else " (version to be verified)"
            need = _INFRA_KINDS[tech.kind]
            if tech.kind is TechKind.DATABASE and tables:
                need += f" for {len(tables)} tables ({', '.join(tables)})"
            out.append(InfrastructureNeed(name=f"{tech.name}{version}", need=need, sources=tech.sources))
    for td in plan.analysis.decisions:
        traits = " ".join(td.effective.traits).lower()
        for fragment, need in _TRAIT_NEEDS:
            if fragment in traits:
                mark = " — PROVISIONAL DECISION" if td.provisional else ""
                out.append(InfrastructureNeed(name=f"{td.effective.title} ({td.id}{mark})", need=need, sources=[td.id]))
    figures = [m for m in plan.spec.metrics() if m.kind in _CAPACITY_KINDS]
    if figures:
        out.append(InfrastructureNeed(
            name="Capacity and availability",
            need="sized for " + "; ".join(f"{m.text} ({m.source})" if m.source else m.text for m in figures),
            sources=unique(m.source for m in figures if m.source),
        ))
    stack = plan.context.stack
    if stack.containerised:
        files = [m for m in stack.manifests if re.search(r"dockerfile|compose", m, re.I)]
        out.append(InfrastructureNeed(name="Container build", need="images built in CI and run in every environment",
                                      sources=files or ["Stack"]))
    named = " ".join(n.name.lower() for n in out)
    for service in stack.services:
        if service.lower() not in named:
            out.append(InfrastructureNeed(name=service, need="local service from the compose file", sources=["Stack"]))
    return out


_SKILLS: dict[TechKind, str] = {
    TechKind.DATABASE: "schema design, migrations and query tuning",
    TechKind.CACHE: "cache design and invalidation",
    TechKind.OBJECT_STORAGE: "object storage access control and lifecycle rules",
    TechKind.IDENTITY: "sign-in flows and token validation",
    TechKind.EMAIL: "transactional email delivery and bounces",
    TechKind.CHAT: "chat platform APIs and their rate limits",
    TechKind.BROKER: "broker operations and delivery guarantees",
    TechKind.JOB_QUEUE: "background job design: retries and idempotency",
    TechKind.REALTIME: "long-lived connections behind proxies and load balancers",
    TechKind.SEARCH: "index design and relevance tuning",
    TechKind.OBSERVABILITY: "instrumentation and dashboards",
    TechKind.SECRETS: "secret management and rotation",
}


def _skills(plan: Plan, found: list[FoundTechnology], services: list[ExternalService]) -> list[SkillNeed]:
    layout = plan.layout
    tasks = plan.tasks.tasks()
    out: list[SkillNeed] = []
    language = detect_language(plan.context, plan.analysis.decisions)
    frameworks = [f.name for f in stated_frameworks(plan.context, plan.analysis.decisions)]
    code = [t for t in tasks if t.path and t.path.startswith(layout.source_root)]
    if language.name == UNDECIDED:
        out.append(SkillNeed(skill="Language and framework still to be chosen",
                             why="nothing in the stack or the constitution names one; staffing follows that choice"))
    else:
        label = f"{language.name} {language.version}" if language.version else language.name
        out.append(SkillNeed(skill=f"{label}{' with ' + ', '.join(frameworks) if frameworks else ''}",
                             why=f"{len(code)} tasks write code under {layout.source_root}", sources=[language.source]))
    if layout.frontend_dir:
        ui = [t for t in tasks if t.path and t.path.startswith(layout.frontend_dir)]
        out.append(SkillNeed(skill="Front-end development", why=f"{len(ui)} screens under {layout.frontend_dir}"))
    for tech in found:
        if tech.kind in _SKILLS:
            mark = " (PROVISIONAL DECISION)" if tech.provisional else ""
            out.append(SkillNeed(skill=f"{tech.name}: {_SKILLS[tech.kind]}{mark}",
                                 why=f"named by {', '.join(tech.sources)}", sources=tech.sources))
    for service in services:
        article = "" if service.name[:1].isupper() else "the "
        out.append(SkillNeed(skill=f"Integration with {article}{service.name}",
                             why="sandbox access and credentials from the system's owners are needed before its "
                                 "tasks start", sources=service.sources))
    rule = test_first_rule(plan.context)
    if rule:
        out.append(SkillNeed(skill="Test-first development", why=f"required by {rule}", sources=[rule]))
    load = [t for t in tasks if t.path and "/performance/" in t.path]
    if load:
        out.append(SkillNeed(skill="Load and performance testing",
                             why=f"{len(load)} task{'s' if len(load) != 1 else ''} prove{'' if len(load) != 1 else 's'} "
                                 "the spec's figures", sources=[t.id for t in load]))
    for regime in compliance(plan).regimes:
        out.append(SkillNeed(skill=f"{regime.name} compliance ({regime.status})",
                             why="; ".join(q for _, q in regime.evidence[:2]) or "named in the spec",
                             sources=[s for s, _ in regime.evidence]))
    for question in plan.spec.open_questions:
        out.append(SkillNeed(skill="Business decision", why=question.question, sources=[question.location]))
    return out


def dependency_values(plan: Plan) -> DependencyValues:
    """Everything dependencies.md.j2 renders."""
    systems = external_systems(plan)
    found = technologies_in_force(plan)
    nodes, edges = _graph(plan, systems)
    services = _services(plan, systems, found)
    return DependencyValues(
        reach=[
            DecisionReach(
                decision=td,
                phases=[short_phase(p) for p in plan.tasks.phases if any(td.id in t.decisions for t in p.tasks)],
                tasks=sum(1 for t in plan.tasks.tasks() if td.id in t.decisions),
            )
            for td in plan.analysis.decisions
        ],
        nodes=nodes,
        edges=edges,
        services=services,
        libraries=_libraries(plan, found),
        infrastructure=_infrastructure(plan, found),
        skills=_skills(plan, found, services),
    )
