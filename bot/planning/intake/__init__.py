"""Spec intake: any spec text -> the `Spec` model, and the check that it is enough to plan from.

`parse_spec` recognises a spec-kit `spec.md` (the current template or the pre-2025-10 one) and
reads anything else as a free-form issue; `read_spec` also refuses a spec too thin to plan
from with a `ThinSpecError` whose message is ready to post.
"""

from __future__ import annotations

import re

from bot.planning.intake.freeform import parse_freeform, split_plan_command
from bot.planning.intake.markdown import Document, read_markdown
from bot.planning.intake.sections import SectionKind, section_kind
from bot.planning.intake.speckit import parse_speckit
from bot.planning.intake.substance import ThinSpecError, check_substance, missing_parts
from bot.planning.spec import Spec, SpecFormat

__all__ = ["MAX_SPEC_CHARS", "SpecTooLargeError", "ThinSpecError", "check_substance", "detect_format", "missing_parts", "parse_spec", "read_spec"]

_SPEC_KIT_TITLE = re.compile(r"^\s*feature\s+spec(?:ification)?\s*:", re.IGNORECASE)
_FR_ID = re.compile(r"\bFR-\d{3}\b")
_LEGACY_MARKS = re.compile(r"review (?:&|and) acceptance checklist|execution status|execution flow", re.IGNORECASE)


def detect_format(doc: Document, text: str) -> SpecFormat:
    """`spec-kit` for the current template, `spec-kit-legacy` for the pre-2025-10 one (a single
    primary user story, a review checklist, no success criteria), else `free-form`."""
    headings = doc.headings()
    kinds = {section_kind(s.name) for s in headings}
    titled = any(s.level == 1 and _SPEC_KIT_TITLE.match(s.title) for s in headings)
    signals = sum((
        bool(kinds & {SectionKind.STORY, SectionKind.PRIMARY_STORY, SectionKind.SCENARIOS}),
        _FR_ID.search(text) is not None,
        any(s.name.startswith("key entities") for s in headings),
        any(s.name.startswith("functional requirements") for s in headings),
    ))
    if not titled and signals < 2:
        return "free-form"
    legacy = SectionKind.PRIMARY_STORY in kinds or any(_LEGACY_MARKS.search(s.title) for s in headings)
    if not legacy and SectionKind.STORY not in kinds and SectionKind.SUCCESS not in kinds:
        legacy = SectionKind.SCENARIOS in kinds
    return "spec-kit-legacy" if legacy else "spec-kit"


def parse_spec(text: str, *, title: str | None = None) -> Spec:
    """Read spec text of any supported form into a `Spec`. `title` is the issue title, used
    when the text does not name the feature itself (and first for free-form text)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    body, plan_context = split_plan_command(text)
    doc = read_markdown(body)
    spec_format = detect_format(doc, body)
    if spec_format == "free-form":
        spec = parse_freeform(doc, body, title=title)
    else:
        spec = parse_speckit(doc, body, title=title, legacy=spec_format == "spec-kit-legacy")
    if plan_context:
        parts = [p for p in (spec.technical_context, plan_context) if p]
        spec.technical_context = "\n\n".join(parts)
    spec.raw = text
    return spec


MAX_SPEC_CHARS = 1_000_000  # about 200 pages: larger is not a feature spec but a whole product's


class SpecTooLargeError(ValueError):
    """The spec is larger than planbot plans from; the message says how large and what to do."""


def read_spec(text: str, *, title: str | None = None) -> Spec:
    """`parse_spec`, then refuse a spec too thin to plan from (raises `ThinSpecError`) or too large
    (raises `SpecTooLargeError`, before any parsing)."""
    if len(text) > MAX_SPEC_CHARS:
        raise SpecTooLargeError(
            f"The spec has {len(text):,} characters; planbot plans from specs of up to {MAX_SPEC_CHARS:,}. "
            "Split the feature into smaller features, each with its own spec.")
    spec = parse_spec(text, title=title)
    check_substance(spec)
    return spec
