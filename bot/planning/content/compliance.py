"""Compliance regimes the feature falls under, only on evidence: what its data holds, and what the
spec, the clarifications, the constitution and the technical context say."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

from bot.planning.plan import Plan
from bot.planning.spec import MetricKind


class Regime(BaseModel):
    name: str  # "GDPR"
    status: Literal["applies", "to confirm"]
    evidence: list[tuple[str, str]] = Field(default_factory=list)  # (source, quote)


class RetentionRule(BaseModel):
    subject: str  # what is kept: an entity, or the statement's subject
    period: str  # as written: "7 years"
    source: str


class Compliance(BaseModel):
    regimes: list[Regime] = Field(default_factory=list)
    retention: list[RetentionRule] = Field(default_factory=list)
    erasure: list[tuple[str, str]] = Field(default_factory=list)  # statements on deleting personal data
    personal_entities: list[str] = Field(default_factory=list)

    def regime(self, name: str) -> Regime | None:
        return next((r for r in self.regimes if r.name == name), None)

    @property
    def gdpr(self) -> Regime | None:
        return self.regime("GDPR")


# Regimes named explicitly; each needs a mention, never a guess from the domain.
_EXPLICIT: tuple[tuple[str, str], ...] = (
    ("HIPAA", r"\bhipaa\b|protected health information|\bphi\b"),
    ("PCI DSS", r"\bpci(?:[- ]dss)?\b|card ?holder data|primary account number"),
    ("SOX", r"\bsox\b|sarbanes"),
    ("CCPA", r"\bccpa\b|\bcpra\b"),
    ("SOC 2", r"\bsoc ?2\b"),
    ("ISO 27001", r"\biso ?27001\b"),
)
_GDPR = re.compile(r"\bgdpr\b|general data protection regulation", re.IGNORECASE)
_EU = re.compile(r"\beu\b|\beuropean?\b|\beea\b", re.IGNORECASE)
_ERASURE = re.compile(
    r"delete (?:their|his|her|personal|my)\b|\berasure\b|right to be forgotten|anonymi[sz]|pseudonymi[sz]",
    re.IGNORECASE,
)
_RETAIN = re.compile(r"\bretain|\bretention|\bkeep\b|\bkept\b", re.IGNORECASE)


def _texts(plan: Plan) -> list[tuple[str, str]]:
    out = list(plan.context.spec.statements())
    out += [(c.id or "Clarification", f"{c.question} {c.answer}") for c in plan.context.clarifications]
    constitution = plan.context.constitution
    if constitution is not None:
        out += constitution.rules()
    if plan.context.user_context:
        out.append(("Technical context", plan.context.user_context))
    return out


def compliance(plan: Plan) -> Compliance:
    texts = _texts(plan)
    personal = [
        e.name for e in plan.data_model.entities if e.personal_data or any(f.personal_data for f in e.fields)
    ]
    regimes: list[Regime] = []
    gdpr_quotes = [(s, t) for s, t in texts if _GDPR.search(t)]
    eu_quotes = [(s, t) for s, t in texts if _EU.search(t)]
    if gdpr_quotes or (personal and eu_quotes):
        regimes.append(Regime(name="GDPR", status="applies", evidence=(gdpr_quotes + eu_quotes)[:4]))
    elif personal:
        regimes.append(Regime(name="GDPR", status="to confirm", evidence=[("Data model", ", ".join(personal))]))
    for name, pattern in _EXPLICIT:
        quotes = [(s, t) for s, t in texts if re.search(pattern, t, re.IGNORECASE)]
        if quotes:
            regimes.append(Regime(name=name, status="applies", evidence=quotes[:3]))
    retention: list[RetentionRule] = []
    statements = dict(plan.context.spec.statements())
    for metric in plan.context.spec.metrics_of(MetricKind.RETENTION):
        source = metric.source or "spec"
        retention.append(RetentionRule(subject=statements.get(source, metric.text), period=metric.text, source=source))
    for entity in plan.data_model.entities:
        if entity.retention:
            retention.append(RetentionRule(subject=entity.name, period=entity.retention, source="Data model"))
    for clarification in plan.context.clarifications:
        both = f"{clarification.question} {clarification.answer}"
        if _RETAIN.search(both):
            retention.append(RetentionRule(subject=clarification.question, period=clarification.answer,
                                           source=clarification.id or "Clarification"))
    erasure = [(s, t) for s, t in plan.context.spec.statements() if _ERASURE.search(t)]
    return Compliance(regimes=regimes, retention=retention, erasure=erasure, personal_entities=personal)
