"""What the other files are checked against in spec.md: requirement ids and user stories."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.planning.validation.markdown import MarkdownDoc

# `- **FR-001**: …`, `**FR-001:** …`, `FR-001: …`, `1. **FR-001**: …`
REQUIREMENT_DEFINITION = re.compile(r"^\s*(?:[-*+]\s+|\d{1,3}[.)]\s+)?\*{0,2}(?P<id>FR-\d+)\*{0,2}\s*:")
REQUIREMENT_REF = re.compile(r"\bFR-\d+\b")
REQUIREMENTS_SECTION = re.compile(r"\bfunctional requirements\b", re.IGNORECASE)
STORY_HEADING = re.compile(r"^User Story\s+(?P<number>\d+)\b", re.IGNORECASE)
STORY_REF = re.compile(r"\[(?P<id>US\d+)\]")


@dataclass(frozen=True)
class SpecFacts:
    requirements: dict[str, int]  # FR id -> line of its definition
    duplicates: list[tuple[str, int]] = field(default_factory=list)  # (FR id, line) defined again
    stories: dict[str, int] = field(default_factory=dict)  # "US1" -> line of its heading


def read_spec(doc: MarkdownDoc) -> SpecFacts:
    """Requirement definitions (from the Functional Requirements section when it defines any,
    else from anywhere in the file) and `User Story N` headings."""
    section = doc.find_heading(REQUIREMENTS_SECTION)
    candidates = list(doc.prose())
    if section is not None:
        in_section = [(n, text) for n, text in candidates if n in doc.section(section)]
        if any(REQUIREMENT_DEFINITION.match(text) for _, text in in_section):
            candidates = in_section
    requirements: dict[str, int] = {}
    duplicates: list[tuple[str, int]] = []
    for n, text in candidates:
        match = REQUIREMENT_DEFINITION.match(text)
        if not match:
            continue
        if match["id"] in requirements:
            duplicates.append((match["id"], n))
        else:
            requirements[match["id"]] = n
    stories: dict[str, int] = {}
    for heading in doc.headings:
        story = STORY_HEADING.match(heading.text)
        if story:
            stories.setdefault(f"US{int(story['number'])}", heading.line)
    return SpecFacts(requirements=requirements, duplicates=duplicates, stories=stories)
