"""Task drafts: the tasks of a plan while it is being built, before their ids, dependencies on
decisions and [P] marks are settled, and the estimates they start from."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from bot.planning.analysis import Analysis
from bot.planning.context import PlanningContext
from bot.planning.contracts import Contracts, EventContract, Operation
from bot.planning.datamodel import DataModel, EntityModel
from bot.planning.decisions import Reversibility, TechnicalDecision
from bot.planning.layout import ProjectLayout
from bot.planning.spec import MetricKind, Requirement, UserStory
from bot.planning.tasking.rules import (
    Concern,
    NamePhrases,
    concern_of,
    evidence_ids,
    requirement_stories,
    shorten,
    stems,
    story_text,
    test_first_rule,
    unique,
)
from bot.planning.tasks import Phase, Task, TaskPlan

# Estimates by kind of task, in ideal engineer-days; scaled below where size varies.
EFFORT_DAYS: dict[str, float] = {
    "scaffold": 0.5,
    "dependencies": 0.5,
    "tooling": 0.5,
    "config": 0.5,
    "local-services": 0.5,
    "choose-language": 1.0,
    "decision-setup": 0.5,
    "database-access": 0.5,
    "migration": 0.5,
    "auth": 1.5,
    "auth-external": 2.0,
    "errors": 0.5,
    "observability-pillar": 0.5,
    "audit": 1.0,
    "realtime-infrastructure": 2.0,
    "job-runner": 1.5,
    "file-storage": 1.0,
    "cache": 1.0,
    "search": 1.5,
    "security-control": 1.0,
    "event-publisher": 1.0,
    "integration-client": 2.0,
    "contract-test": 0.5,
    "integration-test": 0.5,
    "model": 0.5,
    "state-machine": 0.5,
    "service": 1.0,
    "write-endpoint": 1.0,
    "read-endpoint": 0.5,
    "integration": 2.0,
    "integration-hard": 3.0,
    "notification": 1.0,
    "notification-channel": 0.5,
    "realtime-push": 1.0,
    "job": 1.0,
    "file-handling": 1.0,
    "event": 0.5,
    "ui": 1.5,
    "requirement": 1.0,
    "docs": 0.5,
    "load-test": 1.5,
    "timed-check": 0.5,
    "accuracy-check": 1.0,
    "criterion-check": 0.5,
    "edge-case": 0.5,
    "security-hardening": 1.0,
    "security-tests": 1.0,
    "deployment": 1.0,
    "monitoring": 1.0,
    "code-review": 0.5,
    "scaling": 1.0,
    "performance-tuning": 1.0,
    "review-checkpoint": 0.25,
}
MIGRATION_PATH_DAYS: dict[Reversibility, float] = {
    Reversibility.EASY: 0.5,
    Reversibility.MEDIUM: 1.0,
    Reversibility.HARD: 2.0,
}
MAX_SERVICE_DAYS = 3.0

# Concerns whose decisions also attach to the tasks whose requirements their evidence cites.
LOCAL_CONCERNS = frozenset(
    {Concern.REALTIME, Concern.JOBS, Concern.STORAGE, Concern.AUTH, Concern.AUDIT, Concern.CACHE, Concern.SEARCH,
     Concern.SECURITY, Concern.PRIVACY, Concern.INTEGRATION}
)
# Concerns whose decision is one piece of infrastructure: a second decision on the same concern
# extends the task the first one created instead of building it twice.
SHARED_CONCERNS = frozenset(
    {Concern.REALTIME, Concern.JOBS, Concern.STORAGE, Concern.CACHE, Concern.SEARCH, Concern.DEPLOYMENT,
     Concern.ARCHITECTURE, Concern.API, Concern.SECURITY}
)


@dataclass(eq=False)
class Draft:
    """A task before numbering. `stage` is its step inside the phase (setup before the rest;
    tests, models, services, endpoints, screens in a story): tasks are ordered by stage, and
    [P] is decided among the tasks of one stage."""

    description: str
    phase: str
    stage: int
    effort: float
    story: str | None = None
    path: str | None = None
    requirements: list[str] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)
    depends: list[Draft] = field(default_factory=list)
    acceptance: str = ""
    finish: Callable[[], str] | None = None  # completes the description once task ids exist
    id: str = ""


@dataclass(eq=False)
class PhaseDraft:
    key: str
    title: str
    goal: str
    story: str | None = None
    priority: int | None = None
    checkpoint: str = ""
    tasks: list[Draft] = field(default_factory=list)


def ids_short(drafts: Sequence[Draft], limit: int = 6) -> str:
    ids = [d.id for d in drafts]
    return ", ".join(ids[:limit]) + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def quoted(text: str, limit: int = 110) -> str:
    return f'"{shorten(text, limit)}"'



class DraftBook:
    """The plan under construction: its phases, and what later phases look up (the task that
    put each decision in place, each entity's migration and model)."""

    def __init__(
        self,
        context: PlanningContext,
        analysis: Analysis,
        data_model: DataModel,
        contracts: Contracts,
        layout: ProjectLayout,
    ) -> None:
        self.context = context
        self.spec = context.spec
        self.analysis = analysis
        self.decisions = list(analysis.decisions)
        self.data_model = data_model
        self.contracts = contracts
        self.layout = layout
        self._operations_by_story: tuple[dict[str | None, list[int]], dict[str, list[int]]] | None = None
        self._phrases: NamePhrases | None = None
        self._entities: dict[str, EntityModel] | None = None
        self._requirements_by_story: dict[str | None, list[Requirement]] | None = None
        self._event_index: tuple[dict[str, list[int]], dict[str | None, list[int]]] | None = None
        self.concern = {td.id: concern_of(td) for td in self.decisions}
        self.known_frs = {r.id for r in self.spec.requirements}
        self.test_first = test_first_rule(context)
        self.assignment = requirement_stories(self.spec, contracts, self.decisions)
        self.phases: list[PhaseDraft] = []
        self.primary: dict[str, Draft] = {}  # TD id -> the task that puts its option in place
        self.concern_primary: dict[Concern, Draft] = {}  # the first such task per concern
        self.models: dict[str, Draft] = {}  # entity name -> its model task
        self.migrations: dict[str, Draft] = {}  # entity name -> its migration task
        self.published: set[str] = set()  # event names already given a publishing task
        self.service_paths: set[str] = set()  # service files an earlier phase creates
        self.database_task: Draft | None = None
        self.auth_task: Draft | None = None

    def _phase(self, key: str, title: str, goal: str, **extra: object) -> PhaseDraft:
        phase = PhaseDraft(key=key, title=title, goal=goal, **extra)  # type: ignore[arg-type]
        self.phases.append(phase)
        return phase

    def _add(
        self,
        phase: PhaseDraft,
        description: str,
        kind: str,
        *,
        stage: int = 0,
        effort: float | None = None,
        path: str | None = None,
        requirements: Iterable[str] = (),
        decisions: Iterable[str] = (),
        depends: Iterable[Draft | None] = (),
        acceptance: str = "",
    ) -> Draft:
        # A decision the description names is one the task depends on (and is marked on its line).
        known = {td.id for td in self.decisions}
        named = [i for i in re.findall(r"\bTD\d{3,}\b", description) if i in known]
        draft = Draft(
            description=" ".join(description.split()),
            phase=phase.key,
            stage=stage,
            effort=round(effort if effort is not None else EFFORT_DAYS[kind], 2),
            story=phase.story,
            path=path,
            requirements=unique(r for r in requirements if r in self.known_frs),
            decisions=unique([*decisions, *named]),
            depends=[d for d in unique_drafts(depends) if d is not None],
            acceptance=" ".join(acceptance.split()),
        )
        phase.tasks.append(draft)
        return draft

    def _decisions_for(self, concerns: Iterable[Concern] = (), cites: Iterable[str] = ()) -> list[str]:
        wanted = set(concerns)
        cited = set(cites)
        out: list[str] = []
        for td in self.decisions:
            concern = self.concern[td.id]
            if concern in wanted or (concern in LOCAL_CONCERNS and evidence_ids(td) & cited):
                out.append(td.id)
        return out

    def _decisions_quoting(self, text: str) -> list[str]:
        """Decisions (of the concerns that reach individual tasks) whose evidence quotes this text."""
        flat = " ".join(text.split()).lower()
        return [
            td.id for td in self.decisions
            if self.concern[td.id] in LOCAL_CONCERNS
            and any(flat and (flat in " ".join(e.quote.split()).lower() or " ".join(e.quote.split()).lower() in flat)
                    for e in td.evidence if e.quote.strip())
        ]

    def _of_concern(self, *concerns: Concern) -> list[TechnicalDecision]:
        return [td for td in self.decisions if self.concern[td.id] in concerns]

    def _entity_names(self) -> list[str]:
        return [e.name for e in self.data_model.entities] or [e.name for e in self.spec.entities]

    def _names_in(self, text: str) -> set[str]:
        """The entity names a text mentions."""
        if self._phrases is None:
            self._phrases = NamePhrases(self._entity_names())
        return self._phrases.mentioned(text)

    def _entity(self, name: str) -> EntityModel | None:
        if self._entities is None:
            self._entities = {}
            for entity in self.data_model.entities:
                self._entities.setdefault(entity.name, entity)
        return self._entities.get(name)

    def _edge_cases_about(self, text: str) -> list[str]:
        wanted = stems(text)
        return [e for e in self.spec.edge_cases if len(stems(e) & wanted) >= 2]

    def _primary(self, td: TechnicalDecision, draft: Draft) -> Draft:
        self.primary.setdefault(td.id, draft)
        self.concern_primary.setdefault(self.concern[td.id], draft)
        return draft

    def _extends(self, td: TechnicalDecision) -> bool:
        """When an earlier decision on the same piece of infrastructure already has its task, this
        decision's choice becomes part of that task."""
        concern = self.concern[td.id]
        existing = self.concern_primary.get(concern)
        if concern not in SHARED_CONCERNS or existing is None:
            return False
        existing.description += f"; with {td.effective.title} ({td.id})"
        existing.decisions = unique([*existing.decisions, td.id])
        existing.effort = round(existing.effort + 0.5, 2)
        self.primary.setdefault(td.id, existing)
        return True

    def _model(self, phase: PhaseDraft, entity: EntityModel | None, *, stage: int, depends: Iterable[Draft]) -> Draft:
        assert entity is not None
        machine = entity.state_machine
        description = f"Create the {entity.name} model"
        if entity.fields:
            description += f" ({len(entity.fields)} fields"
            description += f", validation: {shorten('; '.join(v for f in entity.fields for v in f.validation), 70)})" if any(
                f.validation for f in entity.fields) else ")"
        if machine:
            description += f" with the {machine.field} state machine ({' → '.join(machine.states)})"
        draft = self._add(
            phase,
            description,
            "model",
            stage=stage,
            effort=EFFORT_DAYS["model"] + (EFFORT_DAYS["state-machine"] if machine else 0),
            path=self.layout.source_path(self.layout.models_dir, entity.name),
            depends=[self.migrations.get(entity.name), *depends],
            acceptance=f"Unit tests cover {entity.name}'s validation rules"
            + (" and refuse every transition data-model.md does not list" if machine else "") + ".",
        )
        self.models[entity.name] = draft
        return draft

    def _story_requirements(self, story_id: str | None) -> list[Requirement]:
        if self._requirements_by_story is None:
            self._requirements_by_story = {}
            for requirement in self.spec.requirements:
                self._requirements_by_story.setdefault(self.assignment.get(requirement.id), []).append(requirement)
        return list(self._requirements_by_story.get(story_id, []))

    def _events_for(self, requirements: list[Requirement], entities: list[str]) -> list[EventContract]:
        """The events, in contract order, that serve one of these requirements, or that are
        about one of these entities and name no requirement."""
        if self._event_index is None:
            by_requirement: dict[str, list[int]] = {}
            by_entity: dict[str | None, list[int]] = {}
            for place, event in enumerate(self.contracts.events):
                for requirement in event.requirements:
                    by_requirement.setdefault(requirement, []).append(place)
                if not event.requirements:
                    by_entity.setdefault(event.entity, []).append(place)
            self._event_index = (by_requirement, by_entity)
        by_requirement, by_entity = self._event_index
        places = {p for r in requirements for p in by_requirement.get(r.id, [])}
        places.update(p for name in entities for p in by_entity.get(name, []))
        return [self.contracts.events[p] for p in sorted(places)]

    def _assign(self, requirement_id: str, story_id: str) -> None:
        self.assignment[requirement_id] = story_id
        self._requirements_by_story = None

    def _story_operations(self, story_id: str | None, requirements: list[Requirement]) -> list[Operation]:
        """The operations a story delivers: those naming it, and those naming no known story that
        serve one of its requirements; in contract order."""
        if story_id is None and not self.spec.stories:
            return list(self.contracts.operations)
        by_story, unowned = self._operation_index()
        chosen = list(by_story.get(story_id, []))
        if story_id is not None:
            chosen += [i for r in requirements for i in unowned.get(r.id, [])]
        return [self.contracts.operations[i] for i in sorted(set(chosen))]

    def _operation_index(self) -> tuple[dict[str | None, list[int]], dict[str, list[int]]]:
        """Operation positions by story, and, for operations that name no known story, by the
        requirements they serve (built once)."""
        if self._operations_by_story is None:
            story_ids = {s.id for s in self.spec.stories}
            by_story: dict[str | None, list[int]] = {}
            unowned: dict[str, list[int]] = {}
            for index, op in enumerate(self.contracts.operations):
                by_story.setdefault(op.story, []).append(index)
                if op.story not in story_ids:
                    for requirement in op.requirements:
                        unowned.setdefault(requirement, []).append(index)
            self._operations_by_story = (by_story, unowned)
        return self._operations_by_story

    def _story_entities(self, story: UserStory | None, requirements: list[Requirement]) -> list[str]:
        ops = self._story_operations(story.id if story else None, requirements)
        text = " ".join([story_text(story) if story else "", *(r.text for r in requirements)])
        frs = {r.id for r in requirements}
        names = [e.entity for e in self.contracts.events if e.entity and set(e.requirements) & frs]
        names += [op.entity for op in ops if op.entity]
        named = self._names_in(text)
        names += [name for name in self._entity_names() if name in named]
        known = set(self._entity_names())
        return [n for n in unique(names) if n in known]

    def _entities_used_by_stories(self) -> set[str]:
        used: set[str] = set()
        for story in self.spec.stories:
            used.update(self._story_entities(story, self._story_requirements(story.id)))
        if not self.spec.stories:
            used.update(e.name for e in self.data_model.entities)
        return used

    def assemble(self) -> TaskPlan:
        for phase in self.phases:
            phase.tasks.sort(key=lambda d: d.stage)  # stable: creation order within a step
        drafts = [d for p in self.phases for d in p.tasks]
        position = {id(d): i for i, d in enumerate(drafts)}
        for i, draft in enumerate(drafts):
            draft.id = f"T{i + 1:03d}"
        for draft in drafts:
            for td in draft.decisions:
                primary = self.primary.get(td)
                if primary is not None and primary is not draft and position[id(primary)] < position[id(draft)]:
                    draft.depends.append(primary)
            draft.depends = [d for d in unique_drafts(draft.depends) if position[id(d)] < position[id(draft)]]
        for draft in drafts:
            if draft.finish is not None:
                draft.description = " ".join(draft.finish().split())
        phases: list[Phase] = []
        for phase in self.phases:
            tasks = [
                Task(
                    id=d.id,
                    description=d.description,
                    phase=d.phase,
                    story=d.story,
                    parallel=parallel_in_step(d, phase.tasks),
                    requirements=d.requirements,
                    decisions=d.decisions,
                    depends_on=[x.id for x in d.depends],
                    effort_days=d.effort,
                    path=d.path,
                    acceptance=d.acceptance,
                )
                for d in phase.tasks
            ]
            phases.append(Phase(key=phase.key, title=phase.title, goal=phase.goal, story=phase.story,
                                checkpoint=phase.checkpoint, tasks=tasks, priority=phase.priority))
        return TaskPlan(phases=phases)


def unique_drafts(drafts: Iterable[Draft | None]) -> list[Draft | None]:
    seen: set[int] = set()
    out: list[Draft | None] = []
    for d in drafts:
        if d is None or id(d) in seen:
            continue
        seen.add(id(d))
        out.append(d)
    return out


def parallel_in_step(draft: Draft, siblings: list[Draft]) -> bool:
    """[P]: no dependency on a task of its own group, no other task in the group on the same
    file, and at least one task in the group it could actually run beside."""
    group = [o for o in siblings if o is not draft and o.stage == draft.stage]
    if any(dep in group for dep in draft.depends):
        return False
    if draft.path and any(o.path == draft.path for o in group):
        return False
    return any(draft not in o.depends for o in group)


def name_label(name: str) -> str:
    """`ExpenseReport` -> `ExpenseReport`; `order_items` -> `order items` (names as the spec writes them)."""
    return name if re.search(r"[A-Z]", name) else name.replace("_", " ")


def join_words(items: Sequence[str], word: str) -> str:
    """`a`, `a and b`, `a, b and c` (or with `or`)."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def join_and(items: Sequence[str]) -> str:
    return join_words(items, "and")


def join_or(items: Sequence[str]) -> str:
    return join_words(items, "or")


def first_figure(requirements: Sequence[Requirement], kind: MetricKind) -> str | None:
    return next((m.text for r in requirements for m in r.metrics if m.kind is kind), None)


def migration_order(entities: Sequence[EntityModel]) -> list[EntityModel]:
    """Entities ordered so that every table comes after the tables its foreign keys reference."""
    by_name = {e.name: e for e in entities}
    done: dict[str, EntityModel] = {}

    def visit(entity: EntityModel, trail: frozenset[str]) -> None:
        if entity.name in done or entity.name in trail:
            return
        for f in entity.fields:
            target = by_name.get(f.references or "")
            if target is not None and target is not entity:
                visit(target, trail | {entity.name})
        done[entity.name] = entity

    for entity in entities:
        visit(entity, frozenset())
    return list(done.values())

