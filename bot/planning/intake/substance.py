"""Is there enough to plan from? A spec needs a title, a body, at least one statement of what
the system must do, and someone it is for or an outcome it should reach.

Substance is judged from structure as well as words, so a spec in any language with a few real
bullet points passes; only English-keyword checks would refuse it, and none is required alone.
"""

from __future__ import annotations

import re
from enum import StrEnum

from bot.planning.intake import statements
from bot.planning.render import render_template
from bot.planning.spec import Spec

THIN_SPEC_TEMPLATE = "thin-spec.md.j2"

# Statements of what the system must do need this many words between them: "make it faster"
# (three) is refused, three short concrete bullets ("Export invoices as CSV", …) are not.
MIN_REQUIREMENT_WORDS = 6
# With this many statements of some length the spec has structure enough to name its own
# actor and outcome, in whatever language.
MIN_STRUCTURED_STATEMENTS = 3
_STATEMENT_WORDS = 4

_ACTORS = re.compile(
    r"\b(?:users?|customers?|clients?|admins?|administrators?|employees?|agents?|managers?|members?|"
    r"visitors?|operators?|developers?|staff|teams?|people|persons?|owners?|buyers?|sellers?|"
    r"students?|teachers?|patients?|partners?|tenants?|accounts?|system|service|api|app|as an? |"
    r"nutzer\w*|benutzer\w*|kunden?|mitarbeiter\w*|utilisateurs?|clients?|usuarios?|clientes?|"
    r"utenti|gebruikers?)\b|ユーザー|利用者|用户|使用者",
    re.IGNORECASE,
)
_HEADING_OR_BLANK = re.compile(r"^\s*(?:#{1,6}\s.*)?$")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


class Missing(StrEnum):
    """What a spec can lack; `templates/thin-spec.md.j2` explains each."""

    TITLE = "title"
    BODY = "body"
    REQUIREMENTS = "requirements"
    ACTOR_OR_OUTCOME = "actor_or_outcome"


class ThinSpecError(ValueError):
    """The spec is too thin to plan from. `message` is the Markdown to post or print."""

    def __init__(self, missing: list[str], message: str) -> None:
        super().__init__(message)
        self.missing = missing
        self.message = message


def missing_parts(spec: Spec) -> list[Missing]:
    """What the spec lacks for planning, in the order the message lists them."""
    missing: list[Missing] = []
    if not spec.title.strip() or statements.is_placeholder(spec.title):
        missing.append(Missing.TITLE)
    if not _has_body(spec.raw):
        missing.append(Missing.BODY)
        return missing
    said = _requirement_statements(spec)
    if not said or sum(statements.words(s) for s in said) < MIN_REQUIREMENT_WORDS:
        missing.append(Missing.REQUIREMENTS)
    if not _has_actor_or_outcome(spec, said):
        missing.append(Missing.ACTOR_OR_OUTCOME)
    return missing


def check_substance(spec: Spec) -> None:
    """Raise `ThinSpecError` when the spec is too thin to plan from."""
    missing = missing_parts(spec)
    if missing:
        raise ThinSpecError([str(m) for m in missing], thin_spec_message(missing))


def thin_spec_message(missing: list[Missing]) -> str:
    return render_template(THIN_SPEC_TEMPLATE, missing=[str(m) for m in missing])


def _has_body(raw: str) -> bool:
    text = _COMMENT.sub("", raw)
    return any(not _HEADING_OR_BLANK.match(line) for line in text.splitlines())


def _requirement_statements(spec: Spec) -> list[str]:
    """The statements that say what the system must do or achieve."""
    said = [r.text for r in spec.requirements]
    said += [c.text for c in spec.success_criteria]
    said += [s.text for story in spec.stories for s in story.scenarios]
    return said


def _has_actor_or_outcome(spec: Spec, said: list[str]) -> bool:
    if spec.metrics() or spec.success_criteria:
        return True  # a measurable outcome
    text = "\n".join([spec.summary, *said, *(s.description for s in spec.stories)])
    if _ACTORS.search(text):
        return True
    structured = [s for s in said if statements.words(s) >= _STATEMENT_WORDS]
    return len(structured) >= MIN_STRUCTURED_STATEMENTS
