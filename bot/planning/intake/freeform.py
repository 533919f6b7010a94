"""Reading free-form issue text: headings, bullets and sentences become requirements, user
stories, success criteria and the rest of the `Spec`.

What a block means comes from the heading above it (see `sections`), then from the statement
itself: "As a … I want …" is a story, Given/When/Then a scenario, "What happens when …" an edge
case, a bullet under a requirement-like (or an unrecognised) heading a requirement, a sentence
that says what must/should/will happen a requirement. Bullets count in any language; sentence
modal words are matched in English and the common European languages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.planning.intake import statements
from bot.planning.intake.entities import implied_entities
from bot.planning.intake.figures import parse_metrics
from bot.planning.intake.markdown import Block, Document, Item, Section
from bot.planning.intake.sections import SectionKind, section_kind
from bot.planning.render import render_template
from bot.planning.spec import (
    AcceptanceScenario,
    Clarification,
    Entity,
    Metric,
    MetricKind,
    OpenQuestion,
    Requirement,
    Spec,
    Strength,
    SuccessCriterion,
    UserStory,
)

DERIVED_SCENARIO_TEMPLATE = "derived-scenario.md.j2"

_PLAN_LINE = re.compile(
    r"^[ \t]*/plan\b(?![ \t]+(?:approve|restart|status|cancel|help)\b)[ \t:]*(?P<rest>.*)$",
    re.MULTILINE | re.IGNORECASE,
)
_HEADING_LINE = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]", re.MULTILINE)

_STORY_PATTERNS = (
    re.compile(
        r"^\W*As\s+(?:an?\s+|the\s+)?(?P<actor>[^,]+?),?\s+I\s+(?:want|need|would\s+like|wish|can|should\s+be\s+able)"
        r"\s+(?:to\s+)?(?P<goal>.+?)(?:,?\s+so\s+(?:that\s+)?(?P<benefit>.+?))?[.!]?$",
        re.IGNORECASE | re.DOTALL,
    ),
    re.compile(
        r"^\W*Als\s+(?P<actor>.+?),?\s+(?:möchte|will|muss)\s+ich\s+(?P<goal>.+?)(?:,?\s+(?:damit|um)\s+(?P<benefit>.+?))?[.!]?$",
        re.IGNORECASE | re.DOTALL,
    ),
    re.compile(
        r"^\W*En\s+tant\s+que?\s+(?P<actor>.+?),?\s+je\s+(?:veux|souhaite|voudrais)\s+(?P<goal>.+?)"
        r"(?:,?\s+(?:afin\s+(?:de|que)|pour)\s+(?P<benefit>.+?))?[.!]?$",
        re.IGNORECASE | re.DOTALL,
    ),
    re.compile(
        r"^\W*Como\s+(?P<actor>.+?),?\s+(?:quiero|necesito)\s+(?P<goal>.+?)(?:,?\s+para\s+(?:que\s+)?(?P<benefit>.+?))?[.!]?$",
        re.IGNORECASE | re.DOTALL,
    ),
)
_PRIORITY_WORDS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(r"\bP[01]\b|must[- ]have|high(?:est)? priority|\bcritical\b|\bMVP\b", re.IGNORECASE)),
    (2, re.compile(r"\bP2\b|should[- ]have|medium priority", re.IGNORECASE)),
    (3, re.compile(r"\bP[3-9]\b|could[- ]have|nice[- ]to[- ]have|low priority", re.IGNORECASE)),
)
_EDGE_CASE = re.compile(r"^\W*(?:what\s+(?:happens\s+)?(?:if|when)|how\s+does\s+.+\s+handle)\b", re.IGNORECASE)
_TABLE_TEXT_COLUMNS = re.compile(r"requirement|description|statement|text|feature|anforderung|exigence|requisito", re.IGNORECASE)
_TABLE_PRIORITY_COLUMNS = re.compile(r"priority|moscow|strength|priorität|priorité|prioridad", re.IGNORECASE)
_WONT = re.compile(r"^\s*won.?t|^\s*will not", re.IGNORECASE)
_CONDITION_KINDS = (MetricKind.CONCURRENCY, MetricKind.POPULATION, MetricKind.REGIONS)
_LEADING_MODAL = re.compile(r"^(?:must|should|shall|will|needs? to|has to|can)\s+", re.IGNORECASE)
_TIMING_WORDS = re.compile(r"^(?:after|every|for|nach|alle|après|pendant|durante)\b", re.IGNORECASE)
_OBJECT_STARTS = frozenset("for up with the a an all every any on in at to multiple both each its their our".split())

# Kinds whose meaning carries to an unrecognised subsection.
_INHERITED = frozenset(set(SectionKind) - {SectionKind.IGNORED, SectionKind.TECHNICAL, SectionKind.SCENARIOS})
_REQUIREMENT_LIKE = frozenset({None, SectionKind.REQUIREMENTS, SectionKind.SCENARIOS})
_STORY_KINDS = frozenset({SectionKind.STORIES, SectionKind.STORY, SectionKind.PRIMARY_STORY})
_MIN_LOOSE_WORDS = 5


def split_plan_command(text: str) -> tuple[str, str]:
    """Cut a `/plan <technical context>` line (and the lines after it, up to the next heading)
    out of the text: `(text without it, the technical context)`."""
    match = _PLAN_LINE.search(text)
    if not match:
        return text, ""
    after = text[match.end() :]
    heading = _HEADING_LINE.search(after)
    tail = after[: heading.start()] if heading else after
    context = f"{match['rest']}\n{tail}".strip()
    rest = after[heading.start() :] if heading else ""
    return (text[: match.start()] + rest), context


@dataclass
class _Statement:
    """A requirement-to-be, before it is numbered."""

    text: str
    strength: Strength | None = None  # from a table's priority column
    given_id: str | None = None  # from a table's id column


@dataclass
class _Reader:
    doc: Document
    requirements: list[_Statement] = field(default_factory=list)
    summary_statements: list[_Statement] = field(default_factory=list)  # modal sentences in a summary
    loose: list[_Statement] = field(default_factory=list)  # other sentences of some length
    stories: list[UserStory] = field(default_factory=list)
    pending: list[AcceptanceScenario] = field(default_factory=list)  # scenarios with no story yet
    criteria: list[str] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    edge_cases: list[str] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    out_of_scope: list[str] = field(default_factory=list)
    clarifications: list[Clarification] = field(default_factory=list)
    open_questions: list[OpenQuestion] = field(default_factory=list)
    technical: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)
    first_paragraph: str = ""

    def visit(self, section: Section, inherited: SectionKind | None, session: str | None) -> None:
        own = section_kind(section.name) if section.level else None
        kind = own if own is not None else (inherited if inherited in _INHERITED else None)
        if kind is SectionKind.IGNORED:
            return
        if kind is SectionKind.TECHNICAL:
            text = self.doc.source(section)
            if text:
                self.technical.append(text)
            return
        if own is SectionKind.SESSION:
            found = re.search(r"\d{4}-\d{2}-\d{2}", section.title)
            session = found.group(0) if found else session
        location = section.title or "Spec"
        has_list = any(b.kind == "list" for b in section.blocks)
        for block in section.blocks:
            self._block(block, kind, location, session, has_list, section.level == 0)
        for child in section.children:
            self.visit(child, kind, session)

    # --- blocks -----------------------------------------------------------------------------

    def _block(
        self, block: Block, kind: SectionKind | None, location: str, session: str | None, has_list: bool, preamble: bool
    ) -> None:
        if block.kind == "list":
            for item in block.items:
                self._item(item, kind, location, session)
        elif block.kind == "paragraph":
            if not self.first_paragraph:
                self.first_paragraph = block.flat
            if preamble:
                self.preamble.append(block.flat)
                if self.doc.root.children:
                    kind = SectionKind.SUMMARY  # the text above the headings introduces them
            self._paragraph(block, kind, location, session, has_list)
        elif block.kind == "table" and kind in _REQUIREMENT_LIKE:
            self._table(block.rows)

    def _item(self, item: Item, kind: SectionKind | None, location: str, session: str | None) -> None:
        flat = item.full_text()
        if not flat:
            return
        if kind in (SectionKind.CLARIFICATIONS, SectionKind.SESSION):
            answered = statements.clarification("\n".join([item.text, *(c.full_text() for c in item.children)]), session)
            if answered is not None:
                self.clarifications.append(answered)
            return
        self.open_questions += statements.open_questions(flat, location)
        if kind is SectionKind.OUT_OF_SCOPE:
            self.out_of_scope.append(flat)
        elif kind is SectionKind.ASSUMPTIONS:
            self.assumptions.append(flat)
        elif kind is SectionKind.EDGE_CASES:
            self.edge_cases.append(flat)
        elif kind is SectionKind.ENTITIES:
            entity = statements.entity(flat)
            if entity is not None:
                self.entities.append(entity)
        elif kind is SectionKind.QUESTIONS:
            self.open_questions.append(OpenQuestion(question=flat, location=location, sentence=flat))
        elif kind is SectionKind.SUCCESS:
            if not self._story(flat):
                self.criteria.append(flat)
        elif kind is SectionKind.ACCEPTANCE:
            self._scenario(flat)
        elif kind in _STORY_KINDS:
            if not self._scenario_if(flat, of_last_story=True):
                self._story(flat, require_pattern=False)
        elif kind is SectionKind.SUMMARY:
            if not self._story(flat) and not self._scenario_if(flat):
                self.summary_statements.append(_Statement(flat))
        else:
            self._requirement_like(flat, location)

    def _paragraph(self, block: Block, kind: SectionKind | None, location: str, session: str | None, has_list: bool) -> None:
        flat = block.flat
        if kind in (SectionKind.CLARIFICATIONS, SectionKind.SESSION):
            answered = statements.clarification(block.text, session)
            if answered is not None:
                self.clarifications.append(answered)
            return
        if kind in (SectionKind.OUT_OF_SCOPE, SectionKind.ASSUMPTIONS, SectionKind.EDGE_CASES, SectionKind.QUESTIONS):
            self.open_questions += statements.open_questions(flat, location)
            if has_list:
                return  # an introduction to the list
            target = {
                SectionKind.OUT_OF_SCOPE: self.out_of_scope,
                SectionKind.ASSUMPTIONS: self.assumptions,
                SectionKind.EDGE_CASES: self.edge_cases,
            }.get(kind)
            if target is not None:
                target.append(flat)
            else:
                self.open_questions.append(OpenQuestion(question=flat, location=location, sentence=flat))
            return
        if kind is SectionKind.ENTITIES:
            for line in block.text.split("\n"):
                entity = statements.entity(line)
                if entity is not None:
                    self.entities.append(entity)
            return
        if kind is SectionKind.SUMMARY:
            self.summary.append(flat)
        for sentence in statements.sentences(block.text):
            self._sentence(sentence, kind, location)

    def _sentence(self, sentence: str, kind: SectionKind | None, location: str) -> None:
        self.open_questions += statements.open_questions(sentence, location)
        if kind is SectionKind.SUCCESS:
            if parse_metrics(sentence):
                self.criteria.append(sentence)
            return
        if kind is SectionKind.ACCEPTANCE:
            self._scenario_if(sentence)
            return
        if kind in _STORY_KINDS:
            if not self._scenario_if(sentence, of_last_story=True):
                self._story(sentence, require_pattern=False)
            return
        if self._story(sentence) or self._scenario_if(sentence):
            return
        if kind is SectionKind.REQUIREMENTS:
            if not sentence.rstrip().endswith(":"):
                self._requirement_like(sentence, location)
            return
        if kind is SectionKind.SUMMARY:
            if statements.has_modal(sentence):
                self.summary_statements.append(_Statement(sentence))
            elif statements.words(sentence) >= _MIN_LOOSE_WORDS:
                self.loose.append(_Statement(sentence))
            return
        if statements.has_modal(sentence) and not sentence.rstrip().endswith(("?", ":")):
            self.requirements.append(_Statement(sentence))
        elif statements.words(sentence) >= _MIN_LOOSE_WORDS and not sentence.rstrip().endswith("?"):
            self.loose.append(_Statement(sentence))

    def _table(self, rows: list[list[str]]) -> None:
        """A requirements table: the requirement (or the longest) column, an id column, and a
        priority column whose Must/Should/Could sets the strength and Won't moves a row out of scope."""
        if len(rows) < 2:
            return
        header = rows[0]
        text_column = next((i for i, h in enumerate(header) if _TABLE_TEXT_COLUMNS.search(h)), None)
        priority_column = next((i for i, h in enumerate(header) if _TABLE_PRIORITY_COLUMNS.search(h)), None)
        for row in rows[1:]:
            if not any(row):
                continue
            text = row[text_column] if text_column is not None and text_column < len(row) else max(row, key=len)
            given = next((c for c in row if statements.REQUIREMENT_ID.match(f"{c}: x")), None)
            priority = row[priority_column] if priority_column is not None and priority_column < len(row) else ""
            if _WONT.match(priority):
                self.out_of_scope.append(text)
                continue
            strength = statements.strength(priority, "must") if priority else None
            if text.strip():
                self.requirements.append(_Statement(text.strip(), strength=strength, given_id=given))

    # --- statements -------------------------------------------------------------------------------

    def _requirement_like(self, text: str, location: str) -> None:
        """A bullet (or a sentence under a requirements heading): a story, a scenario, an edge
        case, a question, or a requirement."""
        if self._story(text) or self._scenario_if(text):
            return
        if _EDGE_CASE.match(text):
            self.edge_cases.append(text)
            return
        if text.rstrip().endswith("?"):
            self.open_questions.append(OpenQuestion(question=text, location=location, sentence=text))
            return
        given = statements.REQUIREMENT_ID.match(text)
        if given:
            self.requirements.append(_Statement(given["text"], given_id=given["id"]))
        elif statements.words(text) >= 2 or statements.has_modal(text):
            self.requirements.append(_Statement(text))

    def _story(self, text: str, *, require_pattern: bool = True) -> bool:
        """Record "As a …, I want …" (in English, German, French or Spanish) as a story; under a
        stories heading (`require_pattern=False`) any statement of some length is one."""
        flat = " ".join(text.split())
        for pattern in _STORY_PATTERNS:
            match = pattern.match(flat)
            if match:
                goal = " ".join(match["goal"].split()).rstrip(" ,.")
                self._add_story(title=goal, description=flat, why=(match["benefit"] or "").rstrip(" ."))
                return True
        if not require_pattern and statements.words(flat) >= 3:
            self._add_story(title=flat, description=flat, why="")
            return True
        return False

    def _add_story(self, *, title: str, description: str, why: str) -> None:
        priority = next((p for p, pattern in _PRIORITY_WORDS if pattern.search(description)), 3)
        title, why = _without_priority(title), _without_priority(why)
        title = statements.first_sentence(title[:1].upper() + title[1:]) or title
        self.stories.append(
            UserStory(id=f"US{len(self.stories) + 1}", title=title, priority=priority, description=description, why=why)
        )

    def _scenario_if(self, text: str, *, of_last_story: bool = False) -> bool:
        if statements.is_scenario(text):
            self._scenario(text, of_last_story=of_last_story)
            return True
        return False

    def _scenario(self, text: str, *, of_last_story: bool = False) -> None:
        """A scenario told right after a story belongs to it; one in its own section belongs
        to the feature and goes to the first story."""
        scenario = statements.scenario(text)
        if of_last_story and self.stories:
            self.stories[-1].scenarios.append(scenario)
        else:
            self.pending.append(scenario)


