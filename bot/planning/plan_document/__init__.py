"""What plan.md, decisions.md and executive-summary.md say, computed from the plan.

The templates lay these values out; the modules here decide them: the Technical Context
(`technical_context`), the Constitution Check (`constitution_check`), the Go/No-Go verdict
(`verdict`), roles and skills (`resources`), the template variables (`values`: `plan_md_values`,
`summary_values`) and the filling of a repository's own plan template (`template_fill`).
"""

from __future__ import annotations

from bot.planning.plan_document.constitution_check import (
    CONSTITUTION_LOCATIONS,
    Gate,
    GateVerdict,
    constitution_check,
)
from bot.planning.plan_document.refs import decision_ref
from bot.planning.plan_document.resources import ResourceNeed, resource_needs
from bot.planning.plan_document.technical_context import (
    TECHNICAL_CONTEXT_FIELDS,
    ContextField,
    TechnicalContext,
    technical_context,
)
from bot.planning.plan_document.template_fill import fill_plan_template
from bot.planning.plan_document.values import all_values, plan_md_values, summary_values
from bot.planning.plan_document.verdict import Recommendation, Verdict, go_no_go


__all__ = [
    "CONSTITUTION_LOCATIONS",
    "TECHNICAL_CONTEXT_FIELDS",
    "all_values",
    "ContextField",
    "Gate",
    "GateVerdict",
    "Recommendation",
    "ResourceNeed",
    "TechnicalContext",
    "Verdict",
    "constitution_check",
    "decision_ref",
    "fill_plan_template",
    "go_no_go",
    "plan_md_values",
    "resource_needs",
    "summary_values",
    "technical_context",
]
