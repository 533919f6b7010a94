"""Filling a repository's own plan template (spec-kit's `plan-template.md` or a variant of it).

The template is read as plain Markdown, never executed: header placeholders are replaced, the
Technical Context values filled under the template's own labels, the Summary, Constitution
Check, Project Structure and Complexity Tracking bodies written from planbot's `plan.md.j2`
blocks (one wording for both paths), `ACTION REQUIRED` comments and the command front matter
removed. Every other section the repository wrote is kept as it is, and planbot's Decisions,
Phases and artifact links are appended when the template has no such section.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from bot.planning import artifacts as artifact_list
from bot.planning.plan import Plan
from bot.planning.plan_document.refs import NEEDS_CLARIFICATION
from bot.planning.plan_document.technical_context import TechnicalContext, field_key
from bot.planning.plan_document.values import all_values, plan_md_values, render_block, spec_input, spec_link

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_FIELD_LINE = re.compile(r"^(?P<lead>\s*(?:[-*]\s+)?)\*\*(?P<label>[^*]+?)\*\*\s*:\s*(?P<value>.*?)(?P<trail>\s*)$")
_PLACEHOLDER = re.compile(r"\[[^\]\n]*\]")
_ACTION_COMMENT = re.compile(r"[ \t]*<!--(?:(?!-->).)*?ACTION REQUIRED(?:(?!-->).)*?-->[ \t]*\n?", re.DOTALL)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n---[ \t]*\n", re.DOTALL)
_HEADER_PLACEHOLDERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\[FEATURE(?: NAME)?\]"), "title"),
    (re.compile(r"\[#{3}-feature(?:-name)?\]"), "branch"),
    (re.compile(r"\[DATE\]"), "date"),
    (re.compile(r"\[link\]"), "link"),
)
# Sections planbot adds when the template has none by these names: (names, block of plan.md.j2).
_APPENDED: tuple[tuple[frozenset[str], str], ...] = (
    (frozenset({"technical context"}), "technical_context_section"),
    (frozenset({"constitution check"}), "constitution_check_section"),
    (frozenset({"decisions", "technical decisions"}), "decisions_section"),
    (frozenset({"phases", "phase summary"}), "phases_section"),
    (frozenset({"generated artifacts", "artifacts"}), "artifacts_section"),
)
# Sections whose body planbot writes after whatever real text the template keeps there.
_FILLED_AFTER: dict[str, str] = {
    "summary": "summary",
    "decisions": "decisions",
    "technical decisions": "decisions",
    "phases": "phases",
    "phase summary": "phases",
    "generated artifacts": "artifact_links",
    "artifacts": "artifact_links",
}
# Sections whose body planbot replaces, keeping only the template's opening notes.
_REPLACED: dict[str, str] = {
    "constitution check": "constitution_check",
    "complexity tracking": "complexity_tracking",
}
_OUR_STRUCTURE = frozenset({"documentation (this feature)", "source code (repository root)", "source code"})


class _Section(NamedTuple):
    heading: str | None  # the heading line; None for the text before the first heading
    lines: list[str]

    @property
    def name(self) -> str:
        match = _HEADING.match(self.heading or "")
        return re.sub(r"[*_`]", "", match.group(2)).strip().lower() if match else ""


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    run = len(stripped) - len(stripped.lstrip(fence[0]))
    return run >= len(fence) and not stripped[run:].strip()


def _split(text: str, level: int) -> list[_Section]:
    """Sections at one heading level; headings inside fenced code do not count."""
    sections = [_Section(None, [])]
    fence: str | None = None
    for line in text.split("\n"):
        marker = _FENCE.match(line)
        if marker and fence is None:
            fence = marker.group(1)
        elif marker and fence is not None and _closes(line, fence):
            fence = None
        elif fence is None and (heading := _HEADING.match(line)) and len(heading.group(1)) == level:
            sections.append(_Section(line, []))
            continue
        sections[-1].lines.append(line)
    return sections


def _lines(sections: list[_Section]) -> list[str]:
    return [line for s in sections for line in ([s.heading] if s.heading is not None else []) + s.lines]


def _is_placeholder(text: str) -> bool:
    """Nothing but `[…]` placeholders, or a NEEDS CLARIFICATION the template wrote."""
    return not _PLACEHOLDER.sub("", text).strip(" .,;:") or NEEDS_CLARIFICATION in text


def _is_note(line: str) -> bool:
    """An italic or quoted note under a heading, such as spec-kit's GATE line."""
    stripped = line.strip()
    italic = stripped[:1] in "*_" and not stripped.startswith("**") and stripped[-1:] in "*_"
    return bool(stripped) and (stripped.startswith(">") or italic)


