"""Which identifiers a text names, read once: the word-bounded look-ups of ids such as FR-001,
SC-002, US1 or TD003 without a regular expression per id and per text."""

from __future__ import annotations

import re

_RUN = re.compile(r"\w+(?:-\w+)*")


def named_in(text: str) -> frozenset[str]:
    """Every string `s` of words and hyphens for which `re.search(rf"\\b{re.escape(s)}\\b", text)`
    would match: each hyphen-joined run of words, and each part of a run that starts and ends at
    its hyphens (`ABC-FR-001` names `ABC-FR-001`, `FR-001`, `ABC`, `001`, …)."""
    found: set[str] = set()
    for run in _RUN.findall(text):
        if "-" not in run:
            found.add(run)
            continue
        parts = run.split("-")
        for start in range(len(parts)):
            for end in range(start + 1, len(parts) + 1):
                found.add("-".join(parts[start:end]))
    return frozenset(found)