def parse_freeform(doc: Document, raw: str, *, title: str | None = None) -> Spec:
    """A Spec from free-form issue text."""
    reader = _Reader(doc=doc)
    reader.visit(doc.root, None, None)
    spec_title = _title(doc, reader, title)
    summary = "\n\n".join(reader.summary) or "\n\n".join(reader.preamble) or reader.first_paragraph

    requirements = _requirements(reader)
    criteria = _criteria(reader.criteria, requirements)
    stories = list(reader.stories)
    if stories and reader.pending:
        stories[0].scenarios[:0] = reader.pending
    if not stories and (requirements or summary):
        stories = [_default_story(spec_title, summary, requirements, reader.pending)]

    located = [q for r in requirements for q in statements.open_questions(r.text, r.id)]
    open_questions = _located(located + reader.open_questions)

    return Spec(
        title=spec_title,
        format="free-form",
        summary=summary,
        stories=stories,
        requirements=requirements,
        entities=reader.entities or implied_entities([r.text for r in requirements] + statements.sentences(summary)),
        success_criteria=criteria,
        edge_cases=_unique(reader.edge_cases),
        assumptions=reader.assumptions,
        out_of_scope=reader.out_of_scope,
        clarifications=reader.clarifications,
        open_questions=open_questions,
        technical_context="\n\n".join(reader.technical) or None,
        raw=raw,
    )


