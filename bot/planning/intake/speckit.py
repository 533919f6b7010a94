"""Reading a spec-kit `spec.md`: the current template (prioritised user stories, FR-###,
Key Entities, SC-###, Assumptions, Clarifications) and the pre-2025-10 one (one primary user
story with acceptance scenarios, FR lines, no success criteria, a review checklist)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.planning.intake import statements
from bot.planning.intake.markdown import Block, Document, Section
from bot.planning.intake.sections import SectionKind, section_kind
from bot.planning.spec import (
    AcceptanceScenario,
    Clarification,
    Entity,
    OpenQuestion,
    Spec,
    SpecFormat,
    UserStory,
)

_TITLE_PREFIX = re.compile(r"^\s*(?:feature\s+)?spec(?:ification)?\s*:\s*", re.IGNORECASE)
_META = re.compile(r"^(?P<key>feature branch|branch|created|date|status|input)\s*:\s*(?P<value>.*)$", re.IGNORECASE)
_INPUT_WRAPPER = re.compile(r"^(?:user\s+)?description\s*:\s*", re.IGNORECASE)
_STORY_HEADING = re.compile(r"^user\s+story\s*(?P<number>\d+)\s*(?:[-–—:.]\s*)?(?P<title>.*)$", re.IGNORECASE)
_PRIORITY = re.compile(r"[(\[]\s*(?:priority\s*:?\s*)?P(?P<p>\d)\s*[)\]]|\bpriority\s*:?\s*P(?P<p2>\d)\b", re.IGNORECASE)
_LABEL = re.compile(
    r"^(?P<label>why this priority|independent test|acceptance scenarios|acceptance criteria|"
    r"functional requirements|requirements|edge cases|success criteria|key entities|assumptions)\s*:\s*(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_LABEL_MODES: dict[str, SectionKind] = {
    "acceptance scenarios": SectionKind.ACCEPTANCE,
    "acceptance criteria": SectionKind.ACCEPTANCE,
    "functional requirements": SectionKind.REQUIREMENTS,
    "requirements": SectionKind.REQUIREMENTS,
    "edge cases": SectionKind.EDGE_CASES,
    "success criteria": SectionKind.SUCCESS,
    "key entities": SectionKind.ENTITIES,
    "assumptions": SectionKind.ASSUMPTIONS,
}
_UNIT_START = re.compile(
    r"^\s*\[?(?:(?:[A-Z]{1,5}-)?N?FR-?\d+[A-Za-z]?|SC-?\d+[A-Za-z]?)\]?\s*[:.)–—-]"
    r"|^(?:why this priority|independent test|acceptance scenarios|acceptance criteria|functional requirements|"
    r"requirements|edge cases|success criteria|key entities|assumptions)\s*:"
    r"|^\W*Q\s*:",
    re.IGNORECASE,
)
_ENTITY_LINE = re.compile(r"^\s*[^\s:][^:]{0,60}:\s")
_SESSION_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TEMPLATE_NOTE = re.compile(r"\s*\*?\((?:mandatory|optional|include if[^)]*)\)\*?\s*$", re.IGNORECASE)

# Kinds whose meaning carries to an unrecognised subsection (`### Performance` under Requirements).
_INHERITED = frozenset({
    SectionKind.REQUIREMENTS, SectionKind.SUCCESS, SectionKind.ENTITIES, SectionKind.EDGE_CASES,
    SectionKind.ASSUMPTIONS, SectionKind.OUT_OF_SCOPE, SectionKind.CLARIFICATIONS, SectionKind.SESSION,
    SectionKind.ACCEPTANCE, SectionKind.STORY, SectionKind.PRIMARY_STORY, SectionKind.QUESTIONS,
})
# Kinds where a list is the content and a paragraph is only an introduction to it.
_LIST_KINDS = frozenset({
    SectionKind.REQUIREMENTS, SectionKind.SUCCESS, SectionKind.ACCEPTANCE, SectionKind.EDGE_CASES,
    SectionKind.ASSUMPTIONS, SectionKind.OUT_OF_SCOPE, SectionKind.QUESTIONS,
})


@dataclass
class _Story:
    id: str
    title: str
    priority: int | None
    description: list[str] = field(default_factory=list)
    why: str = ""
    independent_test: str = ""
    scenarios: list[AcceptanceScenario] = field(default_factory=list)

    def build(self, default_priority: int) -> UserStory:
        return UserStory(
            id=self.id,
            title=self.title,
            priority=self.priority if self.priority is not None else default_priority,
            description=" ".join(self.description),
            why=self.why,
            independent_test=self.independent_test,
            scenarios=self.scenarios,
        )


@dataclass
class _Unit:
    """One statement: a list item, or a run of paragraph lines."""

    text: str
    listed: bool


@dataclass
class _Place:
    """Where a statement sits: its section, what the section holds, and the story it tells.
    `mode` starts as the section's kind and follows labels such as `Acceptance Scenarios:`."""

    section: Section
    kind: SectionKind | None
    story: _Story | None
    session: str | None
    has_list: bool
    location: str
    mode: SectionKind | None = None

    def __post_init__(self) -> None:
        self.mode = self.kind


