"""The existing systems a feature integrates with, as the spec and the clarifications name them.

A system is a noun phrase the text introduces with a determiner and ends with a word that names
a system ("the HR directory", "the company's single sign-on (OIDC)", "an external payment
gateway"). Clarification answers about it, the protocols mentioned with it and the integration
decisions that cite the same statements are attached.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from bot.planning.decisions import Category
from bot.planning.memo import per_plan
from bot.planning.plan import Plan

_SYSTEM_WORDS = (
    r"system|directory|api|service|provider|gateway|platform|sign-on|sso|erp|crm|idp|"
    r"identity provider|registry|warehouse|data lake|mainframe|portal|backend|back-end"
)
_PHRASE = re.compile(
    r"\b(?:the|an?|our|its|their|existing|external|third-party)\s+"
    rf"((?:[\w'’.-]+\s+){{0,3}}?(?:{_SYSTEM_WORDS}))\b(?:\s*\(([^)]{{1,40}})\))?",
    re.IGNORECASE,
)
# Modifiers that do not make a phrase name a particular system ("the same service", "this API").
_VAGUE = {
    "the", "a", "an", "this", "that", "same", "whole", "entire", "new", "our", "its", "their", "other",
    "existing", "external", "third-party", "file", "operating", "planning", "current", "main", "web",
    "public", "internal", "each", "every", "any", "one", "rest", "http", "backend",
}
_PROTOCOLS: tuple[tuple[str, str], ...] = (
    ("REST", r"\brest(?:ful)?\b"),
    ("GraphQL", r"\bgraphql\b"),
    ("gRPC", r"\bgrpc\b"),
    ("SOAP", r"\bsoap\b"),
    ("SCIM", r"\bscim\b"),
    ("OIDC", r"\boidc\b|openid connect"),
    ("OAuth2", r"\boauth ?2?\b"),
    ("SAML", r"\bsaml\b"),
    ("LDAP", r"\bldap\b"),
    ("SMTP", r"\bsmtp\b"),
    ("webhook", r"\bweb ?hooks?\b"),
    ("CSV file", r"\bcsv\b"),
    ("SFTP", r"\bsftp\b"),
    ("message queue", r"\bqueue\b|\bkafka\b|\bamqp\b"),
)


_IDENTITY = re.compile(r"sign[- ]on|\bsso\b|identity provider|\bidp\b", re.IGNORECASE)
_OUTBOUND_VERBS = (
    r"export|send|sends|sent|push|pushes|post|posts|publish|publishes|sync|syncs|transfer|transfers|"
    r"upload|uploads|write|writes|deliver|delivers"
)


def _sends_to(statement: str, name: str) -> bool:
    """Whether the statement has the feature send or write something to the named system."""
    pattern = (
        rf"\b(?:{_OUTBOUND_VERBS})\w*\b[^.]*?\bto (?:the|an?|its|their)\s+(?:[\w'’-]+\s+){{0,3}}?{re.escape(name)}"
    )
    return re.search(pattern, statement, re.IGNORECASE) is not None


class ExternalSystem(BaseModel):
    name: str  # "HR directory"
    alias: str | None = None  # "OIDC" from "single sign-on (OIDC)"
    sources: list[str] = Field(default_factory=list)  # statement ids that name it
    quotes: list[str] = Field(default_factory=list)  # the statements, as written
    details: list[str] = Field(default_factory=list)  # clarification answers about it, with their ids
    protocols: list[str] = Field(default_factory=list)
    decisions: list[str] = Field(default_factory=list)  # integration TD ids citing the same statements
    identity: bool = False  # an identity provider: the feature signs people in through it
    outbound: bool = False  # the feature sends or writes data to it (else it only reads from it)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.alias})" if self.alias else self.name


def _clean(phrase: str) -> str | None:
    words = phrase.split()
    while words and (words[0].lower() in _VAGUE or re.search(r"['’]s?$", words[0])):
        words = words[1:]
    if len(words) < 2:
        return None  # a bare "system" or "API" names nothing in particular
    if all(w.lower() in _VAGUE for w in words[:-1]):
        return None
    return " ".join(words)


def _protocols(text: str) -> list[str]:
    return [name for name, pattern in _PROTOCOLS if re.search(pattern, text, re.IGNORECASE)]


@per_plan
def external_systems(plan: Plan) -> list[ExternalSystem]:
    """The external systems the feature touches, in the order the spec first names them."""
    statements = list(plan.context.spec.statements())  # out-of-scope items are not integrated, so not read
    systems: dict[str, ExternalSystem] = {}
    for source, text in statements:
        for match in _PHRASE.finditer(text):
            name = _clean(match.group(1))
            if name is None:
                continue
            key = name.lower()
            system = systems.get(key)
            if system is None:
                system = systems[key] = ExternalSystem(name=name, alias=match.group(2))
            if source not in system.sources:
                system.sources.append(source)
            if text not in system.quotes:
                system.quotes.append(text)
    for system in systems.values():
        key = system.name.lower()
        related = list(system.quotes)
        for clarification in plan.context.clarifications:
            both = f"{clarification.question} {clarification.answer}"
            if key in both.lower():
                label = clarification.id or "clarification"
                system.details.append(f"{clarification.answer.rstrip('. ')} ({label})")
                related.append(both)
        system.protocols = _protocols(" ".join(related))
        system.identity = bool(_IDENTITY.search(system.name)) or bool({"OIDC", "SAML"} & set(system.protocols))
        system.outbound = not system.identity and any(_sends_to(q, system.name) for q in system.quotes)
        for td in plan.analysis.decisions:
            if td.category is not Category.INTEGRATION:
                continue
            cited = {e.source for e in td.evidence}
            text = " ".join([td.title, td.context, *(e.quote for e in td.evidence)]).lower()
            if cited & set(system.sources) or key in text:
                system.decisions.append(td.id)
    return list(systems.values())
