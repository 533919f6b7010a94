"""YAML and JSON contract and log files: parsing with the line of the first error, and the
line a key path sits on (to place a finding where the problem is)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built in


@dataclass(frozen=True)
class Parsed:
    data: Any = None
    error: str | None = None
    error_line: int = 1


def parse_yaml(text: str) -> Parsed:
    """The first document of a YAML file."""
    try:
        documents = list(yaml.load_all(text, Loader=SafeLoader))  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return Parsed(error=f"YAML does not parse: {problem}", error_line=line)
    return Parsed(data=documents[0] if documents else None)


def parse_json(text: str) -> Parsed:
    try:
        return Parsed(data=json.loads(text))
    except json.JSONDecodeError as exc:
        return Parsed(error=f"JSON does not parse: {exc.msg} (column {exc.colno})", error_line=exc.lineno)


def parse_structured(path: str, text: str) -> Parsed:
    return parse_json(text) if path.endswith(".json") else parse_yaml(text)


@lru_cache(maxsize=16)
def _compose(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=SafeLoader)  # noqa: S506 - composing builds no objects
    except yaml.YAMLError:
        return None


def line_of_path(text: str, path: Sequence[str | int]) -> int | None:
    """The line of the deepest key (or list item) of `path` found in a YAML or JSON text."""
    node = _compose(text)
    if node is None:
        return None
    line: int | None = None
    for part in path:
        if isinstance(node, yaml.MappingNode):
            match = next((pair for pair in node.value if getattr(pair[0], "value", None) == str(part)), None)
            if match is None:
                break
            line = match[0].start_mark.line + 1
            node = match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def line_containing(text: str, needle: str, start: int = 1) -> int | None:
    """The first line from `start` on that contains `needle`."""
    for number, line in enumerate(text.split("\n"), start=1):
        if number >= start and needle in line:
            return number
    return None
