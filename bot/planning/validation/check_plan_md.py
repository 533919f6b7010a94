"""plan.md: the Technical Context filled in, no template placeholder left, a Constitution Check."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.planning.artifacts import PLAN
from bot.planning.plan_document.technical_context import field_key
from bot.planning.validation.findings import Finding, error, warning
from bot.planning.validation.folder import PlanFolder
from bot.planning.validation.markdown import FIELD, MarkdownDoc

# The Technical Context fields of spec-kit's plan template.
TECHNICAL_CONTEXT_FIELDS: tuple[str, ...] = (
    "Language/Version",
    "Primary Dependencies",
    "Storage",
    "Testing",
    "Target Platform",
    "Project Type",
    "Performance Goals",
    "Constraints",
    "Scale/Scope",
)
# What spec-kit's plan template holds until someone fills it in.
PLACEHOLDER = re.compile(r"\[e\.g\.|\[FEATURE\]|\[###-feature-name\]|\[DATE\]|ACTION REQUIRED", re.IGNORECASE)
NEEDS_CLARIFICATION = re.compile(r"NEEDS CLARIFICATION")
TECHNICAL_CONTEXT = re.compile(r"^Technical Context\b", re.IGNORECASE)
CONSTITUTION_CHECK = re.compile(r"^Constitution Check\b", re.IGNORECASE)


def check(folder: PlanFolder) -> Iterator[Finding]:
    doc = folder.artifact_doc(PLAN)
    if doc is None:
        return
    values = _field_values(doc)
    # A repository's own plan template may word a field its own way ("Primary Frameworks"):
    # a label counts for the field it holds, read the same way the template filler reads it.
    by_field: dict[str | None, tuple[int, str]] = {}
    for label, found in values.items():
        by_field.setdefault(field_key(label), found)
    context = doc.find_heading(TECHNICAL_CONTEXT)
    missing_line = context.line if context else 1
    for name in TECHNICAL_CONTEXT_FIELDS:
        found = values.get(name.lower()) or by_field.get(field_key(name))
        if found is None:
            yield error(doc.path, missing_line, "plan-field-missing", f"Technical Context lacks **{name}**")
        elif not found[1].strip(" *_`-—"):
            yield error(doc.path, found[0], "plan-placeholder", f"Technical Context **{name}** is empty")
    for n, text in doc.numbered():
        placeholder = PLACEHOLDER.search(text)
        if placeholder:
            yield error(doc.path, n, "plan-placeholder", f"template placeholder left in plan.md: {placeholder.group(0)!r}")
        if NEEDS_CLARIFICATION.search(text):
            yield warning(doc.path, n, "needs-clarification", "NEEDS CLARIFICATION left in plan.md")
    if doc.find_heading(CONSTITUTION_CHECK) is None:
        yield error(doc.path, 1, "plan-section-missing", "no `## Constitution Check` section")


def _field_values(doc: MarkdownDoc) -> dict[str, tuple[int, str]]:
    """Lower-cased field name -> (line, value), from `**Name**: value` lines or `| Name | value |` rows."""
    values: dict[str, tuple[int, str]] = {}
    for n, text in doc.prose():
        field = FIELD.match(text)
        if field:
            values.setdefault(field["name"].strip().lower(), (n, field["value"]))
            continue
        if text.lstrip().startswith("|"):
            cells = [c.strip() for c in text.strip().strip("|").split("|")]
            if len(cells) >= 2:
                values.setdefault(cells[0].strip("*_ ").lower(), (n, cells[1]))
    return values
