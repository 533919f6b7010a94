"""A fast pre-check for patterns: the literal text every match must start with.

Python's regular-expression engine tries an alternation of words at every position of a text,
which is slow over a whole spec for a hundred patterns. Most patterns start with literal words
(`real-time`, `nightly`, `GDPR`…): a match can only start where one of those starts occurs,
lower-cased, so the pattern is tried only there. A pattern that can start with something other
than a literal (a character class, a repeated group) has no anchors and is searched everywhere.
"""

from __future__ import annotations

import re
from typing import Any

try:  # Python 3.11+: the parser behind `re`, used read-only to look at a pattern's structure.
    from re import _constants as _c, _parser as _p
except ImportError:  # pragma: no cover - older layouts
    _c = _p = None  # type: ignore[assignment]

# Anchors grow to this many characters; longer anchors are rarer, so fewer places are tried.
ANCHOR_LENGTH = 6
# With more alternative starts than this, the pattern is simply searched everywhere.
MAX_ANCHORS = 400

_CACHE: dict[re.Pattern[str], frozenset[str] | None] = {}


class _TooMany(Exception):
    pass


def _walk(items: list[Any], acc: str, found: set[str]) -> bool:
    """Add to `found` the literal starts of every match of `items` when preceded by `acc`;
    False when some match can start with something that is not a literal."""
    if len(found) > MAX_ANCHORS:
        raise _TooMany
    if len(acc) >= ANCHOR_LENGTH:
        found.add(acc)
        return True
    index = 0
    while index < len(items) and items[index][0] is _c.AT:
        index += 1
    if index >= len(items):
        found.add(acc)
        return bool(acc)
    op, value = items[index]
    rest = list(items[index + 1 :])
    if op is _c.LITERAL:
        return _walk(rest, acc + chr(value).lower(), found)
    if op is _c.BRANCH:
        return all(_walk([*alternative, *rest], acc, found) for alternative in value[1])
    if op is _c.SUBPATTERN:
        return _walk([*value[-1], *rest], acc, found)
    if op is _c.IN and value and all(kind is _c.LITERAL for kind, _ in value):
        return all(_walk(rest, acc + chr(code).lower(), found) for _, code in value)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
        low, high, item = value
        if low == 0 and high == 1:
            return _walk([*item, *rest], acc, found) and _walk(rest, acc, found)
        if low >= 1:
            return _walk(list(item), acc, found)
    if not acc:
        return False
    found.add(acc)
    return True


def anchors_of(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """The lower-cased literal starts one of which begins every match; None when unknown."""
    if pattern in _CACHE:
        return _CACHE[pattern]
    anchors: frozenset[str] | None = None
    if _p is not None:
        found: set[str] = set()
        try:
            complete = _walk(list(_p.parse(pattern.pattern, pattern.flags)), "", found)
        except (_TooMany, RecursionError, re.error, AttributeError, TypeError, IndexError, ValueError):
            complete = False
        if complete and found and all(found):
            anchors = frozenset(found)
    _CACHE[pattern] = anchors
    return anchors
