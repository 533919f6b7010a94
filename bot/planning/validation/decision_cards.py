"""decisions.md read back as text: one card per `### TD001: <Category> - <Title>` heading."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.planning.decisions import DecisionStatus
from bot.planning.validation.markdown import FIELD, HEADING, MarkdownDoc

TD_ID = re.compile(r"\bTD\d{3,}\b")
TD_HEADING = re.compile(r"^###\s+(?P<id>TD\d{3,})\s*:\s*(?P<rest>.*?)\s*$")
ANY_TD_HEADING = re.compile(r"^ {0,3}#{1,6}\s+\**TD\d+")
CATEGORY_SEPARATOR = re.compile(r"\s+[-–—]\s+")
DOCUMENT_TITLE = re.compile(r"^#\s+TECHNICAL DECISIONS REQUIRED for\s+\S")
OPTION_LINE = re.compile(
    r"^(?P<indent>\s*)[-*+]\s+\*{0,2}Option\s+(?P<key>[A-Z])\b\*{0,2}(?:\s*\([^)]*\))?\s*[:—–-]\s*\S"
)
OPTION_PART = re.compile(r"^\s*[-*+]\s+\*{0,2}(?P<part>Pros|Cons|Cost Impact)\*{0,2}\s*:", re.IGNORECASE)
OPTION_KEY_REF = re.compile(r"\bOption\s+(?P<key>[A-Z])\b")
STATUS_WORDS = re.compile(r"\b(?P<status>PROVISIONAL(?: DECISION)?|DECIDED|PENDING|BLOCKED)\b")

# The fields every card carries, and the ones a settled card adds, as decisions.md writes them.
CARD_FIELDS: tuple[str, ...] = (
    "Status",
    "Context",
    "Decision Required",
    "Options",
    "Recommendation",
    "Impact on Implementation",
    "Reversibility",
    "Depends on",
    "Review Trigger",
)
SETTLED_FIELDS: tuple[str, ...] = ("Final Decision", "Rationale", "Decided by", "Decided at")
OPTION_PARTS: tuple[str, ...] = ("Pros", "Cons", "Cost Impact")
_CANONICAL = {name.lower(): name for name in (*CARD_FIELDS, *SETTLED_FIELDS)}


@dataclass(frozen=True)
class CardField:
    name: str
    line: int
    value: str  # the text on the field's own line, after the colon
    text: str  # the value with the lines that follow it up to the next field


@dataclass(frozen=True)
class CardOption:
    key: str
    line: int
    parts: frozenset[str]  # which of OPTION_PARTS follow it


@dataclass
class DecisionCard:
    id: str
    line: int
    category: str | None  # as written; None when the heading has no `<Category> - <Title>`
    title: str
    status: DecisionStatus | None = None
    fields: dict[str, CardField] = field(default_factory=dict)
    options: list[CardOption] = field(default_factory=list)

    @property
    def number(self) -> int:
        return int(self.id[2:])

    @property
    def settled(self) -> bool:
        return self.status in (DecisionStatus.DECIDED, DecisionStatus.PROVISIONAL)

    @property
    def provisional(self) -> bool:
        return self.status is DecisionStatus.PROVISIONAL

    @property
    def status_text(self) -> str:
        """The status as decisions.md writes it."""
        if self.status is None:
            return "without a status"
        return "PROVISIONAL DECISION" if self.provisional else self.status.value

    def field_line(self, name: str) -> int:
        found = self.fields.get(name)
        return found.line if found else self.line


@dataclass(frozen=True)
class DecisionsFile:
    cards: list[DecisionCard]
    title_line: int | None  # line of `# TECHNICAL DECISIONS REQUIRED for …`
    malformed_headings: list[int]  # lines that start a TD heading in another shape

    def by_id(self) -> dict[str, DecisionCard]:
        """Each id's first card."""
        found: dict[str, DecisionCard] = {}
        for card in self.cards:
            found.setdefault(card.id, card)
        return found


def parse_status(value: str) -> DecisionStatus | None:
    match = STATUS_WORDS.search(value)
    if not match:
        return None
    word = match["status"]
    return DecisionStatus.PROVISIONAL if word.startswith("PROVISIONAL") else DecisionStatus(word)


def read_decisions(doc: MarkdownDoc) -> DecisionsFile:
    cards: list[DecisionCard] = []
    malformed: list[int] = []
    title_line: int | None = None
    for n, text in doc.prose():
        if title_line is None and DOCUMENT_TITLE.match(text):
            title_line = n
        heading = TD_HEADING.match(text)
        if heading:
            cards.append(_read_card(doc, n, heading["id"], heading["rest"]))
        elif ANY_TD_HEADING.match(text):
            malformed.append(n)
    return DecisionsFile(cards=cards, title_line=title_line, malformed_headings=malformed)


def _read_card(doc: MarkdownDoc, line: int, td_id: str, rest: str) -> DecisionCard:
    parts = CATEGORY_SEPARATOR.split(rest, maxsplit=1)
    category, title = (parts[0].strip(), parts[1].strip()) if len(parts) == 2 else (None, rest)
    card = DecisionCard(id=td_id, line=line, category=category, title=title)
    body = _card_body(doc, line)
    starts: list[tuple[int, str, str]] = []  # (line, canonical name, value on that line)
    for n in body:
        found = FIELD.match(doc.text_of(n))
        name = _CANONICAL.get(found["name"].strip().lower()) if found else None
        if found is not None and name is not None:
            starts.append((n, name, found["value"].strip()))
    field_lines = [n for n, _, _ in starts]
    for index, (n, name, value) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else body[-1] + 1
        following = [doc.text_of(m).strip() for m in body if n < m < end]
        text = "\n".join([value, *following]).strip()
        card.fields.setdefault(name, CardField(name, n, value, text))
    status = card.fields.get("Status")
    card.status = parse_status(status.value) if status else None
    options = card.fields.get("Options")
    if options is not None:
        end = next((n for n in field_lines if n > options.line), body[-1] + 1)
        card.options = _read_options(doc, range(options.line + 1, end))
    return card


def _card_body(doc: MarkdownDoc, line: int) -> list[int]:
    """Prose lines after a card heading up to the next heading of level 1 to 3."""
    body: list[int] = []
    for n in range(line + 1, len(doc.lines) + 1):
        if not doc.is_prose(n):
            continue
        heading = HEADING.match(doc.text_of(n))
        if heading and len(heading["hashes"]) <= 3:
            break
        body.append(n)
    return body


def _read_options(doc: MarkdownDoc, lines: range) -> list[CardOption]:
    options: list[CardOption] = []
    current: tuple[str, int] | None = None
    parts: set[str] = set()
    for n in lines:
        if not doc.is_prose(n):
            continue
        text = doc.text_of(n)
        option = OPTION_LINE.match(text)
        if option:
            if current:
                options.append(CardOption(current[0], current[1], frozenset(parts)))
            current, parts = (option["key"], n), set()
            continue
        part = OPTION_PART.match(text)
        if part and current:
            parts.add(next(p for p in OPTION_PARTS if p.lower() == part["part"].lower()))
    if current:
        options.append(CardOption(current[0], current[1], frozenset(parts)))
    return options
