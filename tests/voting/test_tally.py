"""Counting reactions on a decision comment and what the count decides."""

from __future__ import annotations

from bot.tally import Reactor, Tally, at_deadline, count_reactions, on_approval

KEYS = ["A", "B", "C"]


def tally(*reactions: tuple[str, str], eligible: set[str] | None = None, recommendation: str = "B") -> Tally:
    people = eligible if eligible is not None else {login for login, _ in reactions}
    listed = [Reactor(login=login, user_type="Bot" if login.endswith("[bot]") else "User", content=content)
              for login, content in reactions]
    return count_reactions("TD001", listed, recommendation, KEYS, lambda login: login in people)


def test_option_reactions_and_support_count_for_their_options() -> None:
    counted = tally(("ann", "rocket"), ("bob", "+1"), ("cy", "hooray"), ("dee", "heart"))
    assert counted.votes == {"A": ["ann"], "B": ["bob", "cy"], "C": ["dee"]}
    assert counted.leaders() == ["B"]
    assert counted.summary() == "A 1, B 2, C 1"


def test_the_app_other_bots_and_ineligible_people_never_count() -> None:
    counted = tally(("planbot[bot]", "rocket"), ("renovate[bot]", "rocket"), ("guest", "rocket"), ("ann", "hooray"),
                    eligible={"ann", "planbot[bot]"})
    assert counted.counts == {"B": 1}


def test_a_person_who_votes_for_two_options_counts_for_neither() -> None:
    counted = tally(("ann", "rocket"), ("ann", "hooray"), ("bob", "rocket"))
    assert counted.spoiled == ["ann"]
    assert counted.counts == {"A": 1}


def test_support_and_the_recommended_options_own_reaction_are_one_vote() -> None:
    counted = tally(("ann", "+1"), ("ann", "hooray"))
    assert counted.counts == {"B": 1} and not counted.spoiled


def test_reactions_for_options_the_decision_lacks_are_ignored() -> None:
    assert tally(("ann", "eyes"), ("bob", "laugh")).counts == {}  # eyes is option D: this TD has only A–C


def test_plurality_wins_at_the_deadline_with_its_voters() -> None:
    verdict = at_deadline(tally(("ann", "rocket"), ("bob", "rocket"), ("cy", "hooray")), "B", quorum=1)
    assert verdict is not None and verdict.option == "A" and not verdict.provisional
    assert verdict.decided_by == ["ann", "bob"] and "A 2, B 1" in verdict.rationale


def test_a_tie_no_votes_or_too_few_votes_leave_the_recommendation_provisional() -> None:
    tie = at_deadline(tally(("ann", "rocket"), ("bob", "heart")), "B", quorum=1)
    assert tie is not None and tie.option == "B" and tie.provisional and "tied" in tie.rationale
    empty = at_deadline(tally(), "B", quorum=1)
    assert empty is not None and empty.provisional and "nobody voted" in empty.rationale
    short = at_deadline(tally(("ann", "rocket")), "B", quorum=2)
    assert short is not None and short.option == "B" and short.provisional and "quorum of 2" in short.rationale


def test_an_eligible_objection_blocks_the_automatic_decision() -> None:
    blocked = tally(("ann", "rocket"), ("bob", "-1"))
    assert blocked.objectors == ["bob"] and blocked.blocked
    assert at_deadline(blocked, "B", quorum=1) is None
    assert on_approval(blocked, "B", "carol") is None
    assert not tally(("guest", "-1"), eligible=set()).blocked  # an ineligible objection changes nothing


def test_approve_takes_the_leader_and_a_tie_goes_to_the_recommendation() -> None:
    lead = on_approval(tally(("ann", "heart")), "B", "carol")
    assert lead is not None and lead.option == "C" and lead.decided_by == ["carol"] and not lead.provisional
    tied = on_approval(tally(("ann", "heart"), ("bob", "rocket")), "B", "carol")
    assert tied is not None and tied.option == "B"


def test_eligibility_is_asked_once_per_person() -> None:
    asked: list[str] = []

    def eligible(login: str) -> bool:
        asked.append(login)
        return True

    reactions = [Reactor(login="ann", content="rocket"), Reactor(login="ann", content="-1"),
                 Reactor(login="ann", content="+1")]
    count_reactions("TD001", reactions, "B", KEYS, eligible)
    assert asked == ["ann"]
