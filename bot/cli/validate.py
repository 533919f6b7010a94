"""`planbot validate`: check a plan folder's cross-references and formats."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.local.git import find_repository
from bot.planning.plan_files import load_plan_files
from bot.planning.validation import has_errors, validate_plan


def validate(
    feature_dir: Annotated[Path, typer.Argument(help="The plan folder, e.g. specs/004-expense-reports-approval.")],
    repo: Annotated[
        Path | None, typer.Option("--repo", help="The repository root (default: found from the folder).")
    ] = None,
) -> None:
    """Print findings as file:line: message; exit 1 when there are errors."""
    folder = feature_dir.resolve()
    if not folder.is_dir():
        typer.echo(f"planbot: no such plan folder: {feature_dir}", err=True)
        raise typer.Exit(2)
    root = (repo.resolve() if repo else None) or find_repository(folder) or _specs_parent(folder)
    if not folder.is_relative_to(root):
        typer.echo(f"planbot: {feature_dir} is not inside {root}", err=True)
        raise typer.Exit(2)
    relative = folder.relative_to(root).as_posix()
    findings = validate_plan(load_plan_files(root, relative), relative)
    for finding in findings:
        typer.echo(finding.format())
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    typer.echo(f"{relative}: {errors} error(s), {warnings} warning(s)", err=True)
    raise typer.Exit(1 if has_errors(findings) else 0)


def _specs_parent(folder: Path) -> Path:
    """Outside git: the folder above `specs/`, else the folder's parent."""
    for parent in folder.parents:
        if parent.name == "specs":
            return parent.parent
    return folder.parent
