"""The files of one plan, located through the artifact list, with what the checks share read once."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from bot.planning.artifacts import CONTRACTS_DIR, DATA_MODEL, DECISIONS, SPEC, Artifact
from bot.planning.decision_log import DECISION_LOG_PATH
from bot.planning.validation.decision_cards import DecisionsFile, read_decisions
from bot.planning.validation.er_diagram import ErDiagram, read_er_diagram
from bot.planning.validation.markdown import MarkdownDoc
from bot.planning.validation.mermaid import diagram_lines
from bot.planning.validation.spec_facts import SpecFacts, read_spec
from bot.planning.validation.structured import Parsed, parse_structured

OPENAPI_NAMES: tuple[str, ...] = ("openapi.yaml", "openapi.yml", "openapi.json")


def normalize(path: str) -> str:
    cleaned = posixpath.normpath(path.replace("\\", "/")).lstrip("/")
    return "" if cleaned == "." else cleaned


@dataclass(frozen=True)
class OpenApiFile:
    path: str
    text: str
    parsed: Parsed

    @property
    def data(self) -> Any:
        return self.parsed.data


class PlanFolder:
    def __init__(self, files: Mapping[str, str], feature_dir: str) -> None:
        self.feature_dir = normalize(feature_dir)
        self.files: dict[str, str] = {normalize(path): text for path, text in files.items()}
        self._docs: dict[str, MarkdownDoc] = {}
        self._parsed: dict[str, Parsed] = {}

    @property
    def branch(self) -> str:
        """The feature's branch name: spec-kit names the folder after it."""
        return posixpath.basename(self.feature_dir)

    @property
    def log_path(self) -> str:
        return DECISION_LOG_PATH

    def path(self, name: str) -> str:
        return f"{self.feature_dir}/{name}" if self.feature_dir else name

    def artifact_path(self, artifact: Artifact) -> str:
        return self.path(artifact.name)

    def text(self, path: str) -> str | None:
        """A file's text; None when it is missing or holds only whitespace."""
        text = self.files.get(path)
        return text if text is not None and text.strip() else None

    def in_plan(self, path: str) -> bool:
        return path.startswith(self.path("")) if self.feature_dir else True

    @cached_property
    def plan_paths(self) -> list[str]:
        return sorted(p for p in self.files if self.in_plan(p))

    @cached_property
    def contract_paths(self) -> list[str]:
        prefix = self.path(CONTRACTS_DIR) + "/"
        return [p for p in self.plan_paths if p.startswith(prefix)]

    @cached_property
    def markdown_paths(self) -> list[str]:
        return [p for p in self.plan_paths if p.endswith(".md") and self.text(p) is not None]

    def doc(self, path: str) -> MarkdownDoc | None:
        text = self.text(path)
        if text is None:
            return None
        if path not in self._docs:
            self._docs[path] = MarkdownDoc(path, text)
        return self._docs[path]

    def parsed(self, path: str) -> Parsed:
        """A YAML or JSON file parsed (JSON for `.json`, else YAML); the file must exist."""
        if path not in self._parsed:
            self._parsed[path] = parse_structured(path, self.files[path])
        return self._parsed[path]

    def artifact_doc(self, artifact: Artifact) -> MarkdownDoc | None:
        return self.doc(self.artifact_path(artifact))

    @cached_property
    def spec(self) -> SpecFacts | None:
        doc = self.artifact_doc(SPEC)
        return read_spec(doc) if doc else None

    @cached_property
    def decisions(self) -> DecisionsFile | None:
        doc = self.artifact_doc(DECISIONS)
        return read_decisions(doc) if doc else None

    @cached_property
    def er_diagrams(self) -> list[ErDiagram]:
        """Every erDiagram block of data-model.md."""
        doc = self.artifact_doc(DATA_MODEL)
        if doc is None:
            return []
        diagrams: list[ErDiagram] = []
        for block in doc.mermaid_blocks():
            lines = diagram_lines(block.body)
            if lines and lines[0][1].split()[0] == "erDiagram":
                diagrams.append(read_er_diagram(lines[1:]))
        return diagrams

    @cached_property
    def entities(self) -> dict[str, int]:
        """Entity name -> line in data-model.md, across its erDiagram blocks."""
        found: dict[str, int] = {}
        for diagram in self.er_diagrams:
            for name, line in diagram.entities.items():
                found.setdefault(name, line)
        return found

    @cached_property
    def openapi(self) -> OpenApiFile | None:
        for name in OPENAPI_NAMES:
            path = self.path(f"{CONTRACTS_DIR}/{name}")
            text = self.text(path)
            if text is not None:
                return OpenApiFile(path, text, self.parsed(path))
        return None
