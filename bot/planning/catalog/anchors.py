"""A fast pre-check for patterns: the literal text every match must start with.

Python's regular-expression engine tries an alternation of words at every position of a text,
which is slow over a whole spec for a hundred patterns. Most catalog patterns start with literal
words (`real-time`, `nightly`, `GDPR`…): a match can only start where one of those starts occurs,
lower-cased, so the pattern is tried only there.

The starts are read from the pattern's own source text. The reader knows the few constructs the
catalog writes at the start of a pattern (literal characters and escapes, `\\b` and `^`, classes
of single characters like `[- ]`, groups and alternations, and `?`, `+`, `{m,n}` repeats); at
anything else (`\\w`, `.`, a negated class, a lookaround, verbose mode…) it stops. A pattern that
can start with something it does not know has no anchors and is searched everywhere, so an
unknown construct can only cost speed, never a match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Anchors grow to this many characters; longer anchors are rarer, so fewer places are tried.
ANCHOR_LENGTH = 6
# With more alternative starts than this, the pattern is simply searched everywhere.
MAX_ANCHORS = 400

_CONTROL_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}
_ZERO_WIDTH_ESCAPES = frozenset("bBAZ")
_QUANTIFIER = re.compile(r"\?|\*|\+|\{(\d*)(?:(,)(\d*))?\}")
_UNBOUNDED = -1


@dataclass(frozen=True)
class _Literal:
    chars: tuple[str, ...]  # one character, or the characters of a class like `[- ]`


@dataclass(frozen=True)
class _Group:
    alternatives: tuple[tuple[_Item, ...], ...]


@dataclass(frozen=True)
class _Repeat:
    low: int
    high: int  # _UNBOUNDED for `*`, `+` and `{m,}`
    item: _Item


class _ZeroWidth:
    """`\\b`, `^`, `$` and the like: they match no characters."""


class _Unknown:
    """Anything the reader does not follow: matches may start with any character here."""


_Item = _Literal | _Group | _Repeat | _ZeroWidth | _Unknown
_ZERO = _ZeroWidth()
_UNKNOWN = _Unknown()


class _TooMany(Exception):
    pass


class _Reader:
    """Reads a pattern's source into the items its matches are made of, as finely as their starts need."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.at = 0

    def alternatives(self) -> tuple[tuple[_Item, ...], ...]:
        found = [self.sequence()]
        while self.at < len(self.source) and self.source[self.at] == "|":
            self.at += 1
            found.append(self.sequence())
        return tuple(found)

    def sequence(self) -> tuple[_Item, ...]:
        items: list[_Item] = []
        while self.at < len(self.source) and self.source[self.at] not in "|)":
            items.append(self.repeated(self.atom()))
        return tuple(items)

    def repeated(self, item: _Item) -> _Item:
        match = _QUANTIFIER.match(self.source, self.at)
        if match is None:
            return item
        self.at = match.end()
        suffix = self.source[self.at : self.at + 1]
        if suffix in ("?", "+"):  # lazy or possessive
            self.at += 1
        if suffix == "+":
            return _UNKNOWN  # possessive repeats are left to the engine
        text = match.group()
        if text == "?":
            low, high = 0, 1
        elif text == "*":
            low, high = 0, _UNBOUNDED
        elif text == "+":
            low, high = 1, _UNBOUNDED
        else:
            low = int(match.group(1) or 0)
            if match.group(2) is None:
                high = low
            else:
                high = int(match.group(3)) if match.group(3) else _UNBOUNDED
        return _Repeat(low, high, item)

    def atom(self) -> _Item:
        char = self.source[self.at]
        self.at += 1
        if char == "(":
            return self.group()
        if char == "[":
            return self.char_class()
        if char == "\\":
            return self.escape()
        if char in "^$":
            return _ZERO
        if char == ".":
            return _UNKNOWN
        return _Literal((char,))

    def escape(self) -> _Item:
        if self.at >= len(self.source):
            raise re.error("bad escape at end of pattern")
        char = self.source[self.at]
        self.at += 1
        if char in _ZERO_WIDTH_ESCAPES:
            return _ZERO
        if char in _CONTROL_ESCAPES:
            return _Literal((_CONTROL_ESCAPES[char],))
        if char.isalnum() or char == "_":
            return _UNKNOWN  # \w, \d, \s, back-references, \x41, \u00e9, \N{…}
        return _Literal((char,))

    def group(self) -> _Item:
        if self.source.startswith("?:", self.at):
            self.at += 2
        elif self.source.startswith("?P<", self.at):
            self.at = self.source.index(">", self.at) + 1
        elif self.source.startswith("?", self.at):
            self.skip_group()
            return _UNKNOWN  # lookarounds, inline flags, conditionals, atomic groups
        alternatives = self.alternatives()
        if self.at >= len(self.source) or self.source[self.at] != ")":
            raise re.error("missing )")
        self.at += 1
        return _Group(alternatives)

    def skip_group(self) -> None:
        depth = 1
        while depth:
            char = self.source[self.at]
            self.at += 1
            if char == "\\":
                self.at += 1
            elif char == "[":
                self.char_class()
            elif char == "(":
                depth += 1
            elif char == ")":
                depth -= 1

    def char_class(self) -> _Item:
        """A class of single literal characters, like `[- ]` or `[sz]`; anything richer is unknown."""
        negated = self.source.startswith("^", self.at)
        if negated:
            self.at += 1
        chars: list[str] = []
        known = not negated
        first = True
        while True:
            char = self.source[self.at]
            self.at += 1
            if char == "]" and not first:
                break
            first = False
            if char == "\\":
                escaped = self.source[self.at]
                self.at += 1
                if escaped in _CONTROL_ESCAPES:
                    chars.append(_CONTROL_ESCAPES[escaped])
                elif escaped.isalnum() or escaped == "_":
                    known = False
                else:
                    chars.append(escaped)
            elif char == "-" and chars and self.source[self.at] != "]":
                known = False  # a range
            else:
                chars.append(char)
        return _Literal(tuple(dict.fromkeys(chars))) if known and chars else _UNKNOWN


