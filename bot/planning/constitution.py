"""The repository's constitution: principles that drive recommendations and the Constitution Check.

`parse_constitution` reads the Markdown that spec-kit's `/constitution` command writes
(`.specify/memory/constitution.md`): a `# Name Constitution` title, a `## Core Principles`
section whose `###` headings are the principles, further `##` sections, and a
`**Version**: … | **Ratified**: … | **Last Amended**: …` line. The unfilled template, whose
headings and bodies are `[PLACEHOLDER]` tokens, yields no principles and no sections.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pydantic import BaseModel, Field


class Principle(BaseModel):
    number: str = ""  # "I", "II", "3", or "" when the heading has none
    name: str  # "PostgreSQL is the system of record"
    text: str  # the body under the heading
    non_negotiable: bool = False

    @property
    def label(self) -> str:
        return f"{self.number}. {self.name}" if self.number else self.name


class Constitution(BaseModel):
    title: str = "Constitution"
    path: str  # where it was read from, relative to the repository root
    principles: list[Principle] = Field(default_factory=list)
    sections: dict[str, str] = Field(default_factory=dict)  # other `##` sections, e.g. "Security Requirements"
    version: str | None = None
    raw: str = Field(default="", repr=False)

    def rules(self) -> list[tuple[str, str]]:
        """Every citable rule as `(label, text)`: the principles, then the other sections."""
        out = [(f"Constitution {p.label}", p.text) for p in self.principles]
        out += [(f"Constitution: {name}", text) for name, text in self.sections.items()]
        return out

    def cite(self, *patterns: str) -> tuple[str, str] | None:
        """The first rule that mentions any of `patterns` (regular expressions, matched
        case-insensitively), as `(label, sentence)`: the one sentence of the rule's text that
        matches. When only a rule's heading matches, its first sentence stands for it."""
        if not patterns:
            return None
        wanted = [re.compile(p, re.IGNORECASE) for p in patterns]

        def hit(text: str) -> bool:
            return any(p.search(text) for p in wanted)

        headed = [(f"Constitution {p.label}", p.name, p.text) for p in self.principles]
        headed += [(f"Constitution: {name}", name, text) for name, text in self.sections.items()]
        for label, heading, text in headed:
            found = sentences(text)
            for sentence in found:
                if hit(sentence):
                    return label, sentence
            if hit(heading):
                return label, found[0] if found else heading
        return None


# --- parsing -------------------------------------------------------------------------------

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_FRONT_MATTER = re.compile(r"\A\s*---\s*\n.*?\n---\s*(?:\n|\Z)", re.DOTALL)
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_PLACEHOLDER = re.compile(r"\[[A-Z][A-Z0-9_]*\]")
_NON_NEGOTIABLE = re.compile(r"\bnon[-\s]?negotiable\b", re.IGNORECASE)
_NON_NEGOTIABLE_MARK = re.compile(r"[\s,:;–—-]*[(\[]?\s*non[-\s]?negotiable\s*[)\]]?", re.IGNORECASE)
# "I. Name", "3) Name", "Article II: Name", "Principle 4 — Name"
_NUMBERED = re.compile(
    r"^(?:(?i:article|principle)\s+)?(?P<number>[IVXLCDM]+|\d+)(?:[.):](?!\d)\s*|\s+[-–—]\s+)(?P<name>\S.*)$"
)
_ROMAN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_VERSION_LINE = re.compile(r"^\s*[*_]{0,2}Version[*_]{0,2}\s*:", re.IGNORECASE)
_VERSION = re.compile(
    r"[*_]{0,2}Version[*_]{0,2}\s*:\s*[*_]{0,2}\s*(?P<version>\[[A-Z0-9_]+\]|[^\s|*]+)", re.IGNORECASE
)
_PRINCIPLES_CONTAINER = re.compile(r"principles", re.IGNORECASE)


def _numbering(heading: str) -> tuple[str, str]:
    """`(number, name)` of a principle heading; number is "" when the heading has none."""
    match = _NUMBERED.match(heading)
    if match:
        number = match["number"]
        if number.isdigit() or _ROMAN.match(number):
            return number, match["name"].strip()
    return "", heading.strip()


def _placeholder_only(text: str) -> bool:
    return not re.sub(r"[\W_]+", "", _PLACEHOLDER.sub("", text))


