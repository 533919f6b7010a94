"""A Markdown file read line by line: fenced blocks, headings, list items, table rows, links.

Validation reports line numbers, so this reader keeps every line where it is instead of
building a tree. Line numbers are 1-based throughout.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

FENCE = re.compile(r"^(?P<indent>\s*)(?P<marker>`{3,}|~{3,})(?P<info>.*)$")
HEADING = re.compile(r"^ {0,3}(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*#*\s*$")
LIST_ITEM = re.compile(r"^(?P<indent>\s*)(?:[-*+]|\d{1,9}[.)])(?:\s+|$)")
TABLE_ROW = re.compile(r"^\s*\|")
# A bold field: `**Name**: value`, `**Name:** value`, optionally as a bullet.
FIELD = re.compile(r"^\s*(?:[-*+]\s+)?\*\*(?P<name>[^*]+?)(?::\*\*|\*\*\s*:)\s*(?P<value>.*)$")
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
INLINE_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*(?P<target><[^>]*>|[^)\s]+)(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
REFERENCE_LINK = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(?P<target><[^>]*>|\S+)")


def split_lines(text: str) -> list[str]:
    """Lines as an editor numbers them: split on newlines only, carriage returns dropped."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.rstrip("\r") for line in lines]


@dataclass(frozen=True)
class Fence:
    start: int  # line of the opening fence
    end: int | None  # line of the closing fence; None when the block is never closed
    info: str  # first word of the info string, lower-cased: "mermaid", "yaml", ""
    body: tuple[tuple[int, str], ...]  # (line, text) of each line between the fences


@dataclass(frozen=True)
class Heading:
    line: int
    level: int
    text: str


@dataclass(frozen=True)
class Link:
    line: int
    target: str


class MarkdownDoc:
    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines: list[str] = split_lines(text)
        self.fences: list[Fence] = _read_fences(self.lines)
        fenced: set[int] = set()
        for fence in self.fences:
            last = fence.end if fence.end is not None else len(self.lines)
            fenced.update(range(fence.start, last + 1))
        self._fenced = frozenset(fenced)

    def text_of(self, line: int) -> str:
        return self.lines[line - 1]

    def numbered(self) -> Iterator[tuple[int, str]]:
        """Every line with its number, fenced or not."""
        return enumerate(self.lines, start=1)

    def is_prose(self, line: int) -> bool:
        return line not in self._fenced

    def prose(self) -> Iterator[tuple[int, str]]:
        """Lines outside fenced blocks, with their numbers."""
        return ((n, text) for n, text in self.numbered() if n not in self._fenced)

    @cached_property
    def headings(self) -> list[Heading]:
        found: list[Heading] = []
        for n, text in self.prose():
            match = HEADING.match(text)
            if match:
                found.append(Heading(n, len(match["hashes"]), match["text"]))
        return found

    def section(self, heading: Heading) -> range:
        """The lines after `heading` up to the next heading of the same or a higher level."""
        end = len(self.lines) + 1
        for other in self.headings:
            if other.line > heading.line and other.level <= heading.level:
                end = other.line
                break
        return range(heading.line + 1, end)

    def find_heading(self, pattern: re.Pattern[str]) -> Heading | None:
        return next((h for h in self.headings if pattern.search(h.text)), None)

    def mermaid_blocks(self) -> list[Fence]:
        return [f for f in self.fences if f.info == "mermaid"]

    @cached_property
    def _units(self) -> dict[int, tuple[int, int]]:
        """Line -> (first, last) line of the innermost list item holding it."""
        units: dict[int, tuple[int, int]] = {}
        count = len(self.lines)
        for start in range(1, count + 1):
            if not self.is_prose(start):
                continue
            item = LIST_ITEM.match(self.lines[start - 1])
            if not item:
                continue
            indent = len(item["indent"].expandtabs(4))
            end = start
            while end < count and self.is_prose(end + 1):
                following = self.lines[end]
                if not following.strip() or HEADING.match(following) or TABLE_ROW.match(following):
                    break
                sibling = LIST_ITEM.match(following)
                if sibling and len(sibling["indent"].expandtabs(4)) <= indent:
                    break
                end += 1
            for line in range(start, end + 1):
                units[line] = (start, end)  # later starts are nested deeper and overwrite
        return units

    def unit(self, line: int) -> tuple[int, int]:
        """The span a statement on `line` belongs to: its list item (with the item's nested
        lines), else the line itself (a table row is one line)."""
        if TABLE_ROW.match(self.lines[line - 1]):
            return (line, line)
        return self._units.get(line, (line, line))

    def unit_text(self, line: int) -> tuple[int, str]:
        """The first line of `line`'s unit and the unit's text, its lines joined by newlines."""
        first, last = self.unit(line)
        return first, "\n".join(self.lines[first - 1 : last])

    def links(self) -> list[Link]:
        """Inline and reference-style link targets outside code."""
        found: list[Link] = []
        for n, text in self.prose():
            if "[" not in text:
                continue
            reference = REFERENCE_LINK.match(text)
            if reference:
                found.append(Link(n, reference["target"].strip("<>")))
                continue
            stripped = INLINE_CODE.sub(lambda m: " " * len(m.group(0)), text)
            found.extend(Link(n, m["target"].strip("<>")) for m in INLINE_LINK.finditer(stripped))
        return found


def _read_fences(lines: list[str]) -> list[Fence]:
    fences: list[Fence] = []
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if not opening or (opening["marker"][0] == "`" and "`" in opening["info"]):
            index += 1
            continue
        start = index + 1
        marker = opening["marker"]
        info_words = opening["info"].strip().split()
        info = info_words[0].lower() if info_words else ""
        closing = re.compile(rf"^\s*{re.escape(marker[0])}{{{len(marker)},}}\s*$")
        body: list[tuple[int, str]] = []
        end: int | None = None
        index += 1
        while index < len(lines):
            if closing.match(lines[index]):
                end = index + 1
                index += 1
                break
            body.append((index + 1, lines[index]))
            index += 1
        fences.append(Fence(start=start, end=end, info=info, body=tuple(body)))
    return fences
