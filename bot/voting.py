"""How people vote on a decision with reactions: the one mapping every part reads."""

from __future__ import annotations

from typing import NamedTuple


class Reaction(NamedTuple):
    content: str  # GitHub's reaction content name
    emoji: str


# Options A–D are chosen with these reactions; a fifth option and later only with /decide.
OPTION_REACTIONS: dict[str, Reaction] = {
    "A": Reaction("rocket", "🚀"),
    "B": Reaction("hooray", "🎉"),
    "C": Reaction("heart", "❤️"),
    "D": Reaction("eyes", "👀"),
}
SUPPORT = Reaction("+1", "👍")  # supports the recommended option
OBJECT = Reaction("-1", "👎")  # objects: blocks an automatic decision until someone runs /decide
ACKNOWLEDGE = Reaction("eyes", "👀")  # planbot has seen the issue


def option_for(content: str) -> str | None:
    """The option key a reaction votes for, or None for a reaction that names no option."""
    return next((key for key, reaction in OPTION_REACTIONS.items() if reaction.content == content), None)


def seeded_reactions(option_keys: list[str]) -> list[Reaction]:
    """The reactions planbot adds to a decision comment so people can click instead of type."""
    return [OPTION_REACTIONS[k] for k in option_keys if k in OPTION_REACTIONS] + [SUPPORT, OBJECT]
