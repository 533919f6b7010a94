"""Who the plan needs: roles and skills, from the layout, the stack and the decisions in force."""

from __future__ import annotations

from pydantic import BaseModel, Field

from bot.planning.decisions import Category
from bot.planning.layout import UNDECIDED
from bot.planning.plan import Plan
from bot.planning.plan_document.refs import decision_ref


class ResourceNeed(BaseModel):
    role: str
    skills: list[str] = Field(default_factory=list)
    reason: str
    decisions: list[str] = Field(default_factory=list)


# The skill each category of decision calls for.
_CATEGORY_ROLE: dict[Category, str] = {
    Category.ARCHITECTURE: "Senior engineer for architecture review",
    Category.TECHNOLOGY: "Engineers experienced with the chosen technologies",
    Category.INTEGRATION: "Integration engineering with the external systems",
    Category.PERFORMANCE: "Performance engineering and load testing",
    Category.SECURITY: "Security review",
    Category.SCALING: "Capacity planning and operations",
    Category.DEPLOYMENT: "DevOps / platform engineering",
    Category.DATA: "Data modelling and database administration",
}


def resource_needs(plan: Plan) -> list[ResourceNeed]:
    """The roles and skills the plan needs, from the layout, the stack and the decisions in force."""
    layout, stack = plan.layout, plan.context.stack
    language = layout.language if layout.language != UNDECIDED else "the language still to be chosen"
    engineers = "engineer" if plan.team_size == 1 else "engineers"
    needs = [
        ResourceNeed(
            role=f"{plan.team_size} {engineers} ({layout.project_type})",
            skills=[language, *stack.frameworks, *stack.test_tools],
            reason=f"the timeline assumes {plan.team_size}; the code goes in `{layout.source_root}`",
        )
    ]
    if layout.frontend_dir:
        needs.append(ResourceNeed(role="Frontend engineering", reason=f"the layout has a frontend in `{layout.frontend_dir}`"))
    for category in Category:
        tds = [td for td in plan.decisions if td.category is category]
        if tds:
            needs.append(
                ResourceNeed(
                    role=_CATEGORY_ROLE[category],
                    skills=[td.effective.title for td in tds],
                    reason="the decisions in force: " + ", ".join(decision_ref(td) for td in tds),
                    decisions=[td.id for td in tds],
                )
            )
    personal = [e.name for e in plan.data_model.entities if e.personal_data]
    if personal:
        needs.append(
            ResourceNeed(role="Privacy / compliance review", reason=f"personal data is kept in {', '.join(personal)}")
        )
    return needs
