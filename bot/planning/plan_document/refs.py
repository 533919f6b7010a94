"""Naming decisions in prose: the one format lives in the `decision_ref` macro of the templates."""

from __future__ import annotations

from functools import cache

from jinja2.environment import TemplateModule

from bot.planning.decisions import DecisionStatus, Option, TechnicalDecision
from bot.planning.render import environment

MACROS_TEMPLATE = "_macros.md.j2"
NEEDS_CLARIFICATION = "NEEDS CLARIFICATION"


@cache
def _macros() -> TemplateModule:
    return environment().get_template(MACROS_TEMPLATE).module


def decision_ref(td: TechnicalDecision) -> str:
    """`TD002 (Technology: Option A, FastAPI — PROVISIONAL DECISION)`, as the templates write it."""
    return str(_macros().decision_ref(td)).strip()


def option_label(option: Option) -> str:
    return f"Option {option.key} ({option.title})"


def people_decided(td: TechnicalDecision) -> bool:
    """Settled by people (a vote or `/decide`), not by the provisional default."""
    return td.status is DecisionStatus.DECIDED and td.outcome is not None and not td.outcome.provisional
