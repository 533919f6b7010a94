"""The plans of a local repository, read from its working copy: files only, no git, no network.

A plan is a feature folder directly under the specs dir (`specs/NNN-short-name/`) that holds a
`decisions.md` or a `plan.md`; its branch is the folder's name, as spec-kit and planbot name
them. Decisions are read back from `decisions.md` with the validator's card reader, so a file a
person edited by hand is understood exactly as `planbot validate` understands it.

Every read stays inside the repository: a feature folder or a file that is a link leading out
of it is left out of listings and refused by name, and an artifact name may not climb out of its
feature folder. Refusals and unknown names raise `PlanError` with one line that says what exists.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path, PurePosixPath

from pydantic import BaseModel, computed_field

from bot.planning.artifacts import DECISIONS, PLAN, SPEC
from bot.planning.decisions import DecisionStatus
from bot.planning.validation.decision_cards import (
    OPTION_KEY_REF,
    DecisionCard,
    read_decisions,
)
from bot.planning.validation.markdown import MarkdownDoc

DEFAULT_SPECS_DIR = "specs"
MAX_ARTIFACT_BYTES = 200_000  # what one `get_artifact` returns at most; the rest is cut, and said so
PLAN_MARKERS: tuple[str, ...] = (DECISIONS.name, PLAN.name)  # a folder holding one of these is a plan
TITLE_SOURCES: tuple[str, ...] = (PLAN.name, SPEC.name)  # where a plan's title is read, first found wins

# `001-name` (sequential numbering) or `20250101-093000-name` (timestamp numbering).
FEATURE_NUMBER = re.compile(r"^(?P<number>\d{8}-\d{6}|\d+)-")
# The template words before a feature's own title in plan.md and spec.md headings.
TITLE_PREFIX = re.compile(r"^(?:Implementation Plan|Feature Specification)\s*:\s*", re.IGNORECASE)
TITLE_SEPARATORS = ":\u2014\u2013- "  # between an option's key and its title: colon, em dash, en dash, hyphen
PROVISIONAL_MARK = re.compile(r"\(?\s*PROVISIONAL(?: DECISION)?\s*\)?\s*$")
MAX_SHOWN_NAME = 80  # a caller's text quoted back in an error is cut to this many characters
MAX_LISTED = 40  # names listed in one error line


class PlanError(Exception):
    """A request names something that is not there, or a path planbot will not read.

    `str(exc)` is one line meant for the caller (a coding agent or a person): what was wrong
    and what exists instead.
    """


class UnknownFeatureError(PlanError):
    """No plan folder matches the name or number given (or several numbers do)."""


class UnknownArtifactError(PlanError):
    """The plan folder holds no such file."""


class UnsafePathError(PlanError):
    """The artifact name is absolute, climbs out with `..`, or is a link leading out of the folder."""


class DecisionCounts(BaseModel):
    """How many of a plan's decisions are in each status."""

    pending: int = 0
    decided: int = 0
    provisional: int = 0
    blocked: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total(self) -> int:
        return self.pending + self.decided + self.provisional + self.blocked


class PlanSummary(BaseModel):
    """One feature folder that holds a plan."""

    feature: str  # the folder's name, e.g. "001-field-service-work-orders"
    number: str | None  # "001", or a "YYYYMMDD-HHMMSS" timestamp; None when the folder has none
    branch: str  # the plan's branch: spec-kit names it after the folder
    directory: str  # the folder, relative to the repository root, with `/` separators
    title: str | None  # the feature's title from plan.md's (else spec.md's) first heading
    decisions: DecisionCounts
    files: list[str]  # every file of the folder, relative to it: "plan.md", "contracts/openapi.yaml", …


class PlanList(BaseModel):
    """The plans of one repository's working copy (the branch checked out there)."""

    repository: str  # the repository root
    specs_dir: str
    plans: list[PlanSummary]


