"""Entities a free-form text implies when it has no section listing them.

Two conservative readings, in order:

1. a sentence that names an entity with its attributes: "Each Invoice has a number, a date and
   a total";
2. failing that, in English text only, the things the requirements act on: a word that
   follows an article, a quantifier or a number, directly or after one word ("every ticket",
   "the queues", "800 agents", "each expense claim"), and that at least two statements use. Interface words (page, button…) and generic words (system,
   data…) never count, and at most a handful are kept.

Nothing is invented: every entity is a word the spec uses, described by a statement that uses it.
"""

from __future__ import annotations

import re
from collections import Counter

from bot.planning.intake import statements
from bot.planning.spec import Entity

MAX_DERIVED_ENTITIES = 5
MIN_STATEMENTS = 2

_HAS_ATTRIBUTES = re.compile(
    r"^(?:(?i:each|every|an?|the)\s+)?(?P<name>[A-Z][A-Za-z0-9]+(?:\s[A-Z][A-Za-z0-9]+)?)\s+"
    r"(?:has|have|contains|includes|holds|stores|records)\s+(?:an?\s+|the\s+)?"
    r"(?P<attributes>[^.;]+?(?:,|\band\b)[^.;]+?)[.;]?$"
)
_NOT_NAMES = frozenset(
    "it this that they we he she there system everyone everybody each every our their its one page "
    "app application service".split()
)
_TOKEN = re.compile(r"[A-Za-z][A-Za-z-]*|\d[\d,.]*[kKM]?")
# Words after which a noun follows: articles, quantifiers, possessives, a few common adjectives.
_INTRODUCERS = frozenset(
    "a an the each every all any some many several multiple no other its their our your his her which "
    "whose of per new existing open active own same".split()
)
_GENERIC = frozenset(
    "system systems feature features way ways time times data information thing things list lists "
    "number numbers case cases part parts kind kinds type types set sets lot lots access support "
    "app apps application applications service services ability change changes update updates "
    "option options value values level levels use usage result results request requests error "
    "errors issue issues problem problems need needs request second seconds minute minutes hour "
    "hours day days week weeks month months year years page pages screen screens view views button "
    "buttons window windows tab tabs menu menus link links field fields column columns row rows ui "
    "dashboard dashboards form forms website site sites web mobile desktop browser browsers "
    "once same other new open existing all each every one two three more most less least first last "
    "next previous following above below".split()
)
_FUNCTION_WORDS = frozenset(
    "and or but nor with without for from into onto to in on at by as of off out up down over under "
    "within than then that this these those there here when where while if else who whom what which "
    "is are was were be been being am do does did has have had can could must should shall will would "
    "may might not only also just very too so such them they it its we us you your he him she her "
    "me my mine our ours their theirs able about after before again against between through during "
    "until unless because whether either neither both few more most much many lot lots same".split()
)


def implied_entities(texts: list[str]) -> list[Entity]:
    """The entities `texts` (requirements first, then summary sentences) imply; may be empty.
    A statement given twice counts once."""
    texts = list(dict.fromkeys(" ".join(t.split()) for t in texts if t.strip()))
    named = _named_with_attributes(texts)
    if named:
        return named
    if not statements.mostly_english(" ".join(texts)):
        return []
    return _acted_on(texts)


def _named_with_attributes(texts: list[str]) -> list[Entity]:
    found: dict[str, Entity] = {}
    for text in texts:
        match = _HAS_ATTRIBUTES.match(text.strip())
        if not match:
            continue
        name = singular(match["name"])
        if name.casefold() in _NOT_NAMES or match["name"].split()[0].casefold() in _NOT_NAMES:
            continue
        attributes = statements.attributes_from_list(match["attributes"])
        if len(attributes) >= 2 and name not in found:
            found[name] = Entity(name=name, description=text.strip(), attributes=attributes)
    return list(found.values())


def _acted_on(texts: list[str]) -> list[Entity]:
    introduced: set[str] = set()
    mentions: Counter[str] = Counter()
    first_use: dict[str, str] = {}
    for text in texts:
        tokens = _TOKEN.findall(text)
        seen_here: dict[str, None] = {}  # ordered: ties between entities go to the first mentioned
        after_introducer = 3  # words since an introducer: "each expense claim" -> expense 1, claim 2
        for token in tokens:
            word = token.casefold()
            if word in _INTRODUCERS or word[:1].isdigit():
                after_introducer = 0
                continue
            after_introducer += 1
            if word in _GENERIC or word in _FUNCTION_WORDS or len(word) < 3:
                after_introducer = 3
                continue
            lemma = singular(word)
            seen_here.setdefault(lemma, None)
            if after_introducer <= 2:
                introduced.add(lemma)
        for lemma in seen_here:
            mentions[lemma] += 1
            first_use.setdefault(lemma, " ".join(text.split()))
    chosen = [
        lemma for lemma, count in mentions.most_common()
        if count >= MIN_STATEMENTS and lemma in introduced and lemma not in _GENERIC
    ][:MAX_DERIVED_ENTITIES]
    return [Entity(name=lemma[:1].upper() + lemma[1:], description=first_use[lemma]) for lemma in chosen]


def singular(name: str) -> str:
    """`Invoices` -> `Invoice`, `Categories` -> `Category`; the last word of a name only."""
    words = name.split()
    last = words[-1]
    lowered = last.casefold()
    if lowered.endswith("ies") and len(last) > 4:
        last = last[:-3] + ("Y" if last[-3:].isupper() else "y")
    elif lowered.endswith(("sses", "shes", "ches", "xes")):
        last = last[:-2]
    elif lowered.endswith("s") and not lowered.endswith(("ss", "us", "is")) and len(last) > 3:
        last = last[:-1]
    return " ".join([*words[:-1], last])
