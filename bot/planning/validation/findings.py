"""What validation reports: one finding per problem, located at a file and line."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["error", "warning"]


class Finding(BaseModel):
    """One problem in a plan: where it is, how bad it is, and a stable code naming the check."""

    model_config = ConfigDict(frozen=True)

    path: str  # relative to the repository root
    line: int = Field(default=1, ge=1)  # 1-based; 1 when the problem concerns the whole file
    severity: Severity
    message: str
    code: str  # short and stable, e.g. "fr-uncovered"

    def format(self) -> str:
        """`path:line: message`, the message prefixed with `warning: ` for warnings."""
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.path}:{self.line}: {prefix}{self.message}"


def error(path: str, line: int, code: str, message: str) -> Finding:
    return Finding(path=path, line=max(line, 1), severity="error", message=message, code=code)


def warning(path: str, line: int, code: str, message: str) -> Finding:
    return Finding(path=path, line=max(line, 1), severity="warning", message=message, code=code)


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    """Findings without repeats, by path then line (then code and message, for a stable order)."""
    unique = set(findings)
    return sorted(unique, key=lambda f: (f.path, f.line, f.severity, f.code, f.message))
