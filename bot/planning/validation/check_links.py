"""Relative links between the plan's files point at files that exist."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from urllib.parse import unquote

from bot.planning.validation.findings import Finding, warning
from bot.planning.validation.folder import PlanFolder, normalize

EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|#)")


def check(folder: PlanFolder) -> Iterator[Finding]:
    for path in folder.markdown_paths:
        doc = folder.doc(path)
        if doc is None:
            continue
        base = posixpath.dirname(path)
        for link in doc.links():
            if EXTERNAL.match(link.target):
                continue
            target_path = unquote(link.target.split("#", 1)[0].split("?", 1)[0])
            if not target_path:
                continue
            if target_path.startswith("/"):
                target = normalize(target_path)
            else:
                target = normalize(posixpath.join(base, target_path))
            if not (folder.in_plan(target) or target == folder.log_path):
                continue  # outside the plan: the validator cannot see those files
            if target in folder.files or any(p.startswith(target.rstrip("/") + "/") for p in folder.files):
                continue
            yield warning(path, link.line, "link-broken", f"link target {link.target} does not exist in the plan")
