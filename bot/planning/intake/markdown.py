"""A small structural view of a Markdown document, built on markdown-it-py.

Specs and issues are read as a tree of sections (one per heading) holding blocks: paragraphs,
lists (with their nested items), code and tables. Inline markup is dropped: `**FR-001**: x`
reads as `FR-001: x`, a code span keeps its content. HTML blocks (template comments) are
skipped. Every function here is linear in the size of the document.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.token import Token

_PARSER = MarkdownIt("commonmark").enable("table").enable("strikethrough")

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n---[ \t]*\n", re.DOTALL)
_CHECKBOX = re.compile(r"^\[([ xX])\]\s+")
_TITLE_NOISE = re.compile(r"\s*[(\[][^)\]]*[)\]]\s*$")  # a trailing "(mandatory)" or "[optional]"
_TITLE_NUMBER = re.compile(r"^(?:\d+(?:\.\d+)*|[A-Z]|[IVX]+)[.)]\s+")
_TITLE_EDGES = re.compile(r"^[\W_]+|[\W_]+$")

BlockKind = Literal["paragraph", "list", "code", "table"]


@dataclass(slots=True)
class Item:
    """One list item: its own text (paragraphs, line breaks kept) and its nested items."""

    text: str
    line: int
    ordered: bool = False
    number: int | None = None
    checked: bool | None = None  # a `[ ]` / `[x]` task box; None when there is none
    children: list[Item] = field(default_factory=list)

    @property
    def flat(self) -> str:
        """The item's own text on one line."""
        return " ".join(self.text.split())

    def full_text(self) -> str:
        """The item's text followed by its nested items, on one line: `Export: CSV; PDF`."""
        if not self.children:
            return self.flat
        nested = "; ".join(child.full_text() for child in self.children if child.flat)
        head = self.flat
        if not head:
            return nested
        joiner = " " if head.endswith(":") else ": "
        return f"{head}{joiner}{nested}"


@dataclass(slots=True)
class Block:
    kind: BlockKind
    line: int
    text: str = ""  # a paragraph (line breaks kept as "\n") or the content of a code block
    info: str = ""  # the language of a fenced code block
    items: list[Item] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)  # a table, header row first

    @property
    def flat(self) -> str:
        return " ".join(self.text.split())


@dataclass(slots=True)
class Section:
    """A heading and what follows it up to the next heading of the same or a higher level.

    The document itself is the root section: level 0, no title, holding what precedes the
    first heading.
    """

    level: int
    title: str
    line: int  # the line of the heading (0 for the root)
    body_line: int  # the first line after the heading
    end_line: int = 0  # one past the last line of the section, subsections included
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The title normalised for matching: see `normalise_title`."""
        return normalise_title(self.title)

    def walk(self) -> Iterator[Section]:
        """This section and every section below it, in document order."""
        stack = [self]
        while stack:
            section = stack.pop()
            yield section
            stack.extend(reversed(section.children))

    def paragraphs(self) -> list[str]:
        """The section's own paragraphs, each on one line."""
        return [b.flat for b in self.blocks if b.kind == "paragraph" and b.flat]

    def items(self) -> list[Item]:
        """The top-level items of the section's own lists."""
        return [item for b in self.blocks if b.kind == "list" for item in b.items]


@dataclass(slots=True)
class Document:
    root: Section
    lines: list[str]

    def sections(self) -> Iterator[Section]:
        """Every section, the root first, in document order."""
        return self.root.walk()

    def headings(self) -> list[Section]:
        return [s for s in self.sections() if s.level > 0]

    def source(self, section: Section, *, with_subsections: bool = True) -> str:
        """The Markdown text under the section's heading, as written."""
        end = section.end_line
        if not with_subsections and section.children:
            end = section.children[0].line
        return "\n".join(self.lines[section.body_line : end]).strip()


def normalise_title(title: str) -> str:
    """A heading reduced for matching: lower case, no numbering, no trailing `(mandatory)`,
    no surrounding punctuation or emoji. `2. Key Entities *(optional)*:` -> `key entities`."""
    text = " ".join(title.replace("*", " ").replace("`", " ").split())
    text = _TITLE_NUMBER.sub("", text)
    previous = None
    while previous != text:
        previous = text
        text = _TITLE_NOISE.sub("", text)
    text = _TITLE_EDGES.sub("", text)
    return text.casefold()


def read_markdown(text: str) -> Document:
    """Parse Markdown into sections and blocks."""
    body = _FRONT_MATTER.sub(lambda m: "\n" * m.group(0).count("\n"), text, count=1)
    tokens = _PARSER.parse(body)
    lines = body.split("\n")
    root = Section(level=0, title="", line=0, body_line=0)
    builder = _Builder(tokens, root)
    builder.build()
    _close_sections(root, len(lines))
    return Document(root=root, lines=lines)