class DecisionSummary(BaseModel):
    """One technical decision (TD001, …) as decisions.md states it."""

    id: str
    category: str | None  # "Architecture", "Data", …; None when the heading names no category
    title: str
    status: DecisionStatus
    chosen_option: str | None  # the option in force ("A", "B", …); None while PENDING or BLOCKED
    chosen_option_title: str | None
    recommended_option: str | None  # the recommendation, which is also the provisional default
    rationale: str | None
    decided_by: str | None
    line: int  # where the decision's heading is in decisions.md


class DecisionList(BaseModel):
    """A plan's decisions, in the order decisions.md gives them (highest impact first)."""

    feature: str
    directory: str
    decisions: list[DecisionSummary]


class Artifact(BaseModel):
    """The text of one file of a plan, cut at `MAX_ARTIFACT_BYTES` when longer."""

    feature: str
    name: str  # the file, relative to the feature folder
    path: str  # the file, relative to the repository root
    size: int  # bytes on disk
    truncated: bool  # True when `text` holds only the first part of the file
    text: str


class RepositoryPlans:
    """Reads the plans of the working copy rooted at `root`."""

    def __init__(self, root: Path, specs_dir: str = DEFAULT_SPECS_DIR) -> None:
        self.root = root.resolve()
        self.specs_dir = normalize_specs_dir(specs_dir)

    @property
    def specs_path(self) -> Path:
        return self.root / self.specs_dir

    def plans(self) -> PlanList:
        """Every plan under the specs dir, in folder order."""
        return PlanList(
            repository=str(self.root),
            specs_dir=self.specs_dir,
            plans=[self._summary(folder) for folder in self._feature_folders()],
        )

    def plan(self, feature: str) -> PlanSummary:
        return self._summary(self._find(feature))

    def decisions(self, feature: str) -> DecisionList:
        """The decisions of one plan; an empty list when it has no decisions.md yet."""
        folder = self._find(feature)
        return DecisionList(
            feature=folder.name,
            directory=self._relative(folder),
            decisions=[summarize_decision(card) for card in self._cards(folder)],
        )

    def artifact(self, feature: str, name: str, limit: int = MAX_ARTIFACT_BYTES) -> Artifact:
        """One file of a plan by its name inside the feature folder (`plan.md`,
        `contracts/openapi.yaml`, …), its text cut after `limit` bytes."""
        folder = self._find(feature)
        path = contained_path(folder, name)
        relative = path.relative_to(folder).as_posix()
        if not path.exists():
            raise UnknownArtifactError(
                f"{folder.name} has no file {shown(name)}. Its files: {listed(plan_files(folder))}"
            )
        if path.is_dir():
            files = plan_files(folder)
            inside = files if relative == "." else [f for f in files if f.startswith(relative + "/")]
            raise UnknownArtifactError(f"{shown(name)} is a folder. Its files: {listed(inside)}")
        text, size, truncated = read_capped(path, limit)
        return Artifact(
            feature=folder.name,
            name=relative,
            path=self._relative(folder / relative),
            size=size,
            truncated=truncated,
            text=text,
        )

    def check_repository(self, repository: str) -> None:
        """Accept a caller's name for the repository when it is this one: its folder name, `.`,
        or an absolute path to it or into it. Anything else is refused: one server reads one
        repository, so an agent asking about another learns it at once instead of being
        answered about the wrong one."""
        text = repository.strip()
        if text in (".", self.root.name):
            return
        path = Path(text).expanduser()
        if path.is_absolute() and path.resolve().is_relative_to(self.root):
            return
        raise PlanError(
            f"This server reads the plans of {self.root} only, not {shown(repository)}; "
            "run another `planbot mcp --repo PATH` for that repository."
        )

    def _feature_folders(self) -> list[Path]:
        specs = self.specs_path
        if not specs.is_dir() or not specs.resolve().is_relative_to(self.root):
            return []
        folders: list[Path] = []
        for child in sorted(specs.iterdir(), key=lambda p: p.name):
            if not child.is_dir() or not child.resolve().is_relative_to(self.root):
                continue
            if any(_is_file_inside(child, marker) for marker in PLAN_MARKERS):
                folders.append(child)
        return folders

    def _find(self, feature: str) -> Path:
        """A plan folder by its name (`001-login`, also as `specs/001-login/`) or its number
        (`001`, `1`, or a timestamp)."""
        wanted = feature.strip().strip("/")
        prefix = self.specs_dir + "/"
        wanted = wanted.removeprefix(prefix)
        folders = self._feature_folders()
        for folder in folders:
            if folder.name == wanted:
                return folder
        matches = [f for f in folders if _same_number(feature_number(f.name), wanted)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise UnknownFeatureError(
                f"{shown(feature)} matches several plans ({listed([f.name for f in matches])}); name one by its folder"
            )
        if not folders:
            raise UnknownFeatureError(
                f"No plan {shown(feature)}: there are no plans under {self.specs_dir}/ "
                f"(a plan is a folder there holding {' or '.join(PLAN_MARKERS)})"
            )
        raise UnknownFeatureError(
            f"No plan {shown(feature)} under {self.specs_dir}/. Plans: {listed([f.name for f in folders])}"
        )

    def _summary(self, folder: Path) -> PlanSummary:
        statuses = Counter(decision_status(card) for card in self._cards(folder))
        counts = DecisionCounts(
            pending=statuses[DecisionStatus.PENDING],
            decided=statuses[DecisionStatus.DECIDED],
            provisional=statuses[DecisionStatus.PROVISIONAL],
            blocked=statuses[DecisionStatus.BLOCKED],
        )
        return PlanSummary(
            feature=folder.name,
            number=feature_number(folder.name),
            branch=folder.name,
            directory=self._relative(folder),
            title=plan_title(folder),
            decisions=counts,
            files=plan_files(folder),
        )

    def _cards(self, folder: Path) -> list[DecisionCard]:
        text = _read_inside(folder, DECISIONS.name)
        if text is None:
            return []
        return read_decisions(MarkdownDoc(DECISIONS.name, text)).cards

    def _relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


def normalize_specs_dir(specs_dir: str) -> str:
    """The specs dir as a clean relative path; `ValueError` when it is empty, absolute or climbs out."""
    text = specs_dir.strip().replace("\\", "/")
    pure = PurePosixPath(text)
    if not text or pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise ValueError(f"{shown(specs_dir)} must be a folder inside the repository, such as specs")
    return pure.as_posix()


def feature_number(folder_name: str) -> str | None:
    match = FEATURE_NUMBER.match(folder_name)
    return match["number"] if match else None


def _same_number(number: str | None, wanted: str) -> bool:
    if number is None or not wanted:
        return False
    if number.isdigit() and wanted.isdigit():
        return int(number) == int(wanted)
    return number == wanted


def decision_status(card: DecisionCard) -> DecisionStatus:
    """The card's status line; a card without one counts as settled when it names a final
    decision (PROVISIONAL when that is marked so), else as PENDING."""
    if card.status is not None:
        return card.status
    final = card.fields.get("Final Decision")
    if final is None:
        return DecisionStatus.PENDING
    return DecisionStatus.PROVISIONAL if "PROVISIONAL" in final.value else DecisionStatus.DECIDED


def summarize_decision(card: DecisionCard) -> DecisionSummary:
    status = decision_status(card)
    settled = status in (DecisionStatus.DECIDED, DecisionStatus.PROVISIONAL)
    chosen, chosen_title = _final_option(card) if settled else (None, None)
    recommendation = card.fields.get("Recommendation")
    recommended = OPTION_KEY_REF.search(recommendation.value) if recommendation else None
    if settled and chosen is None and recommended is not None and status is DecisionStatus.PROVISIONAL:
        chosen = recommended["key"]  # a provisional decision takes the recommendation
    return DecisionSummary(
        id=card.id,
        category=card.category,
        title=card.title,
        status=status,
        chosen_option=chosen,
        chosen_option_title=chosen_title,
        recommended_option=recommended["key"] if recommended else None,
        rationale=_field_text(card, "Rationale"),
        decided_by=_field_text(card, "Decided by"),
        line=card.line,
    )


def _final_option(card: DecisionCard) -> tuple[str | None, str | None]:
    """The option key and title a `**Final Decision**: Option B — Title` line names."""
    final = card.fields.get("Final Decision")
    match = OPTION_KEY_REF.search(final.value) if final else None
    if final is None or match is None:
        return None, None
    rest = final.value[match.end() :].strip(" *_")
    rest = PROVISIONAL_MARK.sub("", rest.lstrip(TITLE_SEPARATORS)).strip(" *_")
    return match["key"], rest or None


def _field_text(card: DecisionCard, name: str) -> str | None:
    found = card.fields.get(name)
    if found is None:
        return None
    return found.text.strip() or None


def plan_title(folder: Path) -> str | None:
    """The feature's title: the first level-1 heading of plan.md, else of spec.md, without the
    template's `Implementation Plan:` / `Feature Specification:` words."""
    for name in TITLE_SOURCES:
        text = _read_inside(folder, name)
        if text is None:
            continue
        heading = next((h for h in MarkdownDoc(name, text).headings if h.level == 1), None)
        if heading is not None:
            title = TITLE_PREFIX.sub("", heading.text).strip()
            if title:
                return title
    return None


def plan_files(folder: Path) -> list[str]:
    """Every file under the folder, relative to it with `/` separators, sorted. Links are
    followed only when they stay inside the folder; linked folders are not descended into."""
    inside = folder.resolve()
    found: list[str] = []
    for directory, _, names in os.walk(folder, followlinks=False):
        for name in names:
            path = Path(directory) / name
            if path.is_file() and path.resolve().is_relative_to(inside):
                found.append(path.relative_to(folder).as_posix())
    return sorted(found)


def contained_path(folder: Path, name: str) -> Path:
    """`name` joined to the folder, refused (`UnsafePathError`) when it is empty, absolute,
    climbs with `..`, or resolves (through links) to somewhere outside the folder."""
    if not name.strip() or "\x00" in name:
        raise UnsafePathError("Name a file inside the plan folder, such as plan.md or contracts/openapi.yaml")
    pure = PurePosixPath(name)
    if pure.is_absolute() or name.startswith("~"):
        raise UnsafePathError(
            f"{shown(name)} is an absolute path; name a file inside the plan folder, such as plan.md"
        )
    if ".." in pure.parts:
        raise UnsafePathError(f"{shown(name)} leaves the plan folder; name a file inside it, such as plan.md")
    path = folder.joinpath(*pure.parts)
    if not path.resolve().is_relative_to(folder.resolve()):
        raise UnsafePathError(f"{shown(name)} is a link that leads out of the plan folder; it is not served")
    return path


def read_capped(path: Path, limit: int) -> tuple[str, int, bool]:
    """The file's text (at most `limit` bytes of it, cut between characters), its size in
    bytes, and whether it was cut. `PlanError` when the file is not UTF-8 text."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    truncated = len(data) > limit
    if truncated:
        cut = limit
        while cut > 0 and data[cut] & 0xC0 == 0x80:  # never split a UTF-8 sequence
            cut -= 1
        data = data[:cut]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise PlanError(f"{path.name} is not UTF-8 text ({size} bytes); only text files are served") from None
    return text, max(size, len(data)), truncated


def _is_file_inside(folder: Path, name: str) -> bool:
    path = folder / name
    return path.is_file() and path.resolve().is_relative_to(folder.resolve())


def _read_inside(folder: Path, name: str) -> str | None:
    """A file of the folder as text; None when it is missing, a link out, or not UTF-8."""
    if not _is_file_inside(folder, name):
        return None
    try:
        return (folder / name).read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return None


def shown(text: str) -> str:
    """A caller's text quoted on one line, cut when long."""
    quoted = repr(text)
    return quoted if len(quoted) <= MAX_SHOWN_NAME else quoted[: MAX_SHOWN_NAME - 1] + "…"


def listed(names: list[str]) -> str:
    if not names:
        return "none"
    more = len(names) - MAX_LISTED
    return ", ".join(names[:MAX_LISTED]) + (f" and {more} more" if more > 0 else "")
