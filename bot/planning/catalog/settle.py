"""Settled, not asked: a topic whose answer the constitution, the spec's own requirements or
technical context, a clarification answer, the user's context or the repository's stack
already gives. Words settle a topic only when they name exactly one of its options, speak of
the topic, and do not negate it ("not WebSockets", "instead of polling")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.planning.catalog.core import Topic
from bot.planning.catalog.signals import rx
from bot.planning.catalog.situation import Situation, quote
from bot.planning.decision_log import LoggedDecision

NEGATION = rx(
    r"\b(?:not|no|never|avoid\w*|instead of|rather than|don'?t|doesn'?t|do not|does not|cannot|can'?t|"
    r"without|unless|except|neither|nor|away from|replac\w+|deprecat\w+|retir\w+|forbid\w*|banned)\b"
)
_OPTION_PREFIX = re.compile(r"^\s*option\s+[A-Z]\s*[:.)-]\s*", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[;:—–(]|,\s|\.\s|\b(?:because|since|as|but|so)\b", re.IGNORECASE)


def _first_clause(answer: str) -> str:
    """The answer's choice, before any reason given for it ("SSE; the proxies break WebSockets")."""
    return _CLAUSE_END.split(answer, maxsplit=1)[0]


@dataclass(frozen=True)
class Settlement:
    option: str
    source: str  # "Constitution II. …", "FR-010", "Technical Context", "Clarification C001", "Stack: pyproject.toml"
    quote: str


def _lookahead(about: re.Pattern[str] | None, name: re.Pattern[str]) -> str:
    if about is None:
        return name.pattern
    return rf"^(?=.*(?:{about.pattern}))(?=.*(?:{name.pattern}))"


def _by_constitution(topic: Topic, situation: Situation) -> Settlement | None:
    found: dict[str, tuple[str, str]] = {}
    for option, name in topic.names.items():
        for label, sentence in situation.rule_sentences(name):
            if NEGATION.search(sentence) or (topic.about is not None and not topic.about.search(sentence)):
                continue
            found[option] = (label, sentence)
            break
    if len(found) != 1:
        return None
    option = next(iter(found))
    label, sentence = situation.cite(_lookahead(topic.about, topic.names[option])) or found[option]
    return Settlement(option=option, source=label, quote=quote(sentence))


def _by_words(topic: Topic, situation: Situation) -> Settlement | None:
    found: dict[str, tuple[str, str]] = {}
    for option, name in topic.names.items():
        for sentence in situation.hits(name):
            words = _first_clause(sentence.answer) if sentence.answer is not None else sentence.text
            if not sentence.settling or not name.search(words) or NEGATION.search(words):
                continue
            if topic.about is not None and not topic.about.search(sentence.text):
                continue
            found.setdefault(option, (sentence.source, sentence.text))
            break
    if len(found) != 1:
        return None
    option, (source, text) = next(iter(found.items()))
    return Settlement(option=option, source=source, quote=quote(text))


def _by_stack(topic: Topic, situation: Situation) -> Settlement | None:
    found: dict[str, tuple[str, str]] = {}
    for option, pattern in topic.stack_names.items():
        match = situation.stack_match(pattern)
        if match is not None:
            found[option] = match
    if len(found) != 1:
        return None
    option, (name, source) = next(iter(found.items()))
    return Settlement(option=option, source=source, quote=f"{name} is already part of the repository's stack")


def settlement(topic: Topic, situation: Situation) -> Settlement | None:
    """What already answers `topic`, in order of authority: constitution, the spec's and the
    user's own words, then the stack. None when the team still has to decide."""
    return _by_constitution(topic, situation) or _by_words(topic, situation) or _by_stack(topic, situation)


def logged_option(topic: Topic, logged: LoggedDecision) -> str | None:
    """The catalog option an earlier logged decision chose, by title or by name; None when unknown."""
    text = _OPTION_PREFIX.sub("", logged.decision).strip()
    lowered = text.lower()
    for option, prose in topic.prose.options.items():
        if prose.title.lower() == lowered:
            return option
    for option, prose in topic.prose.options.items():
        if lowered and (lowered in prose.title.lower() or prose.title.lower() in lowered):
            return option
    named = [option for option, name in topic.names.items() if name.search(text)]
    return named[0] if len(named) == 1 else None