def _clean_body(lines: list[str]) -> str:
    kept = [line.rstrip() for line in lines if not _VERSION_LINE.match(line)]
    text = "\n".join(kept)
    if _PLACEHOLDER.search(text) and not _placeholder_only(text):
        text = _PLACEHOLDER.sub("", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


@dataclass
class _Block:
    heading: str
    is_principle: bool
    lines: list[str] = field(default_factory=list)


def parse_constitution(text: str, path: str) -> Constitution:
    """A constitution from its Markdown; placeholder-only principles and sections are left out."""
    body = _FRONT_MATTER.sub("", _COMMENT.sub("", text), count=1)
    title = ""
    blocks: list[_Block] = []
    current: _Block | None = None
    in_container = False  # under a `## … Principles` heading
    seen_level2 = False
    in_fence = False
    for line in body.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        heading = None if in_fence else _HEADING.match(line)
        if heading is None:
            if current is not None:
                current.lines.append(line)
            continue
        level, words = len(heading[1]), heading[2].strip().strip("*_").strip()
        if level == 1:
            title = title or words
            current = None
        elif level == 2:
            seen_level2 = True
            numbered = _numbering(words)[0] != ""
            in_container = not numbered and bool(_PRINCIPLES_CONTAINER.search(words))
            current = None if in_container else _Block(words, is_principle=numbered)
            if current is not None:
                blocks.append(current)
        elif level == 3 and (in_container or not seen_level2):
            current = _Block(words, is_principle=True)
            blocks.append(current)
        elif current is not None:
            current.lines.append(line)

    principles: list[Principle] = []
    sections: dict[str, str] = {}
    for block in blocks:
        content = _clean_body(block.lines)
        heading_empty = _placeholder_only(block.heading)
        if heading_empty and _placeholder_only(content):
            continue
        if block.is_principle:
            number, name = _numbering(block.heading)
            marked = bool(_NON_NEGOTIABLE.search(name))
            name = _NON_NEGOTIABLE_MARK.sub("", name).strip(" .:-–—")
            if heading_empty or not name:
                name = f"Principle {len(principles) + 1}"
            principles.append(
                Principle(
                    number=number,
                    name=name,
                    text=content,
                    non_negotiable=marked or bool(_NON_NEGOTIABLE.search(content)),
                )
            )
        elif content and not _placeholder_only(content):
            name = block.heading if not heading_empty else f"Section {len(sections) + 1}"
            sections[name] = f"{sections[name]}\n\n{content}" if name in sections else content

    version_match = _VERSION.search(body)
    version = version_match["version"] if version_match else None
    if version is not None and _placeholder_only(version):
        version = None
    title = _PLACEHOLDER.sub("", title).strip() or "Constitution"
    return Constitution(
        title=title, path=path, principles=principles, sections=sections, version=version, raw=text
    )


# --- sentences -----------------------------------------------------------------------------

_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(\[`*_])")
_ABBREVIATION = re.compile(r"(?:\b(?:e\.g|i\.e|etc|vs|cf|approx|incl|Mr|Ms|Dr|No)\.)$", re.IGNORECASE)
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")


def sentences(text: str) -> list[str]:
    """The sentences of a Markdown body: list items and paragraphs split at sentence ends,
    hard-wrapped lines joined, emphasis markers dropped."""
    units: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            units.append(" ".join(paragraph))
            paragraph.clear()

    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            flush()
        elif stripped.startswith(("#", "|")):  # a heading or a table row stands alone
            flush()
            units.append(stripped.strip("#| "))
        elif _LIST_MARKER.match(line) or stripped.startswith(">"):
            flush()
            paragraph.append(_LIST_MARKER.sub("", stripped).lstrip("> ").strip())
        else:
            paragraph.append(stripped)
    flush()

    out: list[str] = []
    for unit in units:
        pieces = _SENTENCE_END.split(_EMPHASIS.sub(r"\2", unit))
        merged: list[str] = []
        for piece in pieces:
            if merged and _ABBREVIATION.search(merged[-1]):
                merged[-1] = f"{merged[-1]} {piece}"
            else:
                merged.append(piece)
        out += [m.strip() for m in merged if m.strip()]
    return out
