"""Building blocks both spec readers share: a requirement, a success criterion, an acceptance
scenario, an entity with its attributes, a clarification, and the open `[NEEDS CLARIFICATION]`
markers, each made from one statement of text."""

from __future__ import annotations

import re

from bot.planning.intake.figures import parse_metrics
from bot.planning.spec import (
    AcceptanceScenario,
    Attribute,
    Clarification,
    Entity,
    OpenQuestion,
    Requirement,
    Strength,
    SuccessCriterion,
)

NEEDS_CLARIFICATION = re.compile(r"\[\s*NEEDS\s+CLARIFICATION\s*:?\s*(?P<question>[^\]]*)\]", re.IGNORECASE)
REQUIREMENT_ID = re.compile(r"^\s*\[?(?P<id>(?:[A-Z]{1,5}-)?N?FR-?\d+[A-Za-z]?)\]?\s*[:.)–—-]\s*(?P<text>\S.*)$", re.DOTALL)
CRITERION_ID = re.compile(r"^\s*\[?(?P<id>SC-?\d+[A-Za-z]?)\]?\s*[:.)–—-]\s*(?P<text>\S.*)$", re.DOTALL)
_ID_NUMBER = re.compile(r"(\d+)[A-Za-z]?$")

_PLACEHOLDER = re.compile(r"\[(?!\s*NEEDS\s+CLARIFICATION)[^\]]*\]", re.IGNORECASE)
_WORD = re.compile(r"\w+")
# Words a template keeps around its `[placeholders]`: "Users MUST be able to [key interaction]".
_TEMPLATE_WORDS = frozenset(
    "system users user must should may can be able to the a an what happens when how does handle "
    "given then of is e g".split()
)

_STRONG_MODALS = re.compile(r"\b(MUST|SHALL|REQUIRED|SHOULD|RECOMMENDED|MAY|OPTIONAL)\b")
_MODALS = re.compile(
    r"\b(must|shall|has to|have to|needs? to|needs?|wants?|would like|required|requires?|will|cannot|can't|"
    r"should|ought to|"
    r"recommended|may|could|optional|nice[- ]to[- ]have|would be nice|muss|müssen|soll|sollen|"
    r"sollte|sollten|kann|können|doit|doivent|devra|devrait|devraient|peut|debe|deben|debería|"
    r"puede|deve|devono|dovrebbe|moet|moeten|zou)\b",
    re.IGNORECASE,
)
_STRENGTH: dict[str, Strength] = {
    "should": "should", "ought to": "should", "recommended": "should", "sollte": "should",
    "sollten": "should", "soll": "should", "sollen": "should", "devrait": "should",
    "devraient": "should", "debería": "should", "dovrebbe": "should", "zou": "should",
    "may": "may", "could": "may", "optional": "may", "nice-to-have": "may", "nice to have": "may",
    "would be nice": "may",
}  # anything else found (must, shall, will, need to, cannot, muss, doit, debe…) is "must"

_GIVEN_WHEN_THEN = re.compile(
    r"^\W*Given\s+(?P<given>.+?)[\s,;]+When\s+(?P<when>.+?)[\s,;]+Then\s+(?P<then>.+?)[\s.]*$", re.DOTALL
)
_GIVEN_WHEN_THEN_ANY_CASE = re.compile(_GIVEN_WHEN_THEN.pattern, re.DOTALL | re.IGNORECASE)
_WHEN_THEN = re.compile(r"^\W*When\s+(?P<when>.+?)[\s,;]+Then\s+(?P<then>.+?)[\s.]*$", re.DOTALL | re.IGNORECASE)

_ENTITY = re.compile(r"^\s*(?P<name>[^:;\n]{1,80}?)\s*(?::|\s[-–—]\s)\s*(?P<description>.*)$", re.DOTALL)
_ATTRIBUTES_PHRASE = re.compile(
    r"(?:^|[\s,;(])(?:with|has|have|having|including|includes|containing|contains|holding|holds|"
    r"tracking|tracks|recording|records|storing|stores|attributes?|fields?|properties)\s*:?\s+"
    r"(?:an?\s+|the\s+|its\s+|their\s+)?(?P<tail>[^.;]+)",
    re.IGNORECASE,
)
_LIST_LEAD = re.compile(r"^(?:and|or|an?|the|its|their|plus)\s+", re.IGNORECASE)
_VALUES_LEAD = re.compile(r"^(?:one\s+of|either|values?\s*:?|e\.g\.,?|such\s+as)\s*", re.IGNORECASE)

_QUESTION_ANSWER = re.compile(
    r"^\W*Q(?:uestion)?\s*\d*\s*[:.]\s*(?P<question>.+?)\s*"
    r"(?:→|->|=>|⇒|—>|\n|(?<=\?)\s)"  # an arrow, a new line, or the space after the question mark
    r"\s*\W*A(?:nswer)?\s*[:.]\s*(?P<answer>.+?)\s*$",
    re.DOTALL,
)

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)|(?<=[。！？])")
_ABBREVIATIONS = (
    "e.g.", "i.e.", "etc.", "vs.", "approx.", "incl.", "z.B.", "bzw.", "ca.", "cf.", "Dr.", "Mr.", "Ms.", "No.",
)


