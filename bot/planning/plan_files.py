"""The files `validate_plan` reads, loaded from a checkout: the one place validation touches disk."""

from __future__ import annotations

from pathlib import Path

from bot.planning.decision_log import DECISION_LOG_PATH


def load_plan_files(root: Path, feature_dir: str) -> dict[str, str]:
    """Every text file under `root/feature_dir` and the decision log, keyed by their path
    relative to `root` with `/` separators. Files that are not UTF-8 text are left out.

    `feature_dir` is relative to `root` (an absolute path inside `root` is accepted too).
    """
    root = root.resolve()
    folder = (root / feature_dir).resolve()
    if folder != root and root not in folder.parents:
        raise ValueError(f"{feature_dir} is not inside {root}")
    candidates = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    log = root / DECISION_LOG_PATH
    if log.is_file():
        candidates.append(log)
    files: dict[str, str] = {}
    for path in candidates:
        text = _read_text(path)
        if text is not None:
            files[path.relative_to(root).as_posix()] = text
    return files


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return None
