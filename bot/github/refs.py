"""Branch names planbot can use on GitHub: git's rules for ref names, and what URLs can carry."""

from __future__ import annotations

import re

# characters git refuses in ref names, plus `#` (githubkit cannot put it in a request path)
FORBIDDEN = re.compile(r"[\x00-\x20\x7f~^:?*\[\\#]")


def branch_name_problem(name: str) -> str | None:
    """Why `name` cannot be a branch name, or None when it can."""
    if not name:
        return "a branch name cannot be empty"
    found = FORBIDDEN.search(name)
    if found is not None:
        return f"a branch name cannot contain {found.group()!r}"
    if ".." in name or "@{" in name or "//" in name:
        return "a branch name cannot contain '..', '@{' or '//'"
    if name.startswith(("-", "/")) or name.endswith(("/", ".", ".lock")) or name == "@":
        return "a branch name cannot start with '-' or '/', nor end with '/', '.' or '.lock'"
    if any(part.startswith(".") for part in name.split("/")):
        return "no part of a branch name can start with '.'"
    return None