def _without_priority(text: str) -> str:
    """A story's words without its priority tag: "… ledger (must-have)" -> "… ledger"."""
    for _, pattern in _PRIORITY_WORDS:
        text = pattern.sub("", text)
    return re.sub(r"\(\s*\)|\[\s*\]", "", " ".join(text.split())).strip(" ,;.-–—")


def _located(questions: list[OpenQuestion]) -> list[OpenQuestion]:
    """One entry per open question, at its first location (requirements come first)."""
    seen: set[str] = set()
    out = []
    for question in questions:
        if question.question not in seen:
            seen.add(question.question)
            out.append(question)
    return out


def _title(doc: Document, reader: _Reader, given: str | None) -> str:
    if given and given.strip():
        return " ".join(given.split())
    headings = doc.headings()
    if headings and section_kind(headings[0].name) is None and headings[0].title.strip():
        return headings[0].title.strip()
    source = "\n".join(reader.summary) or reader.first_paragraph
    if not source:
        first_item = next((i.flat for s in doc.sections() for i in s.items() if i.flat), "")
        source = first_item
    return statements.first_sentence(source)


def _requirements(reader: _Reader) -> list[Requirement]:
    """The requirements, numbered FR-001…; when the text gives none outright, the summary's
    modal sentences, then (for a text not in English) its other sentences of some length,
    then the acceptance scenarios or the stories stand in."""
    chosen = reader.requirements or reader.summary_statements
    if not chosen and len(reader.loose) >= 2 and not statements.mostly_english(" ".join(s.text for s in reader.loose)):
        chosen = reader.loose  # a text in a language whose modal words we do not know
    if not chosen:
        scenarios = reader.pending + [s for story in reader.stories for s in story.scenarios]
        chosen = [_Statement(s.text) for s in scenarios]
    if not chosen:
        chosen = [_Statement(s.description) for s in reader.stories]
    seen: set[str] = set()
    unique: list[_Statement] = []
    for statement in chosen:
        key = " ".join(statement.text.casefold().split()).rstrip(".")
        if key and key not in seen:
            seen.add(key)
            unique.append(statement)
    out: list[Requirement] = []
    drafts = [(statement.given_id, statement.text) for statement in unique]
    for (requirement_id, text, assigned), statement in zip(statements.numbered("FR", drafts), unique, strict=True):
        requirement = statements.requirement(requirement_id, text, assigned=assigned)
        if statement.strength is not None:
            requirement.strength = statement.strength
        out.append(requirement)
    return out


