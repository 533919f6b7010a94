"""Counting the reactions on a decision comment, and what a count decides.

Pure: the reactions come in already listed, eligibility already known. The rules (DESIGN §2):

- only eligible people count; the app itself and other bots never do;
- an option's reaction is a vote for that option, 👍 a vote for the recommended option;
- a person whose reactions name two different options counts for neither;
- 👎 from an eligible person objects: the decision is not taken automatically;
- when the window closes the plurality wins if it reaches the quorum; a tie or too few votes
  leaves the recommendation as a PROVISIONAL DECISION;
- `/plan approve` takes the leader now, a tie going to the recommendation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from pydantic import BaseModel, Field

from bot.voting import OBJECT, SUPPORT, option_for


class Reactor(BaseModel):
    """One reaction as GitHub lists it."""

    login: str
    user_type: str = "User"
    content: str


class Tally(BaseModel):
    """The eligible votes on one decision."""

    decision_id: str
    votes: dict[str, list[str]] = Field(default_factory=dict)  # option key -> logins, in order of reacting
    objectors: list[str] = Field(default_factory=list)  # eligible people who reacted 👎
    spoiled: list[str] = Field(default_factory=list)  # reacted for two different options: counted for neither

    @property
    def counts(self) -> dict[str, int]:
        return {key: len(logins) for key, logins in self.votes.items() if logins}

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def blocked(self) -> bool:
        return bool(self.objectors)

    def voters(self) -> list[str]:
        return [login for logins in self.votes.values() for login in logins]

    def leaders(self) -> list[str]:
        """The options with the most votes (several on a tie; none without votes)."""
        counts = self.counts
        if not counts:
            return []
        top = max(counts.values())
        return sorted(key for key, count in counts.items() if count == top)

    def summary(self) -> str:
        """`A 2, B 1` (or `no votes`), for rationales and comments."""
        counts = self.counts
        return ", ".join(f"{key} {counts[key]}" for key in sorted(counts)) or "no votes"


def is_bot(reactor: Reactor) -> bool:
    return reactor.user_type == "Bot" or reactor.login.lower().endswith("[bot]")


def count_reactions(
    decision_id: str,
    reactions: Iterable[Reactor],
    recommendation: str,
    option_keys: Sequence[str],
    eligible: Callable[[str], bool],
) -> Tally:
    """The tally of one decision comment's reactions. `eligible(login)` is asked once per person
    who reacted with a vote or an objection (never for bots)."""
    chosen: dict[str, set[str]] = {}  # login -> the options their reactions name
    order: list[str] = []
    objecting: list[str] = []
    for reactor in reactions:
        if is_bot(reactor):
            continue
        if reactor.content == OBJECT.content:
            if reactor.login not in objecting:
                objecting.append(reactor.login)
            continue
        option = recommendation if reactor.content == SUPPORT.content else option_for(reactor.content)
        if option is None or option not in option_keys:
            continue  # laugh, confused, or an option this decision does not have
        if reactor.login not in chosen:
            chosen[reactor.login] = set()
            order.append(reactor.login)
        chosen[reactor.login].add(option)
    asked: dict[str, bool] = {}

    def may_vote(login: str) -> bool:
        if login not in asked:
            asked[login] = eligible(login)
        return asked[login]

    tally = Tally(decision_id=decision_id, objectors=[login for login in objecting if may_vote(login)])
    for login in order:
        if not may_vote(login):
            continue
        options = chosen[login]
        if len(options) > 1:
            tally.spoiled.append(login)
            continue
        tally.votes.setdefault(next(iter(options)), []).append(login)
    return tally


class Verdict(BaseModel):
    """What a tally decides at a given moment: an option, whether it is provisional, and why."""

    option: str
    provisional: bool
    rationale: str
    decided_by: list[str] = Field(default_factory=list)


def at_deadline(tally: Tally, recommendation: str, quorum: int) -> Verdict | None:
    """The outcome when the voting window closes; None while an objection blocks it."""
    if tally.blocked:
        return None
    leaders = tally.leaders()
    counts = tally.counts
    if len(leaders) == 1 and counts[leaders[0]] >= quorum:
        winner = leaders[0]
        return Verdict(option=winner, provisional=False, decided_by=list(tally.votes[winner]),
                       rationale=f"Chosen by vote when the window closed ({tally.summary()}).")
    if len(leaders) > 1:
        why = f"the vote was tied ({tally.summary()})"
    elif leaders:
        why = f"{counts[leaders[0]]} vote(s) fell short of the quorum of {quorum} ({tally.summary()})"
    else:
        why = "nobody voted"
    return Verdict(option=recommendation, provisional=True,
                   rationale=f"The window closed and {why}, so the recommendation stands as a PROVISIONAL DECISION.")


def on_approval(tally: Tally, recommendation: str, approver: str) -> Verdict | None:
    """The outcome of `/plan approve` by an eligible person; None while an objection blocks it."""
    if tally.blocked:
        return None
    leaders = tally.leaders()
    option = leaders[0] if len(leaders) == 1 else recommendation
    why = "the leading option" if len(leaders) == 1 else (
        "a tie, settled by the recommendation" if leaders else "no votes, so the recommendation")
    return Verdict(option=option, provisional=False, decided_by=[approver],
                   rationale=f"Approved by {approver} with `/plan approve`: {why} ({tally.summary()}).")
