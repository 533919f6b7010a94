"""`validate_plan`: every check family over the text of one plan folder."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from bot.planning.validation import (
    check_contracts,
    check_data_model,
    check_decisions,
    check_json,
    check_links,
    check_mentions,
    check_mermaid,
    check_plan_md,
    check_required,
    check_tasks,
)
from bot.planning.validation.findings import Finding, ordered
from bot.planning.validation.folder import PlanFolder

Check = Callable[[PlanFolder], Iterable[Finding]]

CHECKS: tuple[Check, ...] = (
    check_required.check,
    check_decisions.check,
    check_mentions.check,
    check_tasks.check,
    check_plan_md.check,
    check_data_model.check,
    check_contracts.check,
    check_json.check,
    check_mermaid.check,
    check_links.check,
)


def validate_plan(files: Mapping[str, str], feature_dir: str) -> list[Finding]:
    """Findings for the plan in `feature_dir`, read from `files` (repository-relative path ->
    text: the feature folder's files and, when there is one, the decision log). Sorted by path
    then line; the same files always give the same list."""
    folder = PlanFolder(files, feature_dir)
    return ordered(finding for check in CHECKS for finding in check(folder))
