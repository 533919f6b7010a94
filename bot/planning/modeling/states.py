"""State machines from enumerated status lists: states in the spec's order, transitions from the
scenarios and requirements that name the states, triggers quoted from them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field as dc_field

from bot.planning.datamodel import EntityField, StateMachine, StateTransition
from bot.planning.modeling.names import Named
from bot.planning.modeling.statements import Statement
from bot.planning.modeling.words import kebab_case, name_words, short_quote, stem
from bot.planning.spec import Spec


_STATE_FIELD = re.compile(r"(?:^|_)(status|state|stage|phase|lifecycle)$")
_BECOMES = re.compile(
    r"\b(?:becomes?|become|moves? to|changes? to|is set to|set to|transitions? to|goes to|is now|turns|"
    r"is marked(?: as)?|marked as)\s+(?:the\s+)?(?:status\s+)?[\"“']?([A-Za-z][\w ]*)",
    re.I,
)
_NEGATION_BEFORE = re.compile(r"\b(?:not|never|non|un)(?:\s+yet)?[\s-]*$", re.I)
_QUANTIFIER = re.compile(r"\b(?:at least|at most|no more than|more than|fewer than|less than|exactly|without|with no|only)\b", re.I)
REFUSAL = re.compile(r"\b(?:refused|rejected|blocked|denied|not allowed|prevented|fails?|error|cannot|can't|is not accepted)\b", re.I)
_WORD_TOKEN = re.compile(r"[A-Za-z][A-Za-z-]*")
_ABILITY = re.compile(r"\b(?:can|may|must|to|and then)\b", re.I)
_COPULA_BEFORE = re.compile(r"\b(?:is|are|gets?|was|were|becomes?)\s+$", re.I)
_NOMINAL_ENDINGS = ("ed", "ion", "ions", "al", "als", "ing", "ment")


@dataclass
class StateVocabulary:
    """How the spec's words map to one machine's states."""

    states: list[str]
    _keys: dict[str, str] = dc_field(default_factory=dict, init=False, repr=False)
    _seen: dict[str, str | None] = dc_field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for state in self.states:
            words = name_words(state) or [state.lower()]
            self._keys[state] = stem(max(words, key=len))

    def _key(self, state: str) -> str:
        return self._keys[state]

    def state_of(self, word: str) -> str | None:
        """The state a word names or acts towards, by stem; `resubmit` names `Submitted` too."""
        lower = word.lower()
        if lower in self._seen:
            return self._seen[lower]
        s = stem(lower)
        found = None
        for state, key in self._keys.items():
            if s == key or (lower.startswith("re") and stem(lower[2:]) == key):
                found = state
                break
        self._seen[lower] = found
        return found

    def is_adjective(self, word: str, state: str) -> bool:
        """`approved`, `draft`: the word describes something in that state (not an action on it)."""
        lower = word.lower()
        return lower in {w for w in name_words(state)} or lower == state.lower() or lower.endswith("ed")

    def mentions(self, text: str) -> list[tuple[str, bool, bool, int]]:
        """`(state, adjective?, negated?, position)` for every state word in the text."""
        out = []
        for match in _WORD_TOKEN.finditer(text):
            state = self.state_of(match.group(0))
            if state is None:
                continue
            negated = bool(_NEGATION_BEFORE.search(text[: match.start()]))
            out.append((state, self.is_adjective(match.group(0), state), negated, match.start()))
        return out


def _state_at_start(text: str, vocabulary: StateVocabulary) -> str | None:
    """The state a phrase starts with: `In Progress and …` -> In Progress."""
    lower = text.lower().strip()
    for state in sorted(vocabulary.states, key=len, reverse=True):
        if re.match(re.escape(state.lower()) + r"\b", lower):
            return state
    return vocabulary.state_of(text.split()[0]) if text.split() else None


def _base_form(word: str) -> str:
    """`submits` -> `submit`, `closes` -> `close`, `pushes` -> `push`."""
    if word.endswith("es") and word[:-2].endswith(("s", "x", "z", "ch", "sh")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def clean_clause(text: str) -> str:
    return re.sub(r"^\W*(?:given|when|then)\b\W*", "", text.replace("**", ""), flags=re.I).strip(" .,")


_WHEN_VERB = re.compile(r"^(?:(?:the|a|an|any|each|their|its)\s+)?[A-Za-z-]+\s+([a-z]+)\b")


def action_verb(state: str, corpus: Sequence[Statement], when: str = "") -> str:
    """The base verb the spec uses to reach a state (`approve` for Approved); else the verb of the
    scenario that reaches it (`starts` -> `start` for In Progress); else `mark-<state>`."""
    spoken = _spoken_verb(state, corpus)
    state_words = set(name_words(state))
    if spoken and not (len(state_words) > 1 and spoken in state_words):
        return spoken
    match = _WHEN_VERB.match(when.strip())
    if match and not match.group(1).endswith(("ed", "ing")):
        return _base_form(match.group(1))
    return "mark-" + kebab_case(state)


def _spoken_verb(state: str, corpus: Sequence[Statement]) -> str | None:
    vocabulary = StateVocabulary([state])
    forms: dict[str, int] = {}
    for statement in corpus:
        for match in _WORD_TOKEN.finditer(statement.text):
            word = match.group(0).lower()
            if vocabulary.state_of(word) != state or word.endswith(_NOMINAL_ENDINGS):
                continue
            if word.startswith("re") and stem(word) != vocabulary._key(state):
                continue
            base = _base_form(word)
            forms[base] = forms.get(base, 0) + 1
    if forms:
        shortest = min(forms, key=lambda w: (len(w), -forms[w]))
        if shortest.lower() != state.lower() or not shortest.endswith(("ed", "d")):
            return shortest
    return None


def _relevant(text: str, named: Named | None) -> bool:
    return named is None or named.mentioned_in(text) or bool(re.search(r"\b(?:it|its|status)\b", text, re.I))


def build_state_machine(
    field_name: str,
    states: Sequence[str],
    spec: Spec,
    corpus: Sequence[Statement],
    named: Named | None,
) -> StateMachine:
    """The machine of one enumerated status list, from the order of the list and the scenarios and
    requirements that name its states.

    `named` restricts the evidence to text that mentions the entity; pass None when only one
    machine exists in the spec.
    """
    vocabulary = StateVocabulary(list(states))
    transitions: dict[tuple[str, str], StateTransition] = {}
    groups: list[tuple[list[str], str]] = []  # actions named together with "or", and the quote

    when_of: dict[tuple[str, str], str] = {}

    def add(source: str, target: str, trigger: str, guard: str = "", when: str = "") -> None:
        if source != target and (source, target) not in transitions:
            transitions[(source, target)] = StateTransition(source=source, target=target, trigger=trigger, guard=guard)
            if when:
                when_of[(source, target)] = when

    for story in spec.stories:
        for scenario in story.scenarios:
            given, when, then = (clean_clause(x) for x in (scenario.given, scenario.when, scenario.then))
            if not (given or when or then):
                continue
            if not _relevant(f"{given} {when} {then}", named):
                continue
            given_states = [s for s, adjective, negated, _ in vocabulary.mentions(given) if not negated]
            when_actions = [s for s, adjective, _, _ in vocabulary.mentions(when) if not adjective]
            explicit = [_state_at_start(m.group(1), vocabulary) for m in _BECOMES.finditer(then)]
            explicit += [
                s for s, adjective, negated, position in vocabulary.mentions(then)
                if adjective and not negated and _COPULA_BEFORE.search(then[:position])
            ]
            explicit = list(dict.fromkeys(s for s in explicit if s))
            if REFUSAL.search(then) and not explicit:
                continue  # a refused action is a business rule, not a transition
            if len(set(given_states)) != 1:
                continue
            source = given_states[0]
            targets = explicit or when_actions
            guard = f"{short_quote(given, 70)} ({story.id})" if _QUANTIFIER.search(given) else ""
            trigger = f"{short_quote(when, 60)} ({story.id})" if when else f"({story.id})"
            for target in targets:
                add(source, target, trigger, guard, when)
            after = targets[0] if targets else source
            for s, adjective, _, position in vocabulary.mentions(then):
                word = then[position:].split()[0].lower()
                again = word.startswith("re") and stem(word) != vocabulary._key(s)
                if not adjective and again and s != after:
                    ability = list(_ABILITY.finditer(then, 0, position))
                    clause = then[ability[-1].start():] if ability else then
                    add(after, s, f"{short_quote(clause, 50)} ({story.id})")

    texts = [(r.id, r.text) for r in spec.requirements]
    texts += [(s.id, f"{s.title}. {s.description}") for s in spec.stories]
    for source_id, text in texts:
        for sentence in re.split(r"(?<=[.;!?])\s+", text):
            if not _relevant(sentence, named):
                continue
            mentions = vocabulary.mentions(sentence)
            adjectives = [s for s, adjective, negated, _ in mentions if adjective and not negated]
            actions = [s for s, adjective, _, _ in mentions if not adjective]
            quote = f"{source_id}: “{short_quote(sentence, 60)}”"
            if len(set(adjectives)) == 1:
                for target in actions:
                    add(adjectives[0], target, quote)
            elif actions and not adjectives:
                alternatives = re.findall(r"\b([A-Za-z]+)\s+or\s+([A-Za-z]+)\b", sentence)
                for a, b in alternatives:
                    pair = [vocabulary.state_of(a), vocabulary.state_of(b)]
                    if all(pair):
                        groups.append(([p for p in pair if p], quote))

    for members, quote in groups:
        sources = {t.source for t in transitions.values() if t.target in members}
        for member in members:
            if not any(t.target == member for t in transitions.values()):
                for source in sorted(sources, key=list(states).index):
                    add(source, member, quote)

    initial = states[0]
    for i, state in enumerate(states[1:], start=1):
        if not any(t.target == state for t in transitions.values()):
            add(states[i - 1], state, "assumed from the order the spec lists the states; no requirement names it")

    ordered = sorted(transitions.values(), key=lambda t: (list(states).index(t.source), list(states).index(t.target)))
    whens = {(t.source, t.target): w for (t, w) in ((t, when_of.get((t.source, t.target), "")) for t in ordered)}
    for transition in ordered:
        first_when = next((w for (src, tgt), w in whens.items() if tgt == transition.target and w), "")
        transition.action = action_verb(transition.target, corpus, first_when)
    terminal = [s for s in states if not any(t.source == s for t in ordered)]
    machine = StateMachine(field=field_name, states=list(states), initial=initial, terminal=terminal, transitions=ordered)
    return machine


def is_state_field(field: EntityField) -> bool:
    return field.type == "enum" and bool(_STATE_FIELD.search(field.name))
