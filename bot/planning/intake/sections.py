"""What a spec section holds, judged from its heading: the one table of heading words both
spec readers use (English first, then common German, French, Spanish, Italian, Portuguese,
Dutch, Japanese and Chinese headings)."""

from __future__ import annotations

import re
from enum import StrEnum


class SectionKind(StrEnum):
    IGNORED = "ignored"  # spec-kit's review checklist, execution status, template guidance
    STORY = "story"  # `User Story 2 - Approve (Priority: P1)`
    PRIMARY_STORY = "primary story"  # the legacy template's single story
    SCENARIOS = "scenarios"  # `User Scenarios & Testing`: holds the stories
    ACCEPTANCE = "acceptance"  # acceptance scenarios or criteria
    STORIES = "stories"  # a free-form list of user stories
    SUCCESS = "success"  # success criteria, measurable outcomes, metrics
    ENTITIES = "entities"
    EDGE_CASES = "edge cases"
    ASSUMPTIONS = "assumptions"
    OUT_OF_SCOPE = "out of scope"
    CLARIFICATIONS = "clarifications"
    SESSION = "session"  # `### Session 2026-11-03` under Clarifications
    QUESTIONS = "questions"
    TECHNICAL = "technical"  # technical context: the "how" given with the spec
    SUMMARY = "summary"
    REQUIREMENTS = "requirements"


# Matched in order against the normalised heading (see `markdown.normalise_title`); the first
# pattern that matches wins. `^…$` patterns must match the whole heading.
_KINDS: tuple[tuple[SectionKind, str], ...] = (
    (SectionKind.IGNORED, r"review (?:&|and) acceptance checklist|execution status|execution flow|"
     r"quick guidelines|for ai generation|section requirements|^table of contents$|^contents$|"
     r"^screenshots?$|^mockups?$|^references?$|^links?$|^alternatives?(?: considered)?$|alternatives you.ve considered|"
     r"^alternative solutions?$|^prior art$"),
    (SectionKind.STORY, r"^user story\s*\d+"),
    (SectionKind.PRIMARY_STORY, r"^primary user story$|^user story$|^main user story$"),
    (SectionKind.SCENARIOS, r"^user scenarios(?: (?:&|and) testing)?$"),
    (SectionKind.ACCEPTANCE, r"acceptance (?:scenarios|criteria|tests?)|definition of done|akzeptanzkriterien|"
     r"crit[eè]res d.acceptation|criterios de aceptaci[oó]n|criteri di accettazione|acceptatiecriteria|"
     r"受け入れ|验收"),
    (SectionKind.STORIES, r"^user stories$|^stories$|^use cases$|^user journeys$|anwendungsf[aä]lle|"
     r"^cas d.utilisation$|^casos de uso$|ユーザーストーリー|用户故事"),
    (SectionKind.SUCCESS, r"success criteria|measurable outcomes|success metrics|^metrics$|^kpis?$|^targets$|"
     r"erfolgskriterien|crit[eè]res de (?:succ[eè]s|r[eé]ussite)|criterios de [eé]xito|成功基準|成功标准"),
    (SectionKind.ENTITIES, r"entities|^data model$|^domain model$|^data$|^datenmodell$|^entit[eé]s$|"
     r"^entidades$|^modelo de datos$|^mod[eè]le de donn[eé]es$|データモデル|数据模型"),
    (SectionKind.EDGE_CASES, r"edge cases?|corner cases?|^error cases$|^error handling$|randf[aä]lle|"
     r"sonderf[aä]lle|cas limites|casos l[ií]mite|casi limite|境界|边界"),
    (SectionKind.OUT_OF_SCOPE, r"out[- ]of[- ]scope|non[- ]goals|not in scope|^won.t (?:do|have)$|"
     r"scope exclusions|nicht im (?:umfang|scope)|au[sß]erhalb des|hors (?:du )?(?:p[eé]rim[eè]tre|scope)|"
     r"fuera de(?:l)? alcance|fuori ambito|buiten scope|対象外|范围之外|不在范围"),
    (SectionKind.ASSUMPTIONS, r"assumptions?|^dependencies$|annahmen|hypoth[eè]ses|suposiciones|"
     r"supuestos|ipotesi|aannames|前提|假设"),
    (SectionKind.CLARIFICATIONS, r"^clarifications?$|^kl[aä]rungen$|^pr[eé]cisions$|^aclaraciones$"),
    (SectionKind.SESSION, r"^session\s+\d{4}-\d{2}-\d{2}"),
    (SectionKind.QUESTIONS, r"^open questions$|^questions$|^offene fragen$|^questions ouvertes$|"
     r"^preguntas abiertas$|^domande aperte$|未解決|未决"),
    (SectionKind.TECHNICAL, r"technical (?:context|notes|details|constraints|approach|considerations)|"
     r"implementation (?:notes|details|hints)|^tech(?:nical)? stack$|^architecture(?: notes)?$|"
     r"technischer kontext|contexte technique|contexto t[eé]cnico|技術|技术"),
    (SectionKind.SUMMARY, r"related to a problem|^summary$|^overview$|^background$|^context$|^description$|"
     r"^problem(?: statement)?$|^motivation$|^why$|^goals?$|^objectives?$|^proposal$|^introduction$|"
     r"^feature(?: description)?$|^what$|^the problem$|^additional context$|^(?:actual|current) behaviou?r$|"
     r"^steps to reproduce$|^zusammenfassung$|^hintergrund$|^beschreibung$|"
     r"^[uü]berblick$|^ziele?$|^r[eé]sum[eé]$|^contexte$|^objectifs?$|^resumen$|^descripci[oó]n$|"
     r"^contexto$|^objetivos?$|^sommario$|^descrizione$|^samenvatting$|^概要$|^背景$|^摘要$|^目的$"),
    (SectionKind.REQUIREMENTS, r"requirements?|solution you.d like|^nfrs?$|^must[- ]haves?$|^features$|^capabilities$|"
     r"^scope$|^in scope$|behaviou?r|proposed solution|^solution$|^specification$|^details$|"
     r"^constraints$|^performance$|^security$|^(?:business )?rules$|^what we need$|anforderungen|"
     r"exigences|requisitos|requisiti|vereisten|要件|要求|需求|требования|wymagania|^funktionen$|"
     r"^fonctionnalit[eé]s$|^funcionalidades$"),
)
_COMPILED = tuple((kind, re.compile(pattern)) for kind, pattern in _KINDS)


def section_kind(name: str) -> SectionKind | None:
    """The kind of a section from its normalised heading; None when the heading says nothing
    we recognise (a feature area such as `Notifications`)."""
    for kind, pattern in _COMPILED:
        if pattern.search(name):
            return kind
    return None
