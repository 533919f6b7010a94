"""A Mermaid `erDiagram` block read line by line: entities, attributes and relationships.

The grammar follows what Mermaid accepts: an attribute is `type name [PK|FK|UK[, …]] ["comment"]`
with a type made of letters, digits, `_`, `-`, `[]` and `()` (so `numeric(12,2)` breaks a diagram),
and a relationship is `A <left>--<right> B : label` with a quoted label or a single word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

ENTITY_NAME = r"[A-Za-z_][\w-]*"
ENTITY_LINE = re.compile(rf"^(?P<name>{ENTITY_NAME})(?:\s*\[\s*\"[^\"]*\"\s*\])?\s*(?P<open>\{{)?\s*$")
ATTRIBUTE_LINE = re.compile(
    r"^(?P<type>[*A-Za-z_][\w\-\[\]()]*)\s+(?P<name>[*A-Za-z_][\w\-\[\]()]*)"
    r"(?:\s+(?P<keys>(?:PK|FK|UK)(?:\s*,\s*(?:PK|FK|UK))*))?"
    r"(?:\s+\"(?P<comment>[^\"]*)\")?\s*$"
)
LEFT_CARDINALITY = r"\|o|\|\||\}o|\}\|"
RIGHT_CARDINALITY = r"o\||\|\||o\{|\|\{"
RELATIONSHIP_LINE = re.compile(
    rf"^(?P<left>{ENTITY_NAME})\s*(?:{LEFT_CARDINALITY})(?:--|\.\.)(?:{RIGHT_CARDINALITY})\s*"
    rf"(?P<right>{ENTITY_NAME})\s*:\s*(?P<label>\"[^\"]*\"|[\w-]+)\s*$"
)
# Anything with a cardinality-like connector: read as an attempted relationship.
RELATIONSHIP_LIKE = re.compile(r"[|}o{]?(?:--|\.\.)[|}o{]?")
DIRECTION_LINE = re.compile(r"^direction\s+(?:TB|BT|LR|RL)$")
DIRECTIVE_LINE = re.compile(r"^(?:title|accTitle|accDescr|classDef|class|style)\b")


@dataclass(frozen=True)
class Problem:
    line: int
    code: str
    message: str


@dataclass
class ErDiagram:
    entities: dict[str, int] = field(default_factory=dict)  # name -> line it is first defined on
    relationships: list[tuple[str, str, int]] = field(default_factory=list)  # (left, right, line)
    problems: list[Problem] = field(default_factory=list)


def read_er_diagram(body: Sequence[tuple[int, str]]) -> ErDiagram:
    """Read the lines after the `erDiagram` line of one Mermaid block."""
    diagram = ErDiagram()
    open_block: tuple[str, int] | None = None
    for n, raw in body:
        text = raw.strip()
        if not text or text.startswith("%%"):
            continue
        if open_block is not None:
            if text == "}":
                open_block = None
            elif not ATTRIBUTE_LINE.match(text):
                diagram.problems.append(
                    Problem(
                        n,
                        "erd-attribute",
                        f"erDiagram attribute of {open_block[0]} is not `type name [PK|FK|UK] [\"comment\"]` "
                        f"(types may hold letters, digits, _, -, [] and () only): {text}",
                    )
                )
            continue
        entity = ENTITY_LINE.match(text)
        if entity:
            diagram.entities.setdefault(entity["name"], n)
            if entity["open"]:
                open_block = (entity["name"], n)
            continue
        relationship = RELATIONSHIP_LINE.match(text)
        if relationship:
            diagram.relationships.append((relationship["left"], relationship["right"], n))
            continue
        if DIRECTION_LINE.match(text) or DIRECTIVE_LINE.match(text):
            continue
        if RELATIONSHIP_LIKE.search(text):
            message = (
                "erDiagram relationship is not `A <cardinality>--<cardinality> B : label` "
                "(left |o, ||, }o or }|; right o|, ||, o{ or |{; -- or ..; a quoted label or one word)"
            )
        else:
            message = "erDiagram line is neither an entity, an attribute block nor a relationship"
        diagram.problems.append(Problem(n, "erd-syntax", f"{message}: {text}"))
    if open_block is not None:
        diagram.problems.append(
            Problem(open_block[1], "erd-syntax", f"erDiagram entity block `{open_block[0]} {{` is never closed")
        )
    for left, right, n in diagram.relationships:
        for end in (left, right):
            if end not in diagram.entities:
                diagram.problems.append(
                    Problem(n, "erd-unknown-entity", f"erDiagram relationship names {end}, which has no entity block")
                )
    return diagram
