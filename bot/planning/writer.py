"""Turning a `Plan` into files: every artifact rendered, each with its header."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from bot.planning import artifacts
from bot.planning.artifacts import GENERATED, Artifact
from bot.planning.decision_log import (
    DECISION_LOG_PATH,
    DecisionLog,
    append_entry,
    entry_for,
    render_decision_log,
)
from bot.planning.feature import Feature
from bot.planning.plan import Plan
from bot.planning.render import header, render_template
from bot.planning.spec import Spec

# Values a template needs beyond `plan`, computed by the module that owns that artifact's logic.
ValuesFn = Callable[[Plan], Mapping[str, object]]


def _template_values() -> dict[str, ValuesFn]:
    from bot.planning.content.artifact_values import artifact_values
    from bot.planning.plan_document import plan_md_values, summary_values

    return {
        artifacts.PLAN.name: plan_md_values,
        artifacts.SUMMARY.name: summary_values,
        artifacts.RESEARCH.name: artifact_values,
        artifacts.QUICKSTART.name: artifact_values,
        artifacts.PERFORMANCE.name: artifact_values,
        artifacts.SECURITY.name: artifact_values,
        artifacts.TESTING.name: artifact_values,
    }


def render_artifact(artifact: Artifact, plan: Plan, extra: Mapping[str, object] | None = None) -> str:
    """One artifact with its header. `extra` is the values its template needs beyond `plan`;
    computed here when not given."""
    if extra is None:
        values = _template_values().get(artifact.name)
        extra = values(plan) if values else {}
    if artifact is artifacts.PLAN and plan.context.plan_template is not None:
        from bot.planning.plan_document import fill_plan_template

        body = fill_plan_template(plan.context.plan_template.text, plan)
    else:
        body = render_template(artifact.template, plan=plan, artifacts=GENERATED, **extra)
    return _header(plan) + "\n" + body


def _header(plan: Plan) -> str:
    return header(plan.planbot_version, plan.generated_at, plan.context.spec_source)


def render_contracts(plan: Plan) -> dict[str, str]:
    files: dict[str, str] = {}
    head = _header(plan)
    for contract in plan.contracts.files:
        path = plan.feature.path(contract.path)
        if contract.path.endswith((".yaml", ".yml", ".graphql", ".proto")):
            comment = "#" if not contract.path.endswith(".proto") else "//"
            files[path] = f"{comment} {head.removeprefix('> ').rstrip()}\n" + contract.content
        elif contract.path.endswith(".json"):
            files[path] = contract.content  # JSON has no comments; the document's info carries the header
        else:
            files[path] = head + "\n" + contract.content
    return files


def render_spec(spec: Spec, feature: Feature, created: datetime, plan: Plan | None = None) -> str:
    """spec.md for a plan made from text that was not a spec file in the feature folder."""
    body = render_template(artifacts.SPEC.template, spec=spec, feature=feature, created=created)
    return (_header(plan) + "\n" + body) if plan is not None else body


def spec_file(plan: Plan, original_spec_text: str | None) -> tuple[str, str]:
    """spec.md for the feature folder: the original text when it already is a spec-kit spec,
    else a spec-kit spec rendered from the parsed one."""
    path = plan.feature.path(artifacts.SPEC.name)
    if original_spec_text is not None and plan.spec.format != "free-form":
        return path, original_spec_text if original_spec_text.endswith("\n") else original_spec_text + "\n"
    return path, render_spec(plan.spec, plan.feature, plan.generated_at, plan)


def render_plan(plan: Plan, *, include_spec: bool, original_spec_text: str | None = None) -> dict[str, str]:
    """Every file of the plan, by repository-relative path (spec.md only with `include_spec`)."""
    files: dict[str, str] = dict([spec_file(plan, original_spec_text)]) if include_spec else {}
    computed: dict[ValuesFn, Mapping[str, object]] = {}
    functions = _template_values()
    for artifact in GENERATED:
        fn = functions.get(artifact.name)
        if fn is not None and fn not in computed:
            computed[fn] = fn(plan)  # several templates share one values function: compute it once
        files[plan.feature.path(artifact.name)] = render_artifact(artifact, plan, computed.get(fn, {}) if fn else {})
    files.update(render_contracts(plan))
    return files


def render_branch_files(plan: Plan, *, include_spec: bool, original_spec_text: str | None = None) -> dict[str, str]:
    """What the feature branch starts with while people decide: spec.md and decisions.md."""
    files: dict[str, str] = dict([spec_file(plan, original_spec_text)]) if include_spec else {}
    files[plan.feature.path(artifacts.DECISIONS.name)] = render_artifact(artifacts.DECISIONS, plan)
    return files


def updated_decision_log(plan: Plan, *, merged: bool = False) -> tuple[str, str] | None:
    """The decision log with this plan's entry, when every decision is settled."""
    decisions = plan.analysis.decisions
    if not decisions or not all(td.decided for td in decisions):
        return None
    entry = entry_for(plan.spec.title, plan.feature.branch, decisions, plan.generated_at)
    log: DecisionLog = append_entry(plan.context.decision_log, entry, replace_open=not merged)
    return DECISION_LOG_PATH, render_decision_log(log)
