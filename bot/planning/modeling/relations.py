"""Relations between entities: attributes that name another entity or a person's role, and the
cues of descriptions (`a set of X`, `attached to one X`, `a manager's …`, `a person who submits X`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.planning.datamodel import EntityModel
from bot.planning.modeling.names import PERSON_ROLES, NameIndex
from bot.planning.modeling.words import INVARIANT_PLURALS, is_plural, singularize, snake_case


_COLLECTION_CUE = re.compile(
    r"(?:\b(?:set|list|collection|group|series|bundle|batch|number) of|\bcontain(?:s|ing)?|\bconsists? of|"
    r"\bconsisting of|\bmade (?:up )?of|\bcompris(?:es|ing)|\bwith (?:many|several|multiple|one or more)|"
    r"\bone or more)\s+(?:(?:the|its|their|all)\s+)?(?:[\w-]+\s+){0,2}$",
    re.I,
)
_PARENT_CUE = re.compile(
    r"\b(?P<cue>attached to|belongs? to|belonging to|part of|linked to|tied to|within|inside|under|of|for|on|in)"
    r"\s+(?:(?:a|an|the|one|each|its|their|single|exactly one)\s+)?(?:[\w-]+\s+){0,1}$",
    re.I,
)
_COMPOSITE_PARENT_CUES = frozenset({"attached to", "belongs to", "belong to", "belonging to", "part of", "within", "inside"})
_POSSESSIVE = re.compile(r"\b(?:a|an|the|each|one)\s+([a-z][\w-]*)['’]s\b", re.I)
_WHO_VERB = re.compile(
    r"\b(?:who|that|which)\s+(?!is\b|are\b|has\b|have\b|can\b|may\b|must\b|will\b|was\b|were\b)([a-z]+)\s+"
    r"(?:(?:the|their|its|an?|one or more|many|several)\s+)?$",
    re.I,
)
_PARTICIPLE_TAIL = re.compile(r"^[a-z]+ed$")
PERSON_PREPOSITION_TAILS = frozenset({"by", "to", "for"})


@dataclass
class RelationDraft:
    source: str
    target: str
    cardinality: str
    field: str | None
    label: str
    required: bool
    composition: bool = False
    role: str = ""  # the words that named the target, e.g. "manager", "approved by"
    names_target: bool = False  # the attribute named the target entity itself, not a role it plays
    inverse: bool = False  # stated from the target's side: `a person who submits reports`


def person_entity(models: Sequence[EntityModel]) -> str | None:
    people = [m.name for m in models if m.kind == "person"]
    return people[0] if len(people) == 1 else (people[0] if people else None)


def attribute_reference(
    attr_words: Sequence[str], index: NameIndex, person: str | None
) -> tuple[str, str, str, bool] | None:
    """`(target, cardinality, role words, names the entity?)` when an attribute names another
    entity (`expense line`, `reports included`) or a role a person plays (`manager`, `approved by`)."""
    words = [w for w in attr_words]
    while words and words[-1] in {"id", "ids"}:
        words = words[:-1]
    if not words:
        return None
    role = " ".join(words)
    if words[-1] in PERSON_PREPOSITION_TAILS and len(words) > 1 and _PARTICIPLE_TAIL.match(words[-2]):
        # "approved by", "assigned to": a person when one is modelled
        return (person, "many-to-one", role, False) if person else None
    core = list(words)
    while len(core) > 1 and _PARTICIPLE_TAIL.match(core[-1]):
        core = core[:-1]  # "reports included" -> "reports"
    named = index.resolve(core)
    if named is not None:
        many = is_plural(core[-1]) and core[-1] not in INVARIANT_PLURALS
        return named.name, "many-to-many" if many else "many-to-one", " ".join(core), True
    if singularize(core[-1]) in PERSON_ROLES and person:
        return person, "many-to-one", " ".join(core), False
    return None


def label_for_role(role: str) -> str:
    """A diagram label read from the referenced entity to the referencing one."""
    words = role.split()
    if len(words) > 1 and words[-1] == "by":
        return " ".join(words[:-1])  # Employee "approved" ExpenseReport
    if len(words) > 1 and words[-1] in PERSON_PREPOSITION_TAILS:
        return "is " + " ".join(words)
    return f"is {role} of" if singularize(words[-1]) in PERSON_ROLES else f"is {role} of"


def description_relations(
    model: EntityModel, description: str, index: NameIndex, person: str | None
) -> list[RelationDraft]:
    """Relations the description states: `a set of X`, `attached to one X`, `a manager's …`,
    `a person who submits reports`."""
    text = " ".join(description.split())
    found: list[RelationDraft] = []
    named_here = index.names_in(text)
    for named in index:
        if named.name == model.name or named.name not in named_here:
            continue
        for match in named.matches(text):
            before = text[: match.start()]
            plural = is_plural(match.group(0).split()[-1].lower())
            if _COLLECTION_CUE.search(before):
                found.append(RelationDraft(named.name, model.name, "many-to-one", snake_case(model.name) + "_id",
                                           "contains", required=True, composition=True))
                break
            verb = _WHO_VERB.search(before)
            if verb and len(before) - verb.start() < 60:
                found.append(RelationDraft(named.name, model.name, "many-to-one", snake_case(model.name) + "_id",
                                           verb.group(1).lower(), required=True, inverse=True))
                break
            parent = _PARENT_CUE.search(before)
            if parent and not plural:
                cue = parent.group("cue").lower()
                found.append(RelationDraft(model.name, named.name, "many-to-one", snake_case(named.name) + "_id",
                                           "has", required=True, composition=cue in _COMPOSITE_PARENT_CUES))
                break
    for match in _POSSESSIVE.finditer(text):
        word = match.group(1).lower()
        named = index.resolve([word])
        if named is not None and named.name != model.name:
            found.append(RelationDraft(model.name, named.name, "many-to-one", snake_case(named.name) + "_id",
                                       "has", required=True))
        elif singularize(word) in PERSON_ROLES and person and person != model.name:
            found.append(RelationDraft(model.name, person, "many-to-one", f"{singularize(word)}_id",
                                       f"acts as {singularize(word)} in", required=True, role=singularize(word)))
    return found
