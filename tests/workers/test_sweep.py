"""The sweep: deliveries GitHub never got through are redelivered once; plans that stopped (never
started, Redis flushed mid-vote) carry on without doing anything twice."""

from __future__ import annotations

from typing import Any

from bot.plan_state import PlanPhase, StateStore
from tests.fakegithub.fixtures import OWNER, REPO
from tests.workers.conftest import Bot, payload
from tests.workers.test_start_plan import open_issue
from tests.workers.test_voting_flow import MAINTAINERS, issue_ref
from workers import runtime as runtime_module
from workers.sweep import Sweep


def sweep(bot: Bot) -> Any:
    report = Sweep(runtime_module.runtime()).run()
    bot.work()
    return report


def td_comments(bot: Bot, number: int) -> list[int]:
    return [c.id for c in bot.fake.comments(OWNER, REPO, number) if c.body.startswith("### TD")]


def test_a_delivery_that_never_arrived_is_redelivered_once(bot: Bot) -> None:
    for login in MAINTAINERS:
        bot.fake.set_role(OWNER, REPO, login, "write")
    number = open_issue(bot)
    labelled = payload("issues.labeled", issue__number=number)
    arrived: list[str] = []

    def redeliver(item: Any, body: dict[str, Any]) -> int:
        arrived.append(item.guid)
        bot.deliver("issues", body, delivery=item.guid)
        return 202

    bot.fake.on_redeliver = redeliver
    bot.fake.log_delivery("issues", "labeled", labelled, status_code=0)  # GitHub could not reach planbot
    bot.fake.log_delivery("issues", "labeled", labelled, status_code=202)  # another one that did arrive
    report = sweep(bot)
    assert report.redeliveries_asked == 1 and len(arrived) == 1
    assert td_comments(bot, number), "the redelivered label did not start the plan"
    again = sweep(bot)
    assert again.redeliveries_asked == 0 and len(arrived) == 1


def test_a_flushed_redis_mid_vote_is_rebuilt_from_the_status_comment(bot: Bot) -> None:
    number = open_issue(bot)
    bot.deliver("issues", payload("issues.labeled", issue__number=number))
    bot.work()
    before = td_comments(bot, number)
    assert before and StateStore(bot.redis).load(issue_ref(number)) is not None
    bot.redis.flushall()
    report = sweep(bot)
    assert report.plans_resumed == 1
    state = StateStore(bot.redis).load(issue_ref(number))
    assert state is not None and state.phase is PlanPhase.VOTING and state.next_tally_at is not None
    assert td_comments(bot, number) == before  # nothing posted twice
    assert sweep(bot).plans_resumed == 0  # carried on: nothing more to do


def test_a_labelled_issue_that_was_never_planned_is_started(bot: Bot) -> None:
    number = open_issue(bot)  # labelled, but the delivery never made it and GitHub has no record of it
    report = sweep(bot)
    assert report.plans_resumed == 1 and td_comments(bot, number)