def _notes(lines: list[str]) -> str:
    """The note lines that open a section body."""
    kept = []
    for line in lines:
        if not line.strip():
            continue
        if not _is_note(line):
            break
        kept.append(line)
    return "\n".join(kept)


def _body(*chunks: str) -> list[str]:
    text = "\n\n".join(chunk for chunk in chunks if chunk.strip())
    return ["", *text.split("\n"), ""]


def _trim(lines: list[str]) -> list[str]:
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    return lines[:end]


def _fill_header(text: str, plan: Plan) -> str:
    link = spec_link(plan)
    values = {
        "title": plan.spec.title,
        "branch": plan.feature.branch,
        "date": plan.generated_at.date().isoformat(),
        "link": f"[{link.text}]({link.target})",
    }
    for pattern, key in _HEADER_PLACEHOLDERS:
        text = pattern.sub(lambda _match, value=values[key]: value, text)
    return text


def _fill_preamble(lines: list[str], plan: Plan) -> list[str]:
    out = []
    for line in lines:
        match = _FIELD_LINE.match(line)
        if match and match.group("label").strip().lower() == "input":
            line = f"{match.group('lead')}**{match.group('label').strip()}**: {spec_input(plan)}{match.group('trail')}"
        out.append(line)
    return out


def _fill_technical_context(lines: list[str], context: TechnicalContext, user_context: str) -> list[str]:
    filled: set[str] = set()
    out: list[str] = []
    last = -1
    for line in lines:
        match = _FIELD_LINE.match(line)
        if not match:
            if not (line.strip() and _is_placeholder(line)):
                out.append(line)
            continue
        label = match.group("label").strip()
        key = field_key(label)
        value = match.group("value")
        if key is not None and key not in filled:
            value = context.field(key).value
            filled.add(key)
        elif _is_placeholder(value):
            value = f"{NEEDS_CLARIFICATION} (nothing in the spec, the repository or the decisions says)"
        out.append(f"{match.group('lead')}**{label}**: {value}  ")  # a hard break keeps one field a line
        last = len(out) - 1
    missing = [f"**{f.label}**: {f.value}  " for f in context.fields if f.key not in filled]
    if last < 0:
        out = [*_trim(out), "", *missing]
    else:
        out[last + 1 : last + 1] = missing
    if user_context:
        out = [*_trim(out), "", *user_context.split("\n")]
    return [*_trim(out), ""]


def _fill_project_structure(lines: list[str], values: dict[str, Any]) -> list[str]:
    """planbot's documentation and source trees; subsections the repository added stay."""
    parts = _split("\n".join(lines), 3)
    kept = [s for s in parts[1:] if s.name not in _OUR_STRUCTURE]
    body = _body(_notes(parts[0].lines), render_block(artifact_list.PLAN.template, "project_structure", values))
    return body + _lines(kept)


def fill_plan_template(template_text: str, plan: Plan) -> str:
    """The repository's own plan template filled for this plan (see the module docstring)."""
    values = all_values(plan, plan_md_values(plan))
    context = technical_context_of(values)
    text = template_text.replace("\r\n", "\n")
    text = _FRONT_MATTER.sub("", text, count=1)
    text = _ACTION_COMMENT.sub("", text)
    text = _fill_header(text, plan)

    def block(name: str) -> str:
        return render_block(artifact_list.PLAN.template, name, values)

    sections = _split(text, 2)
    filled: list[_Section] = []
    for section in sections:
        name, lines = section.name, section.lines
        if section.heading is None:
            lines = _fill_preamble(lines, plan)
        elif name in _FILLED_AFTER:
            kept = [line for line in lines if not (line.strip() and _is_placeholder(line))]
            lines = _body("\n".join(_trim(kept)).strip("\n"), block(_FILLED_AFTER[name]))
        elif name in _REPLACED:
            lines = _body(_notes(lines), block(_REPLACED[name]))
        elif name == "technical context":
            lines = _fill_technical_context(lines, context, block("user_context"))
        elif name == "project structure":
            lines = _fill_project_structure(lines, values)
        filled.append(_Section(section.heading, lines))

    present = {s.name for s in sections}
    extra = [block(name) for names, name in _APPENDED if not names & present]
    result = "\n".join(_trim(_lines(filled))).lstrip("\n")
    if extra:
        result += "\n\n" + "\n\n".join(extra)
    return re.sub(r"\n{3,}", "\n\n", result).rstrip() + "\n"


def technical_context_of(values: dict[str, Any]) -> TechnicalContext:
    context = values["technical_context"]
    if not isinstance(context, TechnicalContext):
        raise TypeError("plan_md_values must give a TechnicalContext")
    return context