@dataclass
class _Reader:
    doc: Document
    spec_title: str
    requirements: list[tuple[str | None, str]] = field(default_factory=list)
    criteria: list[tuple[str | None, str]] = field(default_factory=list)
    stories: list[_Story] = field(default_factory=list)
    primary: _Story | None = None
    entities: list[Entity] = field(default_factory=list)
    edge_cases: list[str] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    out_of_scope: list[str] = field(default_factory=list)
    clarifications: list[Clarification] = field(default_factory=list)
    open_questions: list[OpenQuestion] = field(default_factory=list)
    technical: list[str] = field(default_factory=list)
    summaries: list[str] = field(default_factory=list)

    def visit(self, section: Section, inherited: SectionKind | None, story: _Story | None, session: str | None) -> None:
        kind = section_kind(section.name) if section.level else None
        if kind is SectionKind.IGNORED:
            return
        if kind is None and inherited in _INHERITED:
            kind = inherited
        if kind is SectionKind.STORY and section_kind(section.name) is SectionKind.STORY:
            story = self._new_story(section.title)
        elif kind is SectionKind.PRIMARY_STORY and story is None:
            story = self._primary_story()
        elif kind is SectionKind.ACCEPTANCE and story is None:
            story = self._primary_story()
        if kind is SectionKind.SESSION:
            found = _SESSION_DATE.search(section.title)
            session = found.group(0) if found else session
        if kind is SectionKind.TECHNICAL:
            text = self.doc.source(section)
            if text:
                self.technical.append(text)
            return
        self._read_blocks(section, kind, story, session)
        for child in section.children:
            self.visit(child, kind, story, session)

    def _new_story(self, heading: str) -> _Story:
        match = _STORY_HEADING.match(heading)
        rest = match.group("title") if match else heading
        priority_match = _PRIORITY.search(rest)
        priority = None
        if priority_match:
            priority = int(priority_match.group("p") or priority_match.group("p2"))
            rest = (rest[: priority_match.start()] + rest[priority_match.end() :]).strip()
        title = rest.strip(" -–—:")
        number = match.group("number") if match else None
        story = _Story(id=f"US{int(number)}" if number else "", title=title, priority=priority)
        self.stories.append(story)
        return story

    def _primary_story(self) -> _Story:
        if self.primary is None:
            self.primary = _Story(id=f"US{len(self.stories) + 1}", title=self.spec_title, priority=1)
            self.stories.append(self.primary)
        return self.primary

    def _read_blocks(self, section: Section, kind: SectionKind | None, story: _Story | None, session: str | None) -> None:
        in_story = story is not None and kind in (SectionKind.STORY, SectionKind.PRIMARY_STORY, SectionKind.ACCEPTANCE)
        place = _Place(
            section=section,
            kind=kind,
            story=story,
            session=session,
            has_list=any(block.kind == "list" for block in section.blocks),
            location=story.id if in_story and story is not None else _location(section),
        )
        for block in section.blocks:
            for unit in _units(block, kind):
                self._read_unit(unit, place)

    def _read_unit(self, unit: _Unit, place: _Place) -> None:
        """One statement: an FR or SC line wherever it sits, a label such as `Why this
        priority:` (which may switch what the following lists mean), or section content."""
        text = unit.text
        for pattern, target in ((statements.REQUIREMENT_ID, self.requirements), (statements.CRITERION_ID, self.criteria)):
            found = pattern.match(text)
            if found:
                target.append((found["id"], found["text"]))
                self.open_questions += statements.open_questions(found["text"], found["id"])
                return
        self.open_questions += statements.open_questions(text, place.location)
        label = _LABEL.match(text)
        if label:
            name = " ".join(label["label"].casefold().split())
            rest = " ".join(label["rest"].split())
            if place.story is not None and name == "why this priority":
                place.story.why = rest
                return
            if place.story is not None and name == "independent test":
                place.story.independent_test = rest
                return
            place.mode = _LABEL_MODES.get(name, place.mode)
            if not rest:
                return
            text = rest
        self._content(text, unit.listed, place)

    def _content(self, text: str, listed: bool, place: _Place) -> None:
        flat = " ".join(text.split())
        mode, story = place.mode, place.story
        if mode in _LIST_KINDS and place.has_list and not listed:
            return  # an introduction to the list that follows
        if mode in (SectionKind.STORY, SectionKind.PRIMARY_STORY) and story is not None:
            if statements.is_scenario(flat):
                _add_scenario(story, flat)
            elif not statements.is_placeholder(flat):
                story.description.append(flat)
        elif mode is SectionKind.ACCEPTANCE and story is not None:
            if listed or statements.is_scenario(flat):
                _add_scenario(story, flat)
        elif mode is SectionKind.REQUIREMENTS:
            if not statements.is_placeholder(flat):
                self.requirements.append((None, flat))
        elif mode is SectionKind.SUCCESS:
            if not statements.is_placeholder(flat):
                self.criteria.append((None, flat))
        elif mode is SectionKind.ENTITIES:
            entity = statements.entity(text)
            if entity is not None:
                self.entities.append(entity)
        elif mode is SectionKind.EDGE_CASES:
            _append(self.edge_cases, flat)
        elif mode is SectionKind.ASSUMPTIONS:
            _append(self.assumptions, flat)
        elif mode is SectionKind.OUT_OF_SCOPE:
            _append(self.out_of_scope, flat)
        elif mode in (SectionKind.CLARIFICATIONS, SectionKind.SESSION):
            answered = statements.clarification(text, place.session)
            if answered is not None:
                self.clarifications.append(answered)
        elif mode is SectionKind.QUESTIONS:
            if not statements.is_placeholder(flat):
                self.open_questions.append(OpenQuestion(question=flat, location=_location(place.section), sentence=flat))
        elif mode in (None, SectionKind.SUMMARY, SectionKind.SCENARIOS) and not listed:
            if not _META.match(flat) and not statements.is_placeholder(flat):
                self.summaries.append(flat)


