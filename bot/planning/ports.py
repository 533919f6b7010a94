"""The ports the planning workflow runs through, whatever the front end.

A *workspace* is the repository being planned in (read files, list branches, commit files);
a *forum* is where people answer the decisions. The local git repository with the terminal,
and GitHub, are the two adapters. An *analyst* (a model) may rewrite the analysis' prose.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from bot.planning.decisions import DecisionChoice, TechnicalDecision

if TYPE_CHECKING:
    from bot.planning.analysis import Analysis
    from bot.planning.context import PlanningContext


class FileSource(Protocol):
    """Read access to one revision of a repository."""

    def paths(self) -> Sequence[str]:
        """Every file path in the revision, relative to the root, with `/` separators."""
        ...

    def read_text(self, path: str) -> str | None:
        """The file's text, or None when it does not exist or is not text."""
        ...


class Workspace(FileSource, Protocol):
    def branches(self) -> Sequence[str]:
        """Branch names, without `refs/heads/`."""
        ...

    def commit(self, branch: str, files: Mapping[str, str], message: str) -> str:
        """Write `files` (path -> text) on `branch`, creating it from the current head when it
        does not exist, as ONE commit. Returns the commit id."""
        ...


class Forum(Protocol):
    def collect(self, decisions: Sequence[TechnicalDecision]) -> list[DecisionChoice]:
        """Present the decisions, highest impact first, and return the choices people made.
        A decision nobody answered is left out: the engine makes it provisional."""
        ...


class MappingSource:
    """A `FileSource` over an in-memory mapping; used for tests and for a plan folder."""

    def __init__(self, files: Mapping[str, str]) -> None:
        self._files = dict(files)

    def paths(self) -> list[str]:
        return sorted(self._files)

    def read_text(self, path: str) -> str | None:
        return self._files.get(path)


class Analyst(Protocol):
    """Something that rewrites an analysis' prose (a model): same ids, topics, options and
    evidence sources, better words. It must never raise: what it cannot do it writes in the
    analysis' `limitations` and hands the offline analysis back."""

    def refine(self, context: PlanningContext, analysis: Analysis) -> Analysis: ...


class Researcher(Protocol):
    """Tools that look things up for a plan (web search, library docs, a thinking aid). It must
    never raise: what it cannot do it writes in the analysis' `limitations`."""

    def research(self, context: PlanningContext, analysis: Analysis) -> Analysis: ...