def _criteria(texts: list[str], requirements: list[Requirement]) -> list[SuccessCriterion]:
    """The stated success criteria (ids kept when the text gives them), then one for every
    requirement that carries a figure (its figures keep the requirement's id as their source)."""
    stated: list[tuple[str | None, str]] = []
    for text in texts:
        given = statements.CRITERION_ID.match(text)
        stated.append((given["id"], given["text"]) if given else (None, text))
    derived = [r for r in requirements if r.metrics]
    ids = statements.numbered("SC", stated + [(None, r.text) for r in derived])
    criteria = [statements.success_criterion(i, text) for i, text, _ in ids[: len(stated)]]
    for (criterion_id, _, _), requirement in zip(ids[len(stated) :], derived, strict=True):
        metrics = [m.model_copy() for m in requirement.metrics]
        criteria.append(SuccessCriterion(id=criterion_id, text=requirement.text, metrics=metrics))
    return criteria


def _default_story(title: str, summary: str, requirements: list[Requirement], pending: list[AcceptanceScenario]) -> UserStory:
    """US1 when the text tells no story: the feature itself, with scenarios from the acceptance
    criteria, else from the requirements that state figures (else the first few)."""
    scenarios = list(pending)
    if not scenarios:
        figured = [r for r in requirements if r.metrics] or requirements[:3]
        scenarios = [derived_scenario(r) for r in figured]
    description = " ".join(summary.split()) or (requirements[0].text if requirements else "")
    return UserStory(id="US1", title=title or "The feature", priority=1, description=description, scenarios=scenarios)