def _append(target: list[str], text: str) -> None:
    if not statements.is_placeholder(text):
        target.append(text)


def _add_scenario(story: _Story, text: str) -> None:
    scenario = statements.scenario(text)
    parts = [p for p in (scenario.given, scenario.when, scenario.then) if p] or [scenario.text]
    if not all(statements.is_placeholder(p) for p in parts):
        story.scenarios.append(scenario)


def _location(section: Section) -> str:
    """A section as a location: its heading without the template's `(mandatory)` notes."""
    return _TEMPLATE_NOTE.sub("", section.title).strip() or "Spec"


def _units(block: Block, kind: SectionKind | None) -> list[_Unit]:
    """The statements of a block: one per list item (nested items folded in), and runs of
    paragraph lines split where a line starts with an id (`FR-001:`), a label
    (`Why this priority:`), a question (`Q:`) or, under Key Entities, a `Name:`."""
    if block.kind == "list":
        units = []
        for item in block.items:
            nested = "\n".join(child.full_text() for child in item.children)
            if kind in (SectionKind.CLARIFICATIONS, SectionKind.SESSION):
                text = f"{item.text}\n{nested}".strip()  # the answer may sit on its own line
            else:
                text = item.full_text()
            units.append(_Unit(text=text, listed=True))
        return units
    if block.kind != "paragraph":
        return []
    units = []
    current: list[str] = []
    for line in block.text.split("\n"):
        starts = _UNIT_START.match(line) or (kind is SectionKind.ENTITIES and _ENTITY_LINE.match(line))
        if current and starts:
            units.append(_Unit(text="\n".join(current), listed=False))
            current = []
        current.append(line)
    if current:
        units.append(_Unit(text="\n".join(current), listed=False))
    return units


