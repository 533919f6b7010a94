"""tasks.md: task ids in order, an estimate on every task, every requirement and story traced,
and a review checkpoint and a migration task for each PROVISIONAL decision."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from bot.planning.artifacts import SPEC, TASKS
from bot.planning.validation.decision_cards import TD_ID
from bot.planning.validation.findings import Finding, error, warning
from bot.planning.validation.folder import PlanFolder
from bot.planning.validation.spec_facts import REQUIREMENT_REF, STORY_REF

TASK_LINE = re.compile(r"^\s*[-*+]\s+\[(?P<done>[ xX])\]\s+(?P<id>T\d{3,})\b(?P<rest>.*)$")
ESTIMATE = re.compile(
    r"\best(?:imate)?\.?\s*:?\s*~?\d+(?:\.\d+)?\s*(?:d|h|days?|hours?|pts?|points?|sp)\b", re.IGNORECASE
)
REVIEW = re.compile(r"review", re.IGNORECASE)
MIGRATION = re.compile(r"migrat", re.IGNORECASE)


@dataclass(frozen=True)
class TaskLine:
    id: str
    line: int
    text: str

    @property
    def number(self) -> int:
        return int(self.id[1:])


def read_task_lines(lines: Iterator[tuple[int, str]]) -> list[TaskLine]:
    tasks: list[TaskLine] = []
    for n, text in lines:
        match = TASK_LINE.match(text)
        if match:
            tasks.append(TaskLine(match["id"], n, text))
    return tasks


def check(folder: PlanFolder) -> Iterator[Finding]:
    doc = folder.artifact_doc(TASKS)
    if doc is None:
        return
    path = doc.path
    tasks = read_task_lines(doc.prose())
    if not tasks:
        yield error(path, 1, "tasks-none", "no task lines (`- [ ] T001 … — est. 1d`)")
        return
    yield from _numbering(path, tasks)
    for task in tasks:
        if not ESTIMATE.search(task.text):
            yield error(path, task.line, "task-estimate", f"{task.id} has no estimate (`— est. 1d`)")
    spec = folder.spec
    if spec is not None:
        spec_path = folder.artifact_path(SPEC)
        covered: set[str] = set()
        for task in tasks:
            for fr in REQUIREMENT_REF.findall(task.text):
                covered.add(fr)
                if fr not in spec.requirements:
                    yield error(path, task.line, "fr-unknown", f"{task.id} names {fr}, which spec.md does not define")
        for fr, line in spec.requirements.items():
            if fr not in covered:
                yield error(spec_path, line, "fr-uncovered", f"{fr} is not covered by any task in tasks.md")
        if spec.stories:
            labelled: set[str] = set()
            for task in tasks:
                for label in STORY_REF.findall(task.text):
                    story = f"US{int(label[2:])}"
                    labelled.add(story)
                    if story not in spec.stories:
                        yield error(path, task.line, "story-unknown", f"{task.id} is labelled [{label}], but spec.md has no User Story {int(label[2:])}")
            for story, line in spec.stories.items():
                if story not in labelled:
                    yield warning(spec_path, line, "story-uncovered", f"no task in tasks.md is labelled [{story}]")
    yield from _provisional_tasks(folder, path, tasks)


def _numbering(path: str, tasks: list[TaskLine]) -> Iterator[Finding]:
    seen: set[str] = set()
    expected = 1
    for task in tasks:
        if task.id in seen:
            yield error(path, task.line, "task-duplicate", f"{task.id} is used by more than one task")
            continue
        seen.add(task.id)
        if task.number != expected:
            yield error(
                path, task.line, "task-sequence", f"{task.id} is out of sequence: T{expected:03d} was expected here"
            )
        expected = task.number + 1


def _provisional_tasks(folder: PlanFolder, path: str, tasks: list[TaskLine]) -> Iterator[Finding]:
    decisions = folder.decisions
    if decisions is None:
        return
    named = [set(TD_ID.findall(t.text)) for t in tasks]
    for card in decisions.by_id().values():
        if not card.provisional:
            continue
        naming = [t for t, names in zip(tasks, named, strict=True) if card.id in names]
        if not any(REVIEW.search(t.text) for t in naming):
            yield error(
                path, 1, "provisional-review-missing",
                f"{card.id} is a PROVISIONAL DECISION but no task reviews it (a task line with `Review` and {card.id})",
            )
        if not any(MIGRATION.search(t.text) for t in naming):
            yield error(
                path, 1, "provisional-migration-missing",
                f"{card.id} is a PROVISIONAL DECISION but no task plans the migration should it change "
                f"(a task line with `migration` and {card.id})",
            )