def inline_text(token: Token) -> str:
    """The plain text of an inline token: markup dropped, line breaks kept as `\\n`."""
    parts: list[str] = []
    for child in token.children or ():
        kind = child.type
        if kind in ("text", "code_inline"):
            parts.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif kind == "image":
            parts.append(child.content)
    return "".join(parts).strip()


class _Builder:
    """Walks the flat token stream once, keeping a stack of open sections."""

    def __init__(self, tokens: list[Token], root: Section) -> None:
        self.tokens = tokens
        self.pos = 0
        self.stack = [root]

    def build(self) -> None:
        tokens = self.tokens
        while self.pos < len(tokens):
            token = tokens[self.pos]
            if token.type == "heading_open":
                self._heading(token)
                continue
            block = self._block()
            if block is not None:
                self.stack[-1].blocks.append(block)

    def _heading(self, token: Token) -> None:
        level = int(token.tag[1:])
        title = inline_text(self.tokens[self.pos + 1])
        start, end = token.map or (0, 1)
        section = Section(level=level, title=" ".join(title.split()), line=start, body_line=end)
        while self.stack[-1].level >= level:
            self.stack.pop()
        self.stack[-1].children.append(section)
        self.stack.append(section)
        self.pos += 3  # heading_open, inline, heading_close

    def _block(self) -> Block | None:
        """Read the block starting at `pos` and move past it; None for what is not kept."""
        token = self.tokens[self.pos]
        line = token.map[0] if token.map else 0
        kind = token.type
        if kind == "paragraph_open":
            text = inline_text(self.tokens[self.pos + 1])
            self.pos += 3
            return Block(kind="paragraph", line=line, text=text) if text else None
        if kind in ("bullet_list_open", "ordered_list_open"):
            return Block(kind="list", line=line, items=self._list())
        if kind in ("fence", "code_block"):
            self.pos += 1
            return Block(kind="code", line=line, text=token.content, info=token.info.strip())
        if kind == "table_open":
            return Block(kind="table", line=line, rows=self._table())
        if kind == "heading_open":  # a heading nested in a list item or a quote: keep its text
            text = inline_text(self.tokens[self.pos + 1])
            self.pos += 3
            return Block(kind="paragraph", line=line, text=text) if text else None
        self.pos += 1  # html blocks, rules, quote markers: the quoted blocks follow on their own
        return None

    def _list(self) -> list[Item]:
        opener = self.tokens[self.pos]
        closer = opener.type.replace("_open", "_close")
        ordered = opener.type == "ordered_list_open"
        self.pos += 1
        items: list[Item] = []
        while self.pos < len(self.tokens) and self.tokens[self.pos].type != closer:
            if self.tokens[self.pos].type == "list_item_open":
                items.append(self._item(ordered))
            else:
                self.pos += 1
        self.pos += 1
        return items

    def _item(self, ordered: bool) -> Item:
        opener = self.tokens[self.pos]
        line = opener.map[0] if opener.map else 0
        number = int(opener.info) if ordered and opener.info.isdigit() else None
        self.pos += 1
        texts: list[str] = []
        children: list[Item] = []
        while self.pos < len(self.tokens) and self.tokens[self.pos].type != "list_item_close":
            block = self._block()
            if block is None:
                continue
            if block.kind == "list":
                children.extend(block.items)
            elif block.kind == "table":
                texts.extend(" | ".join(row) for row in block.rows)
            elif block.text:
                texts.append(block.text.strip())
        self.pos += 1
        text = "\n".join(texts)
        checked: bool | None = None
        match = _CHECKBOX.match(text)
        if match:
            checked = match.group(1) != " "
            text = text[match.end() :]
        return Item(text=text, line=line, ordered=ordered, number=number, checked=checked, children=children)

    def _table(self) -> list[list[str]]:
        rows: list[list[str]] = []
        row: list[str] | None = None
        self.pos += 1
        while self.pos < len(self.tokens) and self.tokens[self.pos].type != "table_close":
            token = self.tokens[self.pos]
            if token.type == "tr_open":
                row = []
            elif token.type == "tr_close" and row is not None:
                rows.append(row)
                row = None
            elif token.type == "inline" and row is not None:
                row.append(" ".join(inline_text(token).split()))
            self.pos += 1
        self.pos += 1
        return rows


def _close_sections(root: Section, total_lines: int) -> None:
    """Give every section its `end_line`: the line where the next heading at its level or
    above starts, or the end of the document."""
    ordered = list(root.walk())
    root.end_line = total_lines
    open_sections: list[Section] = []
    for section in ordered[1:]:
        while open_sections and open_sections[-1].level >= section.level:
            open_sections.pop().end_line = section.line
        open_sections.append(section)
    for section in open_sections:
        section.end_line = total_lines