def _title(doc: Document) -> tuple[str, Section | None]:
    heading = next((s for s in doc.sections() if s.level == 1), None)
    if heading is None:
        return "", None
    title = _TITLE_PREFIX.sub("", heading.title).strip()
    return ("" if statements.is_placeholder(title) else title), heading


def _metadata(doc: Document, heading: Section | None) -> dict[str, str]:
    """`**Feature Branch**: …`, `**Created**: …`, `**Status**: …`, `**Input**: …` lines under the title."""
    blocks = list(doc.root.blocks) + (list(heading.blocks) if heading is not None else [])
    values: dict[str, str] = {}
    for block in blocks:
        if block.kind != "paragraph":
            continue
        key: str | None = None
        for line in block.text.split("\n"):
            match = _META.match(line.strip())
            if match:
                key = match["key"].casefold()
                values[key] = match["value"].strip()
            elif key is not None:
                values[key] = f"{values[key]} {line.strip()}".strip()
    return values


def _summary_from_input(value: str) -> str:
    text = _INPUT_WRAPPER.sub("", value.strip()).strip()
    if len(text) >= 2 and text[0] in "\"“'" and text[-1] in "\"”'":
        text = text[1:-1].strip()
    return "" if text in ("$ARGUMENTS", "") or statements.is_placeholder(text) else text


def _value(values: dict[str, str], *keys: str) -> str | None:
    for key in keys:
        value = values.get(key, "").strip().strip("`").strip()
        if value and not statements.is_placeholder(value):
            return value
    return None


def parse_speckit(doc: Document, raw: str, *, title: str | None = None, legacy: bool = False) -> Spec:
    """A Spec from a spec-kit `spec.md` (current or legacy template)."""
    spec_title, heading = _title(doc)
    spec_title = spec_title or (title or "").strip()
    reader = _Reader(doc=doc, spec_title=spec_title)
    reader.visit(doc.root, None, None, None)
    meta = _metadata(doc, heading)
    summary = _summary_from_input(meta.get("input", "")) or (reader.summaries[0] if reader.summaries else "")

    requirements = [
        statements.requirement(requirement_id, text, assigned=assigned)
        for requirement_id, text, assigned in statements.numbered("FR", reader.requirements)
        if not statements.is_placeholder(text)
    ]
    criteria = [
        statements.success_criterion(criterion_id, text)
        for criterion_id, text, _ in statements.numbered("SC", reader.criteria)
        if not statements.is_placeholder(text)
    ]

    drafts = [s for s in reader.stories if s.title and not statements.is_placeholder(s.title) or s.description or s.scenarios]
    declared = any(s.priority is not None for s in drafts)
    stories = [s.build(3 if declared else min(index + 1, 3)) for index, s in enumerate(drafts)]
    # Keep the spec's own story numbers (tasks are labelled [USn] after them) unless they are
    # missing or repeated; then number the stories in order.
    own = [story.id for story in stories]
    keep = all(own) and len(set(own)) == len(own)
    for index, story in enumerate(stories, start=1):
        story.id = story.id if keep else f"US{index}"
        if not story.title or statements.is_placeholder(story.title):
            story.title = spec_title

    spec_format: SpecFormat = "spec-kit-legacy" if legacy else "spec-kit"
    return Spec(
        title=spec_title,
        format=spec_format,
        summary=summary,
        feature_branch=_value(meta, "feature branch", "branch"),
        created=_value(meta, "created", "date"),
        status=_value(meta, "status"),
        stories=stories,
        requirements=requirements,
        entities=reader.entities,
        success_criteria=criteria,
        edge_cases=reader.edge_cases,
        assumptions=reader.assumptions,
        out_of_scope=reader.out_of_scope,
        clarifications=reader.clarifications,
        open_questions=reader.open_questions,
        technical_context="\n\n".join(reader.technical) or None,
        raw=raw,
    )