def derived_scenario(requirement: Requirement) -> AcceptanceScenario:
    """Given/When/Then for a requirement: the load it states as the Given, the requirement as
    the When, the bounds it sets (`within 2 s`, `up to 20 MB`) as the Then."""
    load = [m for m in requirement.metrics if m.kind in (MetricKind.CONCURRENCY, MetricKind.POPULATION)]
    regions = [m for m in requirement.metrics if m.kind is MetricKind.REGIONS]
    bounds = [m for m in requirement.metrics if m.kind not in _CONDITION_KINDS and _is_bound(m)]
    action = " ".join(statements.without_markers(requirement.text).split())
    for metric in bounds:
        action = action.replace(metric.text, " ")
    action = re.sub(r"\s+([,;.!?])", r"\1", " ".join(action.split())).rstrip(" ,;.!")
    action = _as_clause(action or requirement.text)
    rendered = render_template(DERIVED_SCENARIO_TEMPLATE, load=load, regions=regions, bounds=bounds, action=action)
    given, when, then = [line.strip() for line in rendered.splitlines() if line.strip()]
    text = f"Given {given}, When {when}, Then {then} ({requirement.id})."
    return AcceptanceScenario(given=given, when=when, then=then, text=text)


def _is_bound(metric: Metric) -> bool:
    """A figure the outcome must meet; "after 60 s" or "every 5 minutes" only describe timing."""
    return not (metric.kind is MetricKind.DURATION and _TIMING_WORDS.match(metric.text))


def _as_clause(text: str) -> str:
    """A requirement as the clause after "When": "Must keep working" -> "the system must keep
    working", "Works for 800 agents" -> "the system works for 800 agents"."""
    words = text.split()
    if not words:
        return text
    first, second = words[0], (words[1].casefold() if len(words) > 1 else "")
    if _LEADING_MODAL.match(text) or (
        first[:1].isupper() and first.endswith("s") and (second in _OBJECT_STARTS or second[:1].isdigit())
    ):
        return f"the system {first.casefold()} {' '.join(words[1:])}".strip()
    if first[:1].isupper() and not first[1:2].isupper():
        return first[:1].lower() + text[1:]
    return text


def _unique(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out
