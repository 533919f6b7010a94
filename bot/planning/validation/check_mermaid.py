"""Every Markdown file of the plan: code fences closed and Mermaid blocks that render."""

from __future__ import annotations

from collections.abc import Iterator

from bot.planning.validation.findings import Finding, error
from bot.planning.validation.folder import PlanFolder
from bot.planning.validation.mermaid import check_mermaid_block


def check(folder: PlanFolder) -> Iterator[Finding]:
    for path in folder.markdown_paths:
        doc = folder.doc(path)
        if doc is None:
            continue
        for fence in doc.fences:
            if fence.end is None:
                yield error(path, fence.start, "fence-unclosed", "code fence opened here is never closed")
            elif fence.info == "mermaid":
                for problem in check_mermaid_block(fence.body, fence.start):
                    yield error(path, problem.line, problem.code, problem.message)
