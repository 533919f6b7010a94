"""Mermaid blocks checked for what breaks rendering on GitHub: the diagram type, balanced
brackets and quotes, flowchart edges and state transitions, and the erDiagram grammar."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.planning.validation.er_diagram import Problem, read_er_diagram

DIAGRAM_TYPES: tuple[str, ...] = (
    "erDiagram",
    "graph",
    "flowchart",
    "sequenceDiagram",
    "stateDiagram-v2",
    "stateDiagram",
    "gantt",
    "classDiagram",
    "journey",
    "pie",
    "timeline",
    "mindmap",
)
FLOW_DIRECTIONS: tuple[str, ...] = ("TB", "TD", "BT", "RL", "LR")
# Diagram types whose lines carry free text after a colon (messages, tasks, labels).
FREE_TEXT_AFTER_COLON: tuple[str, ...] = ("sequenceDiagram", "gantt", "journey", "pie", "timeline")
PAIRS = {")": "(", "]": "[", "}": "{"}

# Flowchart statements: node groups joined by edges.
_ID = r"[A-Za-z_]\w*"
_TEXT = r'(?:"[^"]*"|[^\[\](){}"]*)'
_SHAPES = (
    rf"\(\({_TEXT}\)\)",  # circle
    rf"\(\[{_TEXT}\]\)",  # stadium
    rf"\[\({_TEXT}\)\]",  # cylinder
    rf"\[\[{_TEXT}\]\]",  # subroutine
    rf"\{{\{{{_TEXT}\}}\}}",  # hexagon
    rf"\[{_TEXT}\]",  # rectangle (also [/…/] and [\…\])
    rf"\({_TEXT}\)",  # rounded
    rf"\{{{_TEXT}\}}",  # rhombus
    rf">{_TEXT}\]",  # flag
)
FLAG_SHAPE = re.compile(rf"(?<=\w)>{_TEXT}\]")  # `A>text]`: the one shape whose brackets do not pair
_NODE = rf"{_ID}(?:{'|'.join(_SHAPES)})?(?::::[\w-]+)?"
_GROUP = rf"{_NODE}(?:\s*&\s*{_NODE})*"
_ARROW = r"(?:<?-{2,}[->ox]?|<?-\.+-[>ox]?|<?={2,}[=>ox]?|~{3,})"
_TEXT_ARROW = r"(?:--\s+[^-|]+?\s+-{2,}[->ox]?|==\s+[^=|]+?\s+={2,}[=>ox]?|-\.\s+[^.|]+?\s+\.-[>ox]?)"
_EDGE = rf"\s*(?:{_TEXT_ARROW}|{_ARROW})\s*(?:\|[^|]*\|)?\s*"
FLOW_STATEMENT = re.compile(rf"^{_GROUP}(?:{_EDGE}{_GROUP})*\s*;?$")
QUOTE_AWARE_SEMICOLON = re.compile(r';(?=(?:[^"]*"[^"]*")*[^"]*$)')  # `;` ends a statement outside quotes
FLOW_DIRECTIVE = re.compile(
    r"^(?:subgraph\b.*|end|direction\s+(?:TB|TD|BT|RL|LR)|classDef\b.*|class\b.*|style\b.*|linkStyle\b.*"
    r"|click\b.*|accTitle\b.*|accDescr\b.*)\s*;?$"
)

# State diagram lines.
_STATE = r"(?:\[\*\]|[A-Za-z_]\w*)(?::::[\w-]+)?"
STATE_TRANSITION = re.compile(rf"^{_STATE}\s*-->\s*{_STATE}\s*(?::.*)?$")
STATE_OTHER = re.compile(
    r"^(?:state\b.*|\}|--|direction\s+(?:TB|BT|LR|RL)|classDef\b.*|class\b.*|accTitle\b.*|accDescr\b.*"
    r"|note\s+(?:left|right)\s+of\s+\w+.*|[A-Za-z_]\w*\s*:.*|[A-Za-z_]\w*(?::::[\w-]+)?)$"
)


def check_mermaid_block(body: Sequence[tuple[int, str]], fence_line: int) -> list[Problem]:
    """Problems in one ```mermaid block, given its lines with their numbers."""
    lines = diagram_lines(body)
    if not lines:
        return [Problem(fence_line, "mermaid-type", "Mermaid block is empty")]
    first_line, first = lines[0]
    words = first.rstrip(";").split()
    kind = words[0] if words else ""
    if kind not in DIAGRAM_TYPES:
        known = ", ".join(DIAGRAM_TYPES)
        return [Problem(first_line, "mermaid-type", f"Mermaid block does not start with a known diagram type ({known}): {first}")]
    problems: list[Problem] = []
    if kind in ("graph", "flowchart") and len(words) > 1 and (len(words) > 2 or words[1] not in FLOW_DIRECTIONS):
        problems.append(
            Problem(first_line, "mermaid-type", f"{kind} direction must be one of {', '.join(FLOW_DIRECTIONS)}: {first}")
        )
    rest = lines[1:]
    if kind == "erDiagram":
        problems.extend(read_er_diagram(rest).problems)
        problems.extend(_quote_problems(rest))
        return problems
    problems.extend(_balance_problems(kind, rest))
    if kind in ("graph", "flowchart"):
        problems.extend(_flowchart_problems(rest))
    elif kind.startswith("stateDiagram"):
        problems.extend(_state_problems(rest))
    if kind in ("classDiagram",) or kind.startswith("stateDiagram"):
        problems.extend(_block_problems(rest))
    return problems


def diagram_lines(body: Sequence[tuple[int, str]]) -> list[tuple[int, str]]:
    """Non-empty lines, stripped, without `%%` comments, directives and YAML front matter."""
    lines: list[tuple[int, str]] = []
    in_front_matter = False
    for n, raw in body:
        text = raw.strip()
        if not lines and text == "---":
            in_front_matter = not in_front_matter
            continue
        if in_front_matter or not text or text.startswith("%%"):
            continue
        lines.append((n, text))
    return lines


def _quote_problems(lines: Sequence[tuple[int, str]]) -> list[Problem]:
    return [
        Problem(n, "mermaid-unbalanced", f"unbalanced double quote in Mermaid line: {text}")
        for n, text in lines
        if text.count('"') % 2
    ]


def _balance_problems(kind: str, lines: Sequence[tuple[int, str]]) -> list[Problem]:
    problems = _quote_problems(lines)
    quoted = {problem.line for problem in problems}
    for n, text in lines:
        if n in quoted or text == "}":
            continue
        checked = text
        if kind in FREE_TEXT_AFTER_COLON or kind.startswith("stateDiagram"):
            checked = checked.split(":", 1)[0]
        if kind in ("classDiagram",) or kind.startswith("stateDiagram"):
            checked = checked.removesuffix("{")
        if kind in ("graph", "flowchart"):
            checked = FLAG_SHAPE.sub("", checked)
        unbalanced = _unbalanced(checked)
        if unbalanced:
            problems.append(Problem(n, "mermaid-unbalanced", f"unbalanced {unbalanced!r} in Mermaid line: {text}"))
    return problems


def _unbalanced(text: str) -> str | None:
    """The first bracket without its partner, outside double-quoted text; None when balanced."""
    stack: list[str] = []
    in_quotes = False
    for char in text:
        if char == '"':
            in_quotes = not in_quotes
        elif in_quotes:
            continue
        elif char in "([{":
            stack.append(char)
        elif char in PAIRS:
            if not stack or stack[-1] != PAIRS[char]:
                return char
            stack.pop()
    return stack[0] if stack else None


def _flowchart_problems(lines: Sequence[tuple[int, str]]) -> list[Problem]:
    problems: list[Problem] = []
    for n, text in lines:
        statements = [s.strip() for s in QUOTE_AWARE_SEMICOLON.split(text) if s.strip()]
        if all(FLOW_DIRECTIVE.match(s) or FLOW_STATEMENT.match(s) for s in statements):
            continue
        problems.append(
            Problem(
                n,
                "mermaid-edge",
                "flowchart line is not a node or an edge such as `A --> B`, `A -->|label| B`, "
                f"`A -.-> B`, `A ==> B` or `A --- B` (node ids are letters, digits and _): {text}",
            )
        )
    return problems


def _state_problems(lines: Sequence[tuple[int, str]]) -> list[Problem]:
    problems: list[Problem] = []
    in_note = False
    for n, text in lines:
        if in_note:
            in_note = text != "end note"
            continue
        if "-->" in text:
            if not STATE_TRANSITION.match(text):
                problems.append(
                    Problem(n, "mermaid-state", f"state transition is not `A --> B` or `[*] --> A` with an optional `: label`: {text}")
                )
            continue
        if not STATE_OTHER.match(text):
            problems.append(Problem(n, "mermaid-state", f"state diagram line cannot be read: {text}"))
            continue
        if text.startswith("note ") and ":" not in text:
            in_note = True
    return problems


def _block_problems(lines: Sequence[tuple[int, str]]) -> list[Problem]:
    """`name {` … `}` blocks of class and state diagrams must close."""
    opened: list[int] = []
    for n, text in lines:
        if text.split(":", 1)[0].rstrip().endswith("{"):
            opened.append(n)
        elif text == "}":
            if not opened:
                return [Problem(n, "mermaid-unbalanced", "`}` closes no block in this Mermaid diagram")]
            opened.pop()
    return [Problem(n, "mermaid-unbalanced", "Mermaid block opened with `{` is never closed") for n in opened]
