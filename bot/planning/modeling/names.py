"""Entity names and how the spec's text refers to them; what sort of thing an entity is."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from os.path import commonprefix

from bot.planning.modeling.words import name_words, pascal_case, phrase_pattern, pluralize, singularize


PERSON_NOUNS = frozenset(
    "person people user employee member customer client agent staff manager admin administrator author owner "
    "participant player patient student teacher doctor nurse physician applicant candidate volunteer driver "
    "worker operator reviewer approver contact subscriber buyer seller guest resident learner instructor "
    "attendee speaker requester assignee contributor maintainer developer technician supervisor".split()
)
PERSON_ROLES = PERSON_NOUNS | frozenset(
    "creator submitter reporter sender recipient lead sponsor organizer organiser coordinator delegate "
    "approver assignee requestor editor moderator host".split()
)
FILE_NOUNS = frozenset(
    "file files photo photos image images picture pictures attachment attachments pdf pdfs scan scans upload "
    "uploads document documents video videos audio recording recordings avatar thumbnail screenshot".split()
)
RUN_NOUNS = frozenset("batch run job import export sync synchronisation synchronization execution backup".split())
AUDIT_NOUNS = frozenset("audit history log trail changelog journal".split())
_GENERIC_HEADS = frozenset(
    "line item entry record data info detail details event change log file type value set list run result "
    "note item version".split()
)
_HEAD_CLAUSE_END = re.compile(
    r"[,;:(]|\b(?:attached|that|which|who|whose|with|of|for|from|to|in|on|by|where|when|submitted|sent|made|"
    r"created|owned|linked|belonging)\b",
    re.I,
)


@dataclass
class Named:
    """An entity's name and the patterns that find it in text."""

    name: str
    words: list[str]
    full: re.Pattern[str]
    head: re.Pattern[str] | None = None  # the last word alone, when that is unambiguous
    # Lower-case text that any match must contain: a cheap test that rules most texts out before
    # a pattern runs (the same answers, without a regular-expression search per entity and text).
    needles: tuple[str, ...] = field(init=False)
    singular: tuple[str, ...] = field(init=False)  # the name's words, the last one singular

    def __post_init__(self) -> None:
        self.singular = (*self.words[:-1], singularize(self.words[-1]))
        first = self.words[0].lower() if len(self.words) > 1 else _stem(self.words[0])
        last = commonprefix([_stem(self.words[-1]), _stem(singularize(self.words[-1]))])  # the head pattern's forms
        self.needles = (first, last) if self.head is not None else (first,)

    def mentioned_in(self, text: str) -> bool:
        lowered = text.lower()
        if not any(needle in lowered for needle in self.needles):
            return False
        return bool(self.full.search(text) or (self.head and self.head.search(text)))

    def matches(self, text: str) -> list[re.Match[str]]:
        found = list(self.full.finditer(text))
        if self.head:
            taken = [(m.start(), m.end()) for m in found]
            found += [
                m for m in self.head.finditer(text) if not any(a <= m.start() < b for a, b in taken)
            ]
        return sorted(found, key=lambda m: m.start())


def _stem(word: str) -> str:
    """What every form of a word the patterns accept (singular, plural) starts with."""
    forms = {word.lower(), pluralize(word).lower(), singularize(word).lower()}
    return commonprefix(sorted(forms))


def entity_name(raw: str) -> str:
    """An entity name usable as an identifier everywhere (diagram, schema key, class):
    kept as written when it already is one, else PascalCase."""
    return raw if re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", raw) else pascal_case(raw) or "Entity"


def name_index(names: Sequence[str]) -> list[Named]:
    words = {n: name_words(n) for n in names}
    heads: dict[str, int] = {}
    for w in words.values():
        heads[singularize(w[-1])] = heads.get(singularize(w[-1]), 0) + 1
    singles = {singularize(w[0]) for w in words.values() if len(w) == 1}
    out: list[Named] = []
    for name in names:
        w = words[name] or [name.lower()]
        head_word = singularize(w[-1])
        head = None
        if len(w) > 1 and heads[head_word] == 1 and head_word not in singles and head_word not in _GENERIC_HEADS:
            head = phrase_pattern([head_word])
        out.append(Named(name, w, phrase_pattern(w), head))
    return out


def head_clause(description: str) -> str:
    """The noun phrase a description opens with: `an uploaded image or PDF` of
    `an uploaded image or PDF attached to one expense line`."""
    return _HEAD_CLAUSE_END.split(description, maxsplit=1)[0].strip().lower()


def entity_kind(name: str, description: str) -> str:
    words = name_words(name)
    head = set(re.findall(r"[a-z]+", head_clause(description)))
    if set(words) & AUDIT_NOUNS:
        return "audit"
    if set(words) & FILE_NOUNS or head & FILE_NOUNS:
        return "file"
    if words[-1] in PERSON_NOUNS or head & {"person", "people", "individual", "human", "someone", "user", "member"}:
        return "person"
    if words[-1] in RUN_NOUNS or head & {"run", "execution", "batch", "job"}:
        return "run"
    return "entity"