def _walk(items: tuple[_Item, ...], acc: str, found: set[str]) -> bool:
    """Add to `found` the literal starts of every match of `items` when preceded by `acc`;
    False when some match can start with something that is not a literal."""
    if len(found) > MAX_ANCHORS:
        raise _TooMany
    if len(acc) >= ANCHOR_LENGTH:
        found.add(acc)
        return True
    index = 0
    while index < len(items) and isinstance(items[index], _ZeroWidth):
        index += 1
    if index >= len(items):
        found.add(acc)
        return bool(acc)
    item, rest = items[index], items[index + 1 :]
    if isinstance(item, _Literal):
        return all(_walk(rest, acc + char.lower(), found) for char in item.chars)
    if isinstance(item, _Group):
        return all(_walk((*alternative, *rest), acc, found) for alternative in item.alternatives)
    if isinstance(item, _Repeat):
        if item.low == 0 and item.high == 1:
            return _walk((item.item, *rest), acc, found) and _walk(rest, acc, found)
        if item.low >= 1:
            return _walk((item.item,), acc, found)
    if not acc:
        return False
    found.add(acc)
    return True


def _read(pattern: re.Pattern[str]) -> frozenset[str] | None:
    if pattern.flags & re.VERBOSE:
        return None
    reader = _Reader(pattern.pattern)
    try:
        alternatives = reader.alternatives()
        if reader.at != len(pattern.pattern):
            return None
        found: set[str] = set()
        complete = _walk((_Group(alternatives),), "", found)
    except (_TooMany, RecursionError, re.error, IndexError, ValueError):
        return None
    if not complete or not found or not all(found) or len(found) > MAX_ANCHORS:
        return None
    return frozenset(found)


_CACHE: dict[re.Pattern[str], frozenset[str] | None] = {}


def anchors_of(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """The lower-cased literal starts one of which begins every match; None when unknown."""
    if pattern not in _CACHE:
        _CACHE[pattern] = _read(pattern)
    return _CACHE[pattern]
