"""Plan validation: checks the text of a plan folder, generated or edited by hand.

One module per check family (`check_*.py`); the readers they share (Markdown lines, decision
cards, spec facts, erDiagram, YAML/JSON) sit beside them. Pure: text in, findings out.
"""

from bot.planning.validation.findings import Finding, has_errors
from bot.planning.validation.validator import validate_plan

__all__ = ["Finding", "has_errors", "validate_plan"]
