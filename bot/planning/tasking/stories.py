"""One phase per user story, in priority order: tests (first, when the constitution demands it),
models, services, integrations, notifications, realtime pushes, jobs, endpoints, events and
screens, each traced to the story's requirements."""

from __future__ import annotations

import re

from bot.planning.contracts import EventContract, Operation
from bot.planning.spec import AcceptanceScenario, MetricKind, Requirement, UserStory
from bot.planning.tasking.drafts import (
    EFFORT_DAYS,
    MAX_SERVICE_DAYS,
    Draft,
    PhaseDraft,
    first_figure,
    join_and,
    name_label,
    unique_drafts,
)
from bot.planning.tasking.foundation import FoundationTasks
from bot.planning.tasking.rules import (
    CROSS_CUTTING,
    EXACTLY_ONCE_PATTERN,
    UI_PATTERN,
    Concern,
    Need,
    channels,
    needs_of,
    shorten,
    snake,
    story_text,
    system_name,
    unique,
)
from bot.planning.tasks import CORE, MVP_MARK


class StoryTasks(FoundationTasks):
    """Adds one phase per user story (or one core phase for a spec without stories)."""

    def stories(self) -> None:
        stories = self.spec.stories_by_priority()
        top = stories[0].priority if stories else None
        for number, story in enumerate(stories, start=3):
            digits = re.sub(r"\D", "", story.id) or str(number - 2)
            mvp = story is stories[0] and story.priority == top
            title = f"Phase {number}: User Story {digits} - {story.title} (Priority: P{story.priority})"
            self._story_phase(story, story.id.lower(), title + (f" {MVP_MARK}" if mvp else ""))
        if not stories and (self.spec.requirements or self.contracts.operations):
            self._story_phase(None, CORE, f"Phase 3: Core Feature - {self.spec.title} {MVP_MARK}")

    def _story_phase(self, story: UserStory | None, key: str, title: str) -> None:
        layout = self.layout
        story_id = story.id if story else None
        requirements = self._story_requirements(story_id)
        if story is None:
            requirements = [
                r for r in self.spec.requirements
                if self.assignment.get(r.id) is None and not needs_of(r.text) & CROSS_CUTTING
            ]
            for r in requirements:
                self._assign(r.id, CORE)
        operations = self._story_operations(story_id, requirements)
        entities = self._story_entities(story, requirements)
        scenarios = self._scenarios(story, requirements)
        checkpoint = shorten(
            (story.independent_test if story else "")
            or "; ".join(s.then for s in scenarios.values() if s.then)
            or (story.description if story else "; ".join(s.text for s in scenarios.values()))
            or f"{title} works end to end",
            300,
        )
        phase = self._phase(
            key,
            title,
            shorten(story.description or story.title, 240) if story else shorten(self.spec.summary or self.spec.title, 240),
            story=story_id,
            priority=story.priority if story else 1,
            checkpoint=checkpoint,
        )
        tests_stage, impl = (0, 1) if self.test_first else (5, 0)
        contract_tests = {op.operation_id: self._contract_test(phase, op, tests_stage) for op in operations}
        story_events = [e for e in self._events_for(requirements, entities) if e.name not in self.published]
        for event in story_events:
            contract_tests[f"event:{event.name}"] = self._add(
                phase, f"Contract test for the {event.name} event: payload and channel per contracts/",
                "contract-test", stage=tests_stage, path=layout.test_path("contract", f"{event.name} event"),
                requirements=event.requirements, acceptance="The published payload validates against the event schema.",
            )
        journeys: list[Draft] = []
        for index, (label, scenario) in enumerate(scenarios.items(), start=1):
            path = layout.test_path("integration", f"{story_id or key} {snake(scenario.when or scenario.text, 4)}")
            if any(j.path == path for j in journeys):
                path = layout.test_path("integration", f"{story_id or key} {index} {snake(scenario.when or scenario.text, 4)}")
            journeys.append(self._add(
                phase,
                f"Integration test for {label}: {shorten(scenario.text, 120)}",
                "integration-test",
                stage=tests_stage,
                effort=EFFORT_DAYS["integration-test"] + (0.25 if len(scenario.then.split(" and ")) > 1 else 0),
                path=path,
                requirements=[r.id] if (r := self.spec.requirement(label)) is not None and story is None else [],
                acceptance=shorten(scenario.text, 200),
            ))
        tests = [*contract_tests.values(), *journeys]
        first = tests if self.test_first else []

        journeys_first = journeys if self.test_first else []
        models = [
            self._model(phase, self._entity(name), stage=impl, depends=journeys_first)
            for name in entities
            if name not in self.models and self._entity(name) is not None
        ]
        served: set[str] = set()
        special = self._special_tasks(phase, story, requirements, entities, impl + 1, [*journeys_first, *models], served)
        services = self._services(phase, story, key, operations, entities, requirements, scenarios, impl + 1,
                                  [*journeys_first, *models], served)
        main_service = services[0] if services else None
        endpoints = [
            self._endpoint(phase, op, impl + 2, [contract_tests.get(op.operation_id), self._service_for(op, services)])
            for op in operations
        ]
        events = [self._event(phase, event, impl + 2, [main_service, contract_tests.get(f"event:{event.name}")])
                  for event in story_events]
        ui = self._ui(phase, story, requirements, impl + 3, [*endpoints, *events, *special])
        if not self.test_first:
            work = [*models, *services, *special, *endpoints, *events, *([ui] if ui else [])]
            for test in tests:
                test.depends = unique_drafts([*test.depends, *work])
        unserved = [r.id for r in requirements if r.id not in served and not any(
            r.id in d.requirements for d in [*endpoints, *events, *([ui] if ui else [])])]
        if unserved:
            if main_service is None:
                main_service = self._add(
                    phase, f"Implement {shorten(story.title if story else self.spec.title, 80)}",
                    "service", stage=impl + 1, path=layout.source_path(layout.services_dir, key),
                    depends=[*first, *models],
                )
            main_service.requirements = unique([*main_service.requirements, *unserved])
            main_service.decisions = unique([*main_service.decisions, *self._decisions_for(cites=unserved)])

    def _scenarios(self, story: UserStory | None, requirements: list[Requirement]) -> dict[str, AcceptanceScenario]:
        if story is not None and story.scenarios:
            return {f"scenario {i}": s for i, s in enumerate(story.scenarios, start=1)}
        if story is not None:
            text = story.independent_test or story.description or story.title
            return {"the independent test": AcceptanceScenario(text=text)}
        return {r.id: AcceptanceScenario(text=r.text) for r in requirements}

    def _contract_test(self, phase: PhaseDraft, op: Operation, stage: int) -> Draft:
        errors = ", ".join(str(s) for s in op.error_statuses)
        return self._add(
            phase,
            f"Contract test for {op.method.upper()} {op.path} ({shorten(op.summary, 60)})",
            "contract-test",
            stage=stage,
            path=self.layout.test_path("contract", op.operation_id),
            requirements=op.requirements,
            acceptance=f"Checks {op.success_status}{f' and {errors}' if errors else ''} against the contract"
            + ("; fails before the endpoint exists" if self.test_first else ""),
        )

    def _services(
        self,
        phase: PhaseDraft,
        story: UserStory | None,
        key: str,
        operations: list[Operation],
        entities: list[str],
        requirements: list[Requirement],
        scenarios: dict[str, AcceptanceScenario],
        stage: int,
        depends: list[Draft],
        served: set[str],
    ) -> list[Draft]:
        groups: dict[str, list[Operation]] = {}
        for op in operations:
            groups.setdefault(op.entity or (entities[0] if entities else key), []).append(op)
        if not groups:
            groups[entities[0] if entities else (snake(story.title, 3) if story else key)] = []
        out: list[Draft] = []
        scale = 0.25 * max(0, len(scenarios) - 1)
        for index, (name, ops) in enumerate(groups.items()):
            entity = self._entity(name)
            what = "; ".join(shorten(op.summary, 50).lower() for op in ops) or shorten(
                story.description if story else self.spec.summary or self.spec.title, 100)
            rule = f", enforcing the {entity.state_machine.field} transitions" if entity and entity.state_machine else ""
            frs = unique(fr for op in ops for fr in op.requirements)
            effort = min(MAX_SERVICE_DAYS, EFFORT_DAYS["service"] + (scale if index == 0 else 0) + 0.25 * max(0, len(ops) - 2))
            path = self.layout.source_path(self.layout.services_dir, f"{name} service")
            verb = "Extend" if path in self.service_paths else "Implement"
            self.service_paths.add(path)
            draft = self._add(
                phase,
                f"{verb} the {name_label(name)} service: {what}{rule}",
                "service",
                stage=stage,
                effort=effort,
                path=path,
                requirements=frs,
                decisions=self._decisions_for(cites=[*frs, *([story.id] if story else [])]),
                depends=[*depends, *(self.models.get(n) for n in entities)],
                acceptance="The story's integration tests pass against the service"
                + (" (they fail before it exists)" if self.test_first else "") + ".",
            )
            served.update(frs)
            out.append(draft)
        return out

    def _service_for(self, op: Operation, services: list[Draft]) -> Draft | None:
        path = self.layout.source_path(self.layout.services_dir, f"{op.entity} service") if op.entity else None
        return next((s for s in services if s.path == path), services[0] if services else None)

    def _special_tasks(
        self,
        phase: PhaseDraft,
        story: UserStory | None,
        requirements: list[Requirement],
        entities: list[str],
        stage: int,
        depends: list[Draft],
        served: set[str],
    ) -> list[Draft]:
        """Integrations, notifications, realtime pushes, background jobs and file handling the
        story's requirements ask for, each its own task."""
        layout = self.layout
        out: list[Draft] = []
        subject = name_label(entities[0]) if entities else None
        by_need: dict[Need, list[Requirement]] = {}
        for req in requirements:
            for need in needs_of(req.text):
                by_need.setdefault(need, []).append(req)
        for req in by_need.get(Need.INTEGRATION, []):
            if Need.NOTIFICATION in needs_of(req.text) and system_name(req.text) == "external system":
                continue
            system = system_name(req.text)
            hard = bool(EXACTLY_ONCE_PATTERN.search(req.text) or Need.SCHEDULED in needs_of(req.text))
            failures = self._edge_cases_about(f"{system} {req.text}")
            out.append(self._add(
                phase,
                f"Integrate with the {system}: {shorten(req.text, 110)}",
                "integration-hard" if hard else "integration",
                stage=stage,
                path=layout.source_path(layout.services_dir, f"{system} client"),
                requirements=[req.id],
                decisions=self._decisions_for([Concern.JOBS] if hard and Need.SCHEDULED in needs_of(req.text) else [],
                                              cites=[req.id]),
                depends=depends,
                acceptance="Passes against the provider's sandbox"
                + (f"; handles: {'; '.join(shorten(f, 80) for f in failures)}" if failures else "")
                + ("; no duplicate on retry" if hard else "") + ".",
            ))
            served.add(req.id)
        notify = by_need.get(Need.NOTIFICATION, [])
        if notify:
            named = unique(c for r in notify for c in channels(r.text))
            out.append(self._add(
                phase,
                f"Send notifications{f' by {join_and(named)}' if named else ''}: "
                f"{shorten('; '.join(r.text.rstrip('. ') for r in notify), 110)}",
                "notification",
                stage=stage,
                effort=min(2.5, EFFORT_DAYS["notification"] + EFFORT_DAYS["notification-channel"] * max(1, len(named))),
                path=layout.source_path(layout.services_dir, "notifications"),
                requirements=[r.id for r in notify],
                decisions=self._decisions_for([Concern.JOBS] if self._of_concern(Concern.JOBS) else [], cites=[r.id for r in notify]),
                depends=depends,
                acceptance="Each channel is exercised against a test double; a failing channel does not block the change.",
            ))
            served.update(r.id for r in notify)
        realtime = by_need.get(Need.REALTIME, [])
        if realtime:
            infrastructure = self._of_concern(Concern.REALTIME)
            out.append(self._add(
                phase,
                f"Push {f'{subject} ' if subject else ''}changes to connected clients over the realtime channel: "
                f"{shorten('; '.join(r.text.rstrip('. ') for r in realtime), 100)}",
                "realtime-push" if infrastructure else "realtime-infrastructure",
                stage=stage,
                path=layout.source_path(layout.api_dir or layout.services_dir, f"{subject or phase.key} updates"),
                requirements=[r.id for r in realtime],
                decisions=self._decisions_for([Concern.REALTIME], cites=[r.id for r in realtime]),
                depends=depends,
                acceptance="A subscribed test client sees the change without reloading"
                + (f" within {first_figure(realtime, MetricKind.LATENCY)}" if first_figure(realtime, MetricKind.LATENCY) else "")
                + ".",
            ))
            served.update(r.id for r in realtime)
        scheduled = by_need.get(Need.SCHEDULED, [])
        for req in scheduled:
            where = layout.jobs_dir or layout.services_dir
            out.append(self._add(
                phase,
                f"Implement the background job: {shorten(req.text, 110)}",
                "job",
                stage=stage,
                path=layout.source_path(where, f"{snake(req.text, 3)} job"),
                requirements=[req.id],
                decisions=self._decisions_for([Concern.JOBS], cites=[req.id]),
                depends=depends,
                acceptance="Runs on its schedule and on demand; a second run does not repeat finished work.",
            ))
            served.add(req.id)
        files = [r for r in by_need.get(Need.FILES, []) if r.id not in served]
        if files:
            sizes = [m.text for r in files for m in r.metrics if m.kind in (MetricKind.SIZE, MetricKind.RETENTION)]
            out.append(self._add(
                phase,
                f"Handle {f'{subject} ' if subject else ''}files: {shorten('; '.join(r.text.rstrip('. ') for r in files), 100)}",
                "file-handling",
                stage=stage,
                effort=EFFORT_DAYS["file-handling"] + (0.5 if sizes else 0),
                path=layout.source_path(layout.services_dir, f"{subject or phase.key} files"),
                requirements=[r.id for r in files],
                decisions=self._decisions_for([Concern.STORAGE], cites=[r.id for r in files]),
                depends=depends,
                acceptance=("Limits enforced and tested: " + ", ".join(sizes)) if sizes else "Upload, download and refusal paths are tested.",
            ))
            served.update(r.id for r in files)
        return out

    def _endpoint(self, phase: PhaseDraft, op: Operation, stage: int, depends: list[Draft | None]) -> Draft:
        layout = self.layout
        resource = op.entity or next((p for p in op.path.split("/") if p and not p.startswith("{")), op.operation_id)
        write = op.method.lower() in ("post", "put", "patch", "delete")
        where = layout.api_dir or layout.services_dir
        return self._add(
            phase,
            f"Implement {op.method.upper()} {op.path}: {shorten(op.summary, 80)}",
            "write-endpoint" if write else "read-endpoint",
            stage=stage,
            path=layout.source_path(where, resource if layout.api_dir else f"{resource} handlers"),
            requirements=op.requirements,
            decisions=self._decisions_for([Concern.API]),
            depends=depends,
            acceptance=f"The contract test for {op.operation_id} passes; answers {op.success_status}.",
        )

    def _event(self, phase: PhaseDraft, event: EventContract, stage: int, depends: list[Draft | None]) -> Draft:
        self.published.add(event.name)
        return self._add(
            phase,
            f"Publish the {event.name} event{f' on {event.channel}' if event.channel else ''}: {shorten(event.summary, 80)}",
            "event",
            stage=stage,
            path=self.layout.source_path(self.layout.services_dir, f"{event.entity or event.name} events"),
            requirements=event.requirements,
            decisions=self._decisions_for([Concern.REALTIME, Concern.JOBS], cites=event.requirements),
            depends=depends,
            acceptance="Published once per committed change, after the transaction commits.",
        )

    def _ui(
        self, phase: PhaseDraft, story: UserStory | None, requirements: list[Requirement], stage: int,
        depends: list[Draft],
    ) -> Draft | None:
        layout = self.layout
        if layout.frontend_dir is None:
            return None
        text = story_text(story) if story else self.spec.summary
        realtime = [r for r in requirements if Need.REALTIME in needs_of(r.text)]
        if not (UI_PATTERN.search(text) or realtime or (story and Need.REALTIME in needs_of(text))):
            return None
        label = story.title if story else self.spec.title
        return self._add(
            phase,
            f"Build the {shorten(label, 60)} screen{' with live updates' if realtime else ''}",
            "ui",
            stage=stage,
            effort=EFFORT_DAYS["ui"] + (0.5 if realtime else 0),
            path=layout.frontend_path("pages", label),
            requirements=[r.id for r in realtime],
            decisions=self._decisions_for([Concern.REALTIME] if realtime else []),
            depends=depends,
            acceptance=shorten(story.independent_test, 200) if story and story.independent_test
            else "The screen works end to end against the API.",
        )
