"""A job that fails for a passing reason runs again later (an RQ `Retry` with growing, jittered
delays); the issue hears of the failure only when the last try failed, or at once when no retry
can mend it."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator

import pytest
from rq.scheduler import RQScheduler

from bot.queue import job_retry
from bot.settings import Settings
from tests.fakegithub import FakeGitHub
from tests.fakegithub.fixtures import OWNER, REPO, AppKey
from tests.github.support import FAST_RETRY
from tests.workers.conftest import Bot, payload, running_bot
from tests.workers.test_start_plan import open_issue

COMMENTS = rf"/repos/{OWNER}/{REPO}/issues/\d+/comments"


@pytest.fixture
def retrying(fake_github: FakeGitHub, app_key: AppKey, redis_url: str) -> Iterator[Bot]:
    with running_bot(fake_github, app_key, redis_url, PLANBOT_JOB_RETRIES=2, PLANBOT_JOB_RETRY_SECONDS=1) as bot:
        yield bot


def retries(bot: Bot) -> list[str]:
    """The scheduled retries of `start_plan` jobs (a plan in voting also has its next tally scheduled)."""
    return [job_id for job_id in bot.queue.scheduled_job_registry.get_job_ids() if job_id.startswith("start_plan-")]


def run_due_retries(bot: Bot) -> None:
    """Wait until the scheduled retry is due and let a scheduler queue it."""
    registry = bot.queue.scheduled_job_registry
    assert len(retries(bot)) == 1, "no retry was scheduled"
    due = registry.get_scheduled_time(retries(bot)[0])
    time.sleep(max(0.0, due.timestamp() - time.time()) + 0.1)
    scheduler = RQScheduler([bot.queue], connection=bot.redis)
    assert scheduler.acquire_locks() == {bot.queue.name}, "another scheduler holds the queue's lock"
    try:
        scheduler.enqueue_scheduled_jobs()
    finally:
        scheduler.release_locks()
    assert retries(bot) == []


def failure_comments(bot: Bot, number: int) -> list[str]:
    return [c.body for c in bot.fake.comments(OWNER, REPO, number) if "<!-- planbot:job-failed" in c.body]


def test_a_job_failed_by_a_github_outage_runs_again_and_finishes(retrying: Bot) -> None:
    bot = retrying
    number = open_issue(bot)
    bot.fake.fail(COMMENTS, "POST", status=500, times=bot.rt_retry_attempts)  # outlasts the request's own retries
    bot.deliver("issues", payload("issues.labeled", issue__number=number))
    bot.work()  # the job failed, and is not in the failed registry: it waits for its retry

    assert bot.fake.pending_faults() == 0
    assert failure_comments(bot, number) == []
    run_due_retries(bot)
    bot.work()

    assert failure_comments(bot, number) == []
    td_comments = [c for c in bot.fake.comments(OWNER, REPO, number) if "<!-- planbot:td" in c.body]
    assert td_comments and len({c.body.split("\n", 1)[0] for c in td_comments}) == len(td_comments)
    status = next(c for c in bot.fake.comments(OWNER, REPO, number) if "<!-- planbot:status" in c.body)
    assert '"failure":null' in status.body and '"phase":"voting"' in status.body


def test_a_secondary_rate_limit_that_outlasts_a_run_is_waited_out_by_a_retry(retrying: Bot) -> None:
    bot = retrying
    number = open_issue(bot)
    # more than the client waits out in one run: the first run and one retry meet it, the next gets through
    bot.fake.rate_limit(COMMENTS, "POST", retry_after=0, times=2 * (FAST_RETRY.rate_limit_retries + 1))
    bot.deliver("issues", payload("issues.labeled", issue__number=number))
    bot.work()
    while retries(bot):
        run_due_retries(bot)
        bot.work()

    assert bot.fake.pending_faults() == 0
    assert failure_comments(bot, number) == []
    assert any("<!-- planbot:td" in c.body for c in bot.fake.comments(OWNER, REPO, number))


def test_the_issue_hears_of_the_failure_once_the_last_try_failed(retrying: Bot) -> None:
    bot = retrying
    number = open_issue(bot)
    refs = rf"/repos/{OWNER}/{REPO}/git/refs"  # the branch: after the status comment, before the decisions
    bot.fake.fail(refs, "POST", status=502, times=bot.rt_retry_attempts * 3)  # the first run and both retries
    bot.deliver("issues", payload("issues.labeled", issue__number=number))
    bot.work()
    run_due_retries(bot)
    bot.work()
    assert failure_comments(bot, number) == []  # one try left
    run_due_retries(bot)
    bot.work(failures=1)

    assert retries(bot) == []
    assert [b for b in bot.fake.branches(OWNER, REPO) if b != "main"] == []
    assert len(failure_comments(bot, number)) == 1 and "HTTP 502" in failure_comments(bot, number)[0]
    status = next(c for c in bot.fake.comments(OWNER, REPO, number) if "<!-- planbot:status" in c.body)
    assert "HTTP 502" in status.body and "/plan restart" in status.body


def test_a_failure_no_retry_can_mend_is_reported_at_once(retrying: Bot) -> None:
    bot = retrying
    number = open_issue(bot)
    bot.fake.fail(COMMENTS, "POST", status=422, times=1)  # GitHub refuses the comment outright
    bot.deliver("issues", payload("issues.labeled", issue__number=number))
    bot.work(failures=1)

    assert retries(bot) == []
    failed = failure_comments(bot, number)
    assert len(failed) == 1 and "HTTP 422" in failed[0]


def test_retry_delays_grow_fourfold_with_jitter() -> None:
    settings = Settings(APP_ID=1, PRIVATE_KEY="k", WEBHOOK_SECRET="s",  # type: ignore[call-arg]
                        PLANBOT_JOB_RETRIES=3, PLANBOT_JOB_RETRY_SECONDS=20)
    rng = random.Random(3)
    draws = [job_retry(settings, rng) for _ in range(50)]
    assert all(retry is not None and retry.max == 3 for retry in draws)
    for retry in draws:
        assert retry is not None and retry.intervals is not None
        first, second, third = retry.intervals
        assert 15 <= first <= 25 and 60 <= second <= 100 and 240 <= third <= 400
    assert len({tuple(retry.intervals or []) for retry in draws if retry}) > 40  # jobs failed together spread out
    none = Settings(APP_ID=1, PRIVATE_KEY="k", WEBHOOK_SECRET="s", PLANBOT_JOB_RETRIES=0)  # type: ignore[call-arg]
    assert job_retry(none) is None
