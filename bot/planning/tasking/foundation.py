"""Phases 1 and 2: Setup (structure, dependencies, tooling, the infrastructure decisions) and
Foundational (database access and one migration per table, error handling, observability,
authentication, the shared infrastructure the decisions chose, cross-cutting requirements)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.planning.datamodel import EntityModel
from bot.planning.decisions import TechnicalDecision
from bot.planning.layout import UNDECIDED, detect_language, stated_frameworks
from bot.planning.tasking.drafts import (
    EFFORT_DAYS,
    Draft,
    DraftBook,
    PhaseDraft,
    migration_order,
)
from bot.planning.tasking.rules import (
    CROSS_CUTTING,
    Concern,
    Need,
    evidence_ids,
    mentions,
    needs_of,
    own_traits,
    shorten,
    snake,
    system_name,
    unique,
)
from bot.planning.tasks import FOUNDATIONAL, SETUP

_INFRASTRUCTURE_TRAIT = re.compile(r"^(?:extra-infrastructure|object-storage|.*broker.*)$", re.I)
_LIBRARY_CONCERNS = frozenset(
    {Concern.REALTIME, Concern.JOBS, Concern.STORAGE, Concern.CACHE, Concern.SEARCH, Concern.TECHNOLOGY,
     Concern.OBSERVABILITY}
)
_EXTERNAL_AUTH = re.compile(r"oidc|openid|saml|\bsso\b|sign[- ]on|oauth", re.I)
_OBSERVABILITY = re.compile(r"observab|\blogs?\b|logging|tracing|\btraces\b|metrics|telemetry|monitor", re.I)
_AUTH_RULE = re.compile(r"authenticat|\bsigned[- ]in\b|\blogged[- ]in\b", re.I)


class FoundationTasks(DraftBook):
    """Adds the Setup and Foundational phases."""

    def setup(self) -> None:
        layout, stack = self.layout, self.context.stack
        language = detect_language(self.context, self.decisions)
        frameworks = stated_frameworks(self.context, self.decisions)
        framework_names = ", ".join(f.name for f in frameworks)
        goal_stack = layout.language if layout.language != UNDECIDED else "the language still to be chosen"
        phase = self._phase(
            SETUP,
            "Phase 1: Setup (Shared Infrastructure)",
            f"Initialise the {layout.project_type} in {goal_stack}"
            f"{f' with {framework_names}' if framework_names else ''}: project structure, dependencies, "
            "tooling and the configuration the decisions in force need.",
            checkpoint="The project builds, its configuration loads and the empty test suite runs in CI.",
        )
        manifest = next(iter(stack.manifests), None)
        choose = None
        if layout.language == UNDECIDED:
            choose = self._add(
                phase,
                "Choose the implementation language and framework (neither the repository's stack nor the "
                "constitution names one), record the choice in plan.md's Technical Context and create the "
                "project manifest",
                "choose-language",
                acceptance="The language, framework and versions are written down and the manifest exists.",
            )
        scaffold = self._add(
            phase,
            f"Create the project structure from plan.md: {layout.source_root}, {layout.test_root}"
            f"{f', {layout.frontend_dir}' if layout.frontend_dir else ''}",
            "scaffold",
            depends=[choose],
            acceptance="Folders exist as in plan.md's Project Structure; the package imports.",
        )
        chosen = [
            td for td in self.decisions
            if (self.concern[td.id] in _LIBRARY_CONCERNS and own_traits(td) == td.effective.traits)
            or (self.concern[td.id] is Concern.AUTH and _EXTERNAL_AUTH.search(f"{td.effective.title} {' '.join(td.effective.traits)}"))
        ]
        libraries = [framework_names] if framework_names else []
        libraries += [f"{td.effective.title} ({td.id})" for td in chosen]
        language_label = f"{language.name} {language.version}" if language.version else language.name
        self._add(
            phase,
            (f"Add the dependencies for {language_label}" if language.name != UNDECIDED
             else "Add the dependencies once the language is chosen")
            + (f": {'; '.join(libraries)}" if libraries else "")
            + " — versions pinned in the manifest, unknown ones verified before pinning",
            "dependencies",
            path=manifest,
            decisions=[td.id for td in chosen],
            depends=[scaffold],
            acceptance="A clean install from the manifest succeeds; no unpinned new dependency.",
        )
        tools = ", ".join(stack.test_tools) or "the test runner"
        self._add(
            phase,
            f"Configure linting, formatting and {tools} for {layout.test_root}/contract, "
            f"{layout.test_root}/integration and {layout.test_root}/unit in CI",
            "tooling",
            path=manifest,
            depends=[scaffold],
            acceptance="CI runs lint and the (empty) test suites on every push.",
        )
        services = unique([*stack.databases, *(td.effective.title for td in self._infrastructure_decisions())])
        self._add(
            phase,
            "Add typed settings read from the environment"
            + (f" for {', '.join(services)}" if services else "")
            + "; secrets never committed",
            "config",
            path=layout.source_path(layout.source_root, "settings"),
            depends=[scaffold],
            acceptance="The service refuses to start with a missing required setting and names it.",
        )
        if stack.containerised or self._infrastructure_decisions():
            compose = next((m for m in stack.manifests if re.search(r"compose\.ya?ml$", m)), "docker-compose.yml")
            self._add(
                phase,
                "Run the local development services"
                + (f" ({', '.join(services)})" if services else "")
                + " from the compose file",
                "local-services",
                path=compose,
                decisions=[td.id for td in self._infrastructure_decisions()],
                depends=[scaffold],
                acceptance="One command starts every service the feature needs locally.",
            )
        for td in self.decisions:
            concern = self.concern[td.id]
            option = td.effective
            if self._extends(td):
                continue
            if concern is Concern.ARCHITECTURE:
                self._decision_task(
                    phase, td, f"Lay out the module boundaries for {option.title}: {shorten(option.summary, 100)}",
                    "decision-setup", path=layout.source_root, depends=[scaffold],
                    acceptance=f"Imports across module boundaries follow {td.id}; a check in CI enforces them.",
                )
            elif concern is Concern.API:
                self._decision_task(
                    phase, td, f"Scaffold the {option.title} layer: routing, request validation and error mapping",
                    "decision-setup", path=layout.api_dir or layout.services_dir, depends=[scaffold],
                    acceptance="A health operation is served and described by the contract.",
                )
            elif concern is Concern.DEPLOYMENT:
                self._decision_task(
                    phase, td, f"Set up the deployment target for {option.title}: build, configuration per environment "
                    "and a CI job that deploys to staging",
                    "deployment", path=next((m for m in stack.manifests if "Dockerfile" in m), None), depends=[scaffold],
                    acceptance="A commit on the default branch reaches staging without manual steps.",
                )
            elif concern is Concern.TECHNOLOGY:
                self._decision_task(
                    phase, td, f"Adopt {option.title} ({td.title}): configure it and wrap it behind one module",
                    "decision-setup", path=layout.source_path(layout.services_dir, td.topic or option.title),
                    depends=[scaffold],
                    acceptance=f"{option.title} is used only through the wrapper module.",
                )

        for draft in phase.tasks:
            if scaffold in draft.depends:
                draft.stage = 1  # after the structure exists; these can then run side by side

    def _decision_task(
        self, phase: PhaseDraft, td: TechnicalDecision, description: str, kind: str, *,
        path: str | None, acceptance: str, depends: Sequence[Draft | None] = (),
    ) -> None:
        """The task that puts one decision in place; it becomes the decision's primary task."""
        self._primary(td, self._add(
            phase, description, kind, path=path, decisions=[td.id], depends=depends, acceptance=acceptance,
        ))

    def _infrastructure_decisions(self) -> list[TechnicalDecision]:
        return [td for td in self.decisions if any(_INFRASTRUCTURE_TRAIT.match(t) for t in td.effective.traits)]

    def foundational(self) -> None:
        layout = self.layout
        phase = self._phase(
            FOUNDATIONAL,
            "Phase 2: Foundational (Blocking Prerequisites)",
            "What every user story builds on: the schema, authentication, shared error handling, observability "
            "and the infrastructure the decisions chose. No story work starts before this phase is done.",
        )
        entities = self.data_model.entities
        databases = ", ".join(self.context.stack.databases) or "the database"
        if entities:
            self.database_task = self._add(
                phase,
                f"Configure access to {databases} (connection pool, transactions) and the migration runner",
                "database-access",
                path=layout.source_path(layout.source_root, "database"),
                decisions=self._decisions_for([Concern.DATABASE]),
                acceptance="Migrations run forward and back against an empty database in CI.",
            )
            for td in self._of_concern(Concern.DATABASE):
                self._primary(td, self.database_task)
        self._errors(phase)
        self._observability(phase)
        self._auth(phase)
        for td in self.decisions:
            self._foundational_primary(phase, td)
        if self.contracts.events and not self._of_concern(Concern.REALTIME, Concern.JOBS):
            names = ", ".join(e.name for e in self.contracts.events)
            self._add(
                phase,
                f"Implement the event publisher for {names}: serialisation per contracts/ and delivery after commit",
                "event-publisher",
                path=layout.source_path(layout.services_dir, "events"),
                acceptance="A committed change publishes exactly one event with the contract's schema.",
            )
        for seq, entity in enumerate(migration_order(entities), start=1):
            self._migration(phase, seq, entity)
        self._cross_cutting_requirements(phase)
        used = self._entities_used_by_stories()
        for entity in entities:
            if entity.name not in used:
                self._model(phase, entity, stage=2, depends=[])
        phase.checkpoint = (
            "Migrations apply and roll back on a clean database"
            + ("; an authenticated request reaches a protected health operation" if self.auth_task else "")
            + "; logs and metrics appear for every request — user story work can now start in parallel."
        )

    def _errors(self, phase: PhaseDraft) -> None:
        layout = self.layout
        codes = ", ".join(str(status) for status in sorted(self.contracts.error_codes))
        where = layout.api_dir or layout.services_dir
        self._add(
            phase,
            "Implement shared error handling: one error shape"
            + (f" for statuses {codes} as contracts/ documents them" if codes else "")
            + ", domain errors mapped in one place, no stack traces to clients",
            "errors",
            effort=EFFORT_DAYS["errors"] + (0.25 if len(self.contracts.error_codes) > 5 else 0),
            path=layout.source_path(where, "errors"),
            acceptance="Every documented error status is produced by a test with the documented body.",
        )

    def _observability(self, phase: PhaseDraft) -> None:
        layout = self.layout
        rules = [
            (label, text) for label, text in (self.context.constitution.rules() if self.context.constitution else [])
            if _OBSERVABILITY.search(f"{label} {text}")
        ]
        decisions = self._decisions_for([Concern.OBSERVABILITY])
        if rules:
            label, text = rules[0]
            pillars = sum(1 for p in (r"\blogs?\b|logging", r"trac", r"metric|prometheus") if re.search(p, text, re.I))
            description = f"Set up observability as {label} requires: {shorten(text, 120)}"
            acceptance = f"Each request and job emits what {label} lists, checked by a test."
        else:
            pillars = 2
            description = ("Set up structured logs with request ids and a health check (no constitution rule names "
                           "an observability standard; this is the baseline)")
            acceptance = "Every request is logged with its id, status and duration."
        draft = self._add(
            phase,
            description,
            "observability-pillar",
            effort=min(1.5, EFFORT_DAYS["observability-pillar"] * max(1, pillars)),
            path=layout.source_path(layout.source_root, "observability"),
            decisions=decisions,
            acceptance=acceptance,
        )
        for td in self._of_concern(Concern.OBSERVABILITY):
            self._primary(td, draft)

    def _auth(self, phase: PhaseDraft) -> None:
        layout = self.layout
        requirements = [
            r for r in self.spec.requirements if self.assignment.get(r.id) is None and Need.AUTH in needs_of(r.text)
        ]
        decisions = self._of_concern(Concern.AUTH)
        constitution_rule = next(
            (label for label, text in (self.context.constitution.rules() if self.context.constitution else [])
             if _AUTH_RULE.search(text)),
            None,
        )
        if not (requirements or decisions or constitution_rule):
            return
        external = any(re.search(r"sign[- ]on|\bsso\b|oidc|saml|openid|ldap|directory", r.text, re.I) for r in requirements)
        external = external or any(re.search(r"oidc|saml|sso|oauth|openid", " ".join(td.effective.traits) + td.effective.title, re.I) for td in decisions)
        how = decisions[0].effective.title if decisions else (
            f"the {system_name(requirements[0].text)}" if requirements and external else "the application's sign-in"
        )
        detail = f": {shorten(requirements[0].text, 90)}" if requirements else (
            f", as {constitution_rule} requires" if constitution_rule else ""
        )
        where = layout.api_dir or layout.services_dir
        self.auth_task = self._add(
            phase,
            f"Implement authentication and authorization through {how}{detail}; every operation checks the caller",
            "auth-external" if external else "auth",
            path=layout.source_path(where, "auth"),
            requirements=[r.id for r in requirements],
            decisions=[td.id for td in decisions] + self._decisions_for(cites=[r.id for r in requirements]),
            acceptance="Unauthenticated calls get 401, callers without the right get 403, both covered by tests.",
        )
        for td in decisions:
            self._primary(td, self.auth_task)

    def _foundational_primary(self, phase: PhaseDraft, td: TechnicalDecision) -> None:
        layout = self.layout
        option = td.effective
        concern = self.concern[td.id]
        services = layout.services_dir
        if td.id in self.primary or self._extends(td):
            return
        if concern is Concern.REALTIME:
            self._decision_task(
                phase, td,
                f"Build the realtime channel on {option.title}: subscription per signed-in user, fan-out across "
                "instances, heartbeat and reconnect with resume",
                "realtime-infrastructure",
                path=layout.source_path(layout.api_dir or services, "realtime"),
                depends=[self.auth_task],
                acceptance="A test client receives a published event and resumes after a dropped connection.",
            )
        elif concern is Concern.JOBS:
            self._decision_task(
                phase, td,
                f"Set up background work on {option.title}: enqueue API, worker process, retries with backoff and "
                "a dead-letter view",
                "job-runner",
                path=layout.source_path(layout.jobs_dir or services, "worker"),
                acceptance="A failing job is retried, then parked where an operator can replay it.",
            )
        elif concern is Concern.STORAGE:
            self._decision_task(
                phase, td,
                f"Implement the file storage adapter on {option.title}: upload, download links, size and type checks",
                "file-storage",
                path=layout.source_path(services, "file storage"),
                acceptance="Files round-trip through the adapter; oversized or wrong-type files are refused.",
            )
        elif concern is Concern.CACHE:
            self._decision_task(
                phase, td, f"Put the caching approach in place: {option.title}",
                "cache", path=layout.source_path(services, "cache"),
                acceptance="A write is visible on the next read; the hot paths meet their latency target.",
            )
        elif concern is Concern.SEARCH:
            self._decision_task(
                phase, td, f"Set up search on {option.title}: index mapping, indexing on change, query service",
                "search", path=layout.source_path(services, "search"),
                acceptance="A changed record is findable within the stated delay.",
            )
        elif concern is Concern.SECURITY:
            self._decision_task(
                phase, td, f"Apply {option.title} for {td.title.lower()}",
                "security-control", path=layout.source_path(services, "security"),
                acceptance=f"A test shows the control {td.id} chose is in force.",
            )
        elif concern is Concern.INTEGRATION and not self._integration_in_story(td):
            self._decision_task(
                phase, td, f"Build the client for {td.title.lower()} using {option.title}: timeouts, retries and a sandbox "
                "configuration",
                "integration-client", path=layout.source_path(services, f"{td.topic or td.title} client"),
                acceptance="Contract tests against the provider's sandbox pass; failures surface as domain errors.",
            )

    def _integration_in_story(self, td: TechnicalDecision) -> bool:
        cited = evidence_ids(td)
        return any(
            self.assignment.get(r.id) is not None and needs_of(r.text) & {Need.INTEGRATION, Need.NOTIFICATION}
            for r in self.spec.requirements if r.id in cited
        )

    def _migration(self, phase: PhaseDraft, seq: int, entity: EntityModel) -> None:
        referenced = [self.migrations[f.references] for f in entity.fields if f.references in self.migrations]
        size = len(entity.fields)
        extras = []
        if entity.indexes:
            extras.append(f"{len(entity.indexes)} index{'es' if len(entity.indexes) != 1 else ''}")
        if entity.constraints:
            extras.append(f"{len(entity.constraints)} constraint{'s' if len(entity.constraints) != 1 else ''}")
        if entity.state_machine:
            extras.append(f"{entity.state_machine.field} check ({', '.join(entity.state_machine.states)})")
        self.migrations[entity.name] = self._add(
            phase,
            f"Create the migration for the {entity.table} table ({entity.name}"
            + (f": {size} columns" if size else "")
            + (f", {', '.join(extras)}" if extras else "")
            + ")",
            "migration",
            stage=1,
            effort=EFFORT_DAYS["migration"] + (0.25 if size > 8 or entity.state_machine else 0),
            path=self.layout.migration_path(seq, entity.table),
            decisions=self._decisions_for([Concern.DATABASE]),
            depends=[self.database_task, *referenced],
            acceptance=f"Applies and rolls back cleanly; matches data-model.md for {entity.name}.",
        )

    def _cross_cutting_requirements(self, phase: PhaseDraft) -> None:
        """Requirements no story delivers that everything relies on (audit, authentication)."""
        layout = self.layout
        for req in self.spec.requirements:
            if self.assignment.get(req.id) is not None:
                continue
            needs = needs_of(req.text)
            if not needs & CROSS_CUTTING or (self.auth_task and req.id in self.auth_task.requirements):
                continue
            if Need.AUDIT in needs:
                audited = [e for e in self.data_model.entities if mentions(req.text, e.name) or re.search(r"audit|history|log", e.name, re.I)]
                self._add(
                    phase,
                    f"Implement the audit trail: {shorten(req.text, 100)} — append-only, written in the same "
                    "transaction as the change",
                    "audit",
                    stage=2,
                    path=self.layout.source_path(layout.services_dir, "audit"),
                    requirements=[req.id],
                    decisions=self._decisions_for(cites=[req.id]),
                    depends=[self.migrations.get(e.name) for e in audited],
                    acceptance="Every state change in the tests leaves one audit record with who, when and what.",
                )
            else:
                self._add(
                    phase, f"Implement {req.id}: {shorten(req.text, 110)}", "requirement", stage=2,
                    path=self.layout.source_path(layout.services_dir, snake(req.text, 3)),
                    requirements=[req.id], decisions=self._decisions_for(cites=[req.id]), depends=[self.auth_task],
                    acceptance=f"A test demonstrates {req.id}.",
                )
