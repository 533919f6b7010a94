"""Entity names and how the spec's text refers to them; what sort of thing an entity is."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from os.path import commonprefix
from typing import TypeVar, overload

from bot.planning.modeling.words import name_words, pascal_case, phrase_pattern, pluralize, singularize

K = TypeVar("K")

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
    # Every text a match can be, lower-cased with its separators dropped (`expensereports`).
    spellings: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        self.singular = (*self.words[:-1], singularize(self.words[-1]))
        first = self.words[0].lower() if len(self.words) > 1 else _stem(self.words[0])
        last = commonprefix([_stem(self.words[-1]), _stem(singularize(self.words[-1]))])  # the head pattern's forms
        self.needles = (first, last) if self.head is not None else (first,)
        joined = "".join(self.words[:-1]).lower()
        spellings = {joined + form for form in _forms(self.words[-1])}
        if self.head is not None:
            spellings |= _forms(singularize(self.words[-1]))
        self.spellings = frozenset(spellings)

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


def _forms(word: str) -> set[str]:
    """The lower-case forms of a name's last word that its patterns accept."""
    return {word.lower(), pluralize(word).lower(), singularize(word).lower()}


class NameIndex(Sequence[Named]):
    """The entities' names in order, and which of them each text mentions, with every text read
    once rather than once per entity.

    A match of a name's pattern starts where a word starts (after neither a word character nor a
    hyphen), runs over words joined by at most one space, hyphen or underscore, and ends where a
    word ends; with those separators dropped it is one of the name's `spellings`. So each run of
    such words in a text is looked up in a table of spellings, and only the patterns of the names
    found there run. Same answers as `Named.mentioned_in`, in time linear in the text.
    """

    def __init__(self, names: Sequence[Named] = ()) -> None:
        self._names: list[Named] = []
        self._by_spelling: dict[str, list[Named]] = {}
        self._always: list[Named] = []  # names with characters the word walk cannot spell
        self._longest = 0
        self._seen: dict[str, frozenset[str]] = {}
        self._place: dict[int, int] = {}  # id of a name -> its place in the index
        self._by_singular: dict[tuple[str, ...], Named] = {}  # the first name with these words
        self._by_head: dict[str, Named] = {}  # the first name with a head pattern, by its last word
        for named in names:
            self.append(named)

    @overload
    def __getitem__(self, index: int) -> Named: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Named]: ...
    def __getitem__(self, index: int | slice) -> Named | Sequence[Named]:
        return self._names[index]

    def __len__(self) -> int:
        return len(self._names)

    def append(self, named: Named) -> None:
        self._place.setdefault(id(named), len(self._names))
        self._names.append(named)
        self._by_singular.setdefault(named.singular, named)
        if named.head is not None:
            self._by_head.setdefault(named.singular[-1], named)
        if all(_SPELLABLE.fullmatch(s) for s in named.spellings):
            for spelling in named.spellings:
                self._by_spelling.setdefault(spelling, []).append(named)
                self._longest = max(self._longest, len(spelling))
        else:
            self._always.append(named)
        self._seen.clear()

    def names_in(self, text: str) -> frozenset[str]:
        """The names of the entities `text` mentions."""
        found = self._seen.get(text)
        if found is None:
            runs = _spelled_runs(text, self._longest)
            candidates: Sequence[Named] = self._names
            if runs is not None:
                picked = {id(n) for n in self._always}
                picked.update(id(n) for run in runs for n in self._by_spelling.get(run, ()))
                candidates = [n for n in self._names if id(n) in picked]
            found = frozenset(n.name for n in candidates if n.mentioned_in(text))
            self._seen[text] = found
        return found

    def mentions(self, text: str, name: str) -> bool:
        return name in self.names_in(text)

    def naming(self, texts: Iterable[tuple[K, str]]) -> dict[str, list[K]]:
        """Entity name -> the keys of the `(key, text)` pairs whose text mentions it, in order."""
        out: dict[str, list[K]] = {}
        for key, text in texts:
            for name in self.names_in(text):
                out.setdefault(name, []).append(key)
        return out

    def resolve(self, words: Sequence[str]) -> Named | None:
        """The entity a run of words names: the first whose whole name ends the run (the last
        word read singular), else the first whose unique head noun does."""
        if not words:
            return None
        singular = (*words[:-1], singularize(words[-1]))
        ending = [self._by_singular[singular[-n:]] for n in range(1, len(singular) + 1)
                  if singular[-n:] in self._by_singular]
        if ending:
            return min(ending, key=lambda named: self._place[id(named)])
        return self._by_head.get(singular[-1])


_SPELLABLE = re.compile(r"[^\W_]+")  # letters and digits: what a word of a name is made of
_PIECE = re.compile(r"(?P<word>[^\W_]+)|(?P<gap>[\s_-]+)|[^\w\s-]+")


def _spelled_runs(text: str, longest: int) -> set[str] | None:
    """Lower-cased runs of words a name pattern could match in `text`, separators dropped: from
    each word that starts after neither a word character nor a hyphen, through the words that
    follow it one space, hyphen or underscore apart, each run ending where a word ends. None when
    a word has letters beyond ASCII, whose case-insensitive matching lower-casing cannot mirror."""
    pieces = [(m.group(), m.lastgroup) for m in _PIECE.finditer(text)]
    out: set[str] = set()
    for start, (piece, kind) in enumerate(pieces):
        if kind != "word" or (start and pieces[start - 1][0][-1] in "_-"):
            continue
        spelled = ""
        index = start
        while True:
            word = pieces[index][0]
            if not word.isascii():
                return None
            spelled += word.lower()
            if len(spelled) > longest:
                break
            after, after_kind = pieces[index + 1] if index + 1 < len(pieces) else ("", None)
            if after_kind is None or after[0] not in "_-":
                out.add(spelled)  # the word ends here: no word character or hyphen follows
            if after_kind != "gap" or len(after) != 1 or index + 2 >= len(pieces) or pieces[index + 2][1] != "word":
                break
            index += 2
    return out


def _stem(word: str) -> str:
    """What every form of a word the patterns accept (singular, plural) starts with."""
    forms = {word.lower(), pluralize(word).lower(), singularize(word).lower()}
    return commonprefix(sorted(forms))


def entity_name(raw: str) -> str:
    """An entity name usable as an identifier everywhere (diagram, schema key, class):
    kept as written when it already is one, else PascalCase."""
    return raw if re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", raw) else pascal_case(raw) or "Entity"


def name_index(names: Sequence[str]) -> NameIndex:
    words = {n: name_words(n) for n in names}
    heads: dict[str, int] = {}
    for w in words.values():
        heads[singularize(w[-1])] = heads.get(singularize(w[-1]), 0) + 1
    singles = {singularize(w[0]) for w in words.values() if len(w) == 1}
    out = NameIndex()
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
