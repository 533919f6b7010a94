"""The variables plan.md, decisions.md and executive-summary.md are rendered with."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, NamedTuple

from bot.planning import artifacts as artifact_list
from bot.planning.artifacts import GENERATED, Artifact
from bot.planning.plan import Plan
from bot.planning.plan_document.constitution_check import CONSTITUTION_LOCATIONS, constitution_check
from bot.planning.plan_document.resources import resource_needs
from bot.planning.plan_document.technical_context import metric_phrase, technical_context
from bot.planning.plan_document.verdict import go_no_go
from bot.planning.render import environment

_FILE = re.compile(r"\.(md|markdown|txt)$", re.IGNORECASE)


class Link(NamedTuple):
    text: str
    target: str


def spec_link(plan: Plan) -> Link:
    """What plan.md's `**Spec**:` points at: the feature folder's spec.md, which every plan has
    (the spec as it was when it already sat there, otherwise the copy written with the plan)."""
    return Link(artifact_list.SPEC.name, artifact_list.SPEC.name)


def spec_input(plan: Plan) -> str:
    """The `**Input**:` text."""
    source = plan.context.spec_source
    if _FILE.search(source):
        return f"Feature specification from `{source}`"
    return f"Feature specification from `{plan.feature.path(artifact_list.SPEC.name)}`, written from {source}"


def documentation_tree(plan: Plan, artifacts: Sequence[Artifact] = GENERATED) -> list[str]:
    """The feature folder as directory-tree lines: the spec, every artifact, the contract files."""
    entries: list[tuple[str, list[str]]] = [(artifact_list.SPEC.name, [])]
    entries += [(a.name, []) for a in artifacts]
    prefix = artifact_list.CONTRACTS_DIR + "/"
    contract_files = sorted(f.path.removeprefix(prefix) for f in plan.contracts.files)
    if contract_files:
        entries.append((prefix, contract_files))
    lines = [plan.feature.directory.rstrip("/") + "/"]
    for index, (name, children) in enumerate(entries):
        last = index == len(entries) - 1
        lines.append(("└── " if last else "├── ") + name)
        for child_index, child in enumerate(children):
            branch = "└── " if child_index == len(children) - 1 else "├── "
            lines.append(("    " if last else "│   ") + branch + child)
    return lines


def one_line(text: str, limit: int = 220) -> str:
    """The first sentence of `text` on one line, cut at `limit` characters."""
    flat = " ".join(text.split())
    match = re.match(r"(.+?[.!?])(\s|$)", flat)
    sentence = match.group(1) if match else flat
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


def primary_requirement(plan: Plan) -> str:
    """The feature in a sentence or two: the spec's summary, else its first story or requirement."""
    spec = plan.spec
    if spec.summary.strip():
        return " ".join(spec.summary.split())
    story = min(spec.stories, key=lambda s: s.priority, default=None)
    if story is not None:
        return " ".join(f"{story.title}. {story.description}".split())
    if spec.requirements:
        return spec.requirements[0].text
    return spec.title


def plan_md_values(plan: Plan) -> dict[str, object]:
    """The variables `plan.md.j2` reads beside `plan` and `artifacts` (which the writer passes)."""
    return {
        "this_artifact": artifact_list.PLAN,
        "technical_context": technical_context(plan),
        "gates": constitution_check(plan),
        "constitution_locations": CONSTITUTION_LOCATIONS,
        "primary_requirement": primary_requirement(plan),
        "spec_link": spec_link(plan),
        "spec_input": spec_input(plan),
        "documentation_tree": documentation_tree(plan),
    }


def summary_values(plan: Plan) -> dict[str, object]:
    """The variables `executive-summary.md.j2` reads beside `plan` and `artifacts`."""
    gates = constitution_check(plan)
    rationales = {
        td.id: one_line(td.outcome.rationale if td.outcome and td.outcome.rationale else td.recommendation_reasoning)
        for td in plan.decisions
    }
    return {
        "primary_requirement": primary_requirement(plan),
        "rationales": rationales,
        "resources": resource_needs(plan),
        "targets": {sc.id: "; ".join(metric_phrase(m) for m in sc.metrics) for sc in plan.spec.success_criteria},
        "risks": sorted(plan.risks, key=lambda r: (not r.critical, not r.escalate)),
        "gates": gates,
        "verdict": go_no_go(plan, gates),
    }


def all_values(plan: Plan, values: dict[str, object]) -> dict[str, object]:
    """Everything a template sees when the writer renders it: `plan`, `artifacts` and `values`."""
    return {"plan": plan, "artifacts": GENERATED, **values}


def render_block(template_name: str, block: str, values: dict[str, Any]) -> str:
    """One `{% block %}` of a template, rendered alone with `values`."""
    template = environment().get_template(template_name)
    text = "".join(template.blocks[block](template.new_context(values)))
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")