def words(text: str) -> int:
    """A length in words; a run of CJK or kana counts as one word per two characters."""
    count = 0
    for token in _WORD.findall(text):
        wide = sum(1 for ch in token if ord(ch) >= 0x2E80)
        count += 1 if not wide else max(1, (wide + 1) // 2) + (1 if wide < len(token) else 0)
    return count


_ENGLISH_WORDS = frozenset(
    "the a an and or of to in on for with is are be it this that we our they their when then can not".split()
)


def mostly_english(text: str) -> bool:
    """Whether the text reads as English: its common short words make up a good share of it.
    Used to tell an English text that states no requirement from a text in another language,
    whose requirements our English modal words cannot see."""
    tokens = [t.casefold() for t in _WORD.findall(text)]
    if not tokens:
        return False
    return sum(1 for t in tokens if t in _ENGLISH_WORDS) / len(tokens) >= 0.12


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph; a `[…]` marker or an abbreviation never ends one."""
    flat = " ".join(text.split())
    out: list[str] = []
    start = 0
    depth = 0
    scanned = 0
    for match in _SENTENCE_END.finditer(flat):
        segment = flat[scanned : match.start()]
        depth = max(0, depth + segment.count("[") - segment.count("]"))
        scanned = match.start()
        candidate = flat[start : match.start()].strip()
        if depth or candidate.endswith(_ABBREVIATIONS):
            continue
        if candidate:
            out.append(candidate)
        start = match.end()
    tail = flat[start:].strip()
    if tail:
        out.append(tail)
    return out


def is_placeholder(text: str) -> bool:
    """A template line not filled in: `[Entity 1]`, `System MUST [specific capability]`."""
    if not text.strip():
        return True
    if _PLACEHOLDER.search(text) is None:
        return False
    filled = _PLACEHOLDER.sub(" ", text)
    return sum(1 for w in _WORD.findall(filled) if w.casefold() not in _TEMPLATE_WORDS) < 2


def open_questions(text: str, location: str) -> list[OpenQuestion]:
    """Every `[NEEDS CLARIFICATION: …]` marker in `text`, with the sentence that carries it."""
    if "[" not in text:
        return []
    found: list[OpenQuestion] = []
    flat = " ".join(text.split())
    for match in NEEDS_CLARIFICATION.finditer(flat):
        question = match.group("question").strip() or "Clarification needed"
        found.append(OpenQuestion(question=question, location=location, sentence=_sentence_around(flat, match)))
    return found


def _sentence_around(text: str, marker: re.Match[str]) -> str:
    before = text[: marker.start()]
    start = 0
    for end in re.finditer(r"[.!?]\s+(?=[A-Z\[])", before):
        if before.count("[", 0, end.start()) == before.count("]", 0, end.start()):
            start = end.end()
    tail = re.search(r"[.!?](?:\s|$)", text[marker.end() :])
    stop = marker.end() + tail.end() if tail else len(text)
    return text[start:stop].strip()


def without_markers(text: str) -> str:
    """The text with its `[NEEDS CLARIFICATION: …]` markers removed (they hold no figures)."""
    return NEEDS_CLARIFICATION.sub(" ", text) if "[" in text else text


def strength(text: str, default: Strength = "must") -> Strength:
    """MUST/SHALL -> must, SHOULD -> should, MAY/optional -> may; upper-case RFC 2119 words win
    over lower-case ones, the first one found counts."""
    match = _STRONG_MODALS.search(text) or _MODALS.search(text)
    if not match:
        return default
    word = " ".join(match.group(1).casefold().split())
    return _STRENGTH.get(word, "must")


def has_modal(text: str) -> bool:
    """The text says what must, should or will happen: a requirement-like statement."""
    return _MODALS.search(text) is not None or _STRONG_MODALS.search(text) is not None


def requirement(requirement_id: str, text: str, *, assigned: bool = False, default: Strength = "must") -> Requirement:
    text = " ".join(text.split())
    return Requirement(
        id=requirement_id,
        text=text,
        strength=strength(text, default),
        id_assigned=assigned,
        metrics=parse_metrics(without_markers(text), source=requirement_id),
        clarifications=[q.question for q in open_questions(text, requirement_id)],
    )


def success_criterion(criterion_id: str, text: str) -> SuccessCriterion:
    text = " ".join(text.split())
    return SuccessCriterion(id=criterion_id, text=text, metrics=parse_metrics(without_markers(text), source=criterion_id))


def scenario(text: str) -> AcceptanceScenario:
    """An acceptance scenario; Given/When/Then are split out when the text uses them."""
    flat = " ".join(text.split())
    match = _GIVEN_WHEN_THEN.match(flat) or _GIVEN_WHEN_THEN_ANY_CASE.match(flat)
    if match:
        return AcceptanceScenario(given=match["given"], when=match["when"], then=match["then"], text=flat)
    match = _WHEN_THEN.match(flat)
    if match:
        return AcceptanceScenario(when=match["when"], then=match["then"], text=flat)
    return AcceptanceScenario(text=flat)


def is_scenario(text: str) -> bool:
    flat = " ".join(text.split())
    return bool(_GIVEN_WHEN_THEN_ANY_CASE.match(flat) or _WHEN_THEN.match(flat))


def next_ids(prefix: str, taken: list[str], count: int) -> list[str]:
    """`count` new ids after the highest number already taken: FR-013, FR-014…"""
    highest = 0
    for existing in taken:
        match = _ID_NUMBER.search(existing)
        if match:
            highest = max(highest, int(match.group(1)))
    return [f"{prefix}-{highest + i:03d}" for i in range(1, count + 1)]


def numbered(prefix: str, drafts: list[tuple[str | None, str]]) -> list[tuple[str, str, bool]]:
    """`(id, text, assigned)` for each draft: its id as written, or the next free number."""
    given = [draft_id for draft_id, _ in drafts if draft_id]
    fresh = iter(next_ids(prefix, given, len(drafts) - len(given)))
    return [(draft_id, text, False) if draft_id else (next(fresh), text, True) for draft_id, text in drafts]


def entity(text: str) -> Entity | None:
    """`Name: what it is; attr, attr, status (A, B)` -> an Entity, or None when the text is not
    shaped like one."""
    match = _ENTITY.match(" ".join(text.split()))
    if not match:
        return None
    name = match["name"].strip(" *_`").strip()
    if not name or is_placeholder(name) or words(name) > 5 or name[0] in "[(":
        return None
    description, attributes = _attributes(match["description"].strip())
    return Entity(name=name, description=description, attributes=attributes)


def _attributes(description: str) -> tuple[str, list[Attribute]]:
    """Split a description into what the entity is and its attribute list: the text after the
    first `;` or `:`, or a "with A, B and C" phrase."""
    head, tail = _split_once(description, ";") or _split_once(description, ":") or ("", "")
    if not tail:
        phrase = None
        for phrase in _ATTRIBUTES_PHRASE.finditer(description):
            pass
        if phrase is not None and ("," in phrase["tail"] or " and " in phrase["tail"]):
            head, tail = description[: phrase.start()].rstrip(" ,;("), phrase["tail"]
        else:
            return description.rstrip(" ."), []
    attributes = attributes_from_list(tail)
    if not attributes:
        return description.rstrip(" ."), []
    return (head.strip().rstrip(" .,") or description.rstrip(" .")), attributes


def attributes_from_list(text: str) -> list[Attribute]:
    """`title, status (Draft, Sent) and total` -> three attributes, the second with values."""
    return [a for a in (_attribute(item) for item in _split_list(text)) if a is not None]


def _split_once(text: str, separator: str) -> tuple[str, str] | None:
    depth = 0
    for index, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch == separator and depth == 0:
            return text[:index], text[index + 1 :]
    return None


def _split_list(text: str) -> list[str]:
    """`a, b (x, y), c and d` -> [`a`, `b (x, y)`, `c`, `d`]: commas, semicolons and a final
    `and`/`or` outside brackets."""
    items: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        if ch in ",;" and depth == 0:
            items.append("".join(current))
            current = []
        else:
            current.append(ch)
    items.append("".join(current))
    out: list[str] = []
    for item in items:
        parts = re.split(r"\s+(?:and|or|&)\s+(?![^(]*\))", item)
        out.extend(parts)
    return [p.strip(" .") for p in out if p.strip(" .")]


def _attribute(item: str) -> Attribute | None:
    text = _LIST_LEAD.sub("", item.strip()).strip(" .*_`")
    if not text or text.casefold() in ("etc", "etc.", "and so on") or words(text) > 6:
        return None
    values: list[str] = []
    name = text
    bracket = re.match(r"^(?P<name>[^(]+?)\s*\((?P<values>[^)]*)\)\s*$", text)
    if bracket:
        name = bracket["name"].strip()
        candidates = [
            v.strip(" .'\"`")
            for v in re.split(r"\s*(?:,|/|\||\bor\b)\s*", _VALUES_LEAD.sub("", bracket["values"]))
        ]
        candidates = [v for v in candidates if v]
        if len(candidates) >= 2 and all(words(v) <= 3 for v in candidates):
            values = candidates
    if not name or words(name) > 5:
        return None
    return Attribute(name=name, values=values, text=item.strip())


def clarification(text: str, session: str | None = None) -> Clarification | None:
    """`Q: question → A: answer` (or the answer on the next line) as a Clarification."""
    match = _QUESTION_ANSWER.match(text.strip())
    if not match:
        return None
    question = " ".join(match["question"].split())
    answer = " ".join(match["answer"].split())
    return Clarification(question=question, answer=answer, session=session)


def first_sentence(text: str, limit: int = 80) -> str:
    """The first sentence, cut at a word boundary to at most `limit` characters."""
    found = sentences(text)
    sentence = found[0].rstrip(".!?。") if found else ""
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"
