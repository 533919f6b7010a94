"""The pacer: writes of one installation at least the interval apart across clients, and every
client waiting when GitHub says so."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
import redis

from bot.github.client import GitHubApp
from bot.github.pacer import RedisPacer, wait_from_headers
from bot.jobs import IssueRef
from tests.fakegithub import FakeGitHub
from tests.fakegithub.fixtures import INSTALLATION_ID, OWNER, REPO, AppKey
from tests.github.support import FAST_RETRY, make_settings

COMMENTS = rf"/repos/{OWNER}/{REPO}/issues/\d+/comments"
TOLERANCE = 0.03  # arrival at the server may trail the start of a send by a little


def worker_app(fake: FakeGitHub, key: AppKey, redis_url: str, interval: float) -> GitHubApp:
    """A client as one worker process has it: its own Redis connection and githubkit client."""
    return GitHubApp(make_settings(fake, key, redis_url, interval), redis.Redis.from_url(redis_url), retry=FAST_RETRY)


def test_writes_from_two_workers_are_spaced_by_the_interval(
    fake_github: FakeGitHub, app_key: AppKey, redis_url: str, issue: IssueRef
) -> None:
    interval = 0.25
    workers = [worker_app(fake_github, app_key, redis_url, interval).installation(INSTALLATION_ID) for _ in range(2)]
    for worker in workers:
        worker.gh.rest.repos.get(OWNER, REPO)  # fetch each worker's token first

    def write(worker_index: int) -> None:
        gh = workers[worker_index].gh
        for step in range(3):
            gh.rest.issues.create_comment(OWNER, REPO, issue.number, body=f"worker {worker_index} step {step}")

    threads = [threading.Thread(target=write, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    starts = sorted(r.started for r in fake_github.writes())
    assert len(starts) == 6 and len(fake_github.comments(OWNER, REPO, issue.number)) == 6
    gaps = [later - earlier for earlier, later in zip(starts, starts[1:], strict=False)]
    assert min(gaps) >= interval - TOLERANCE, gaps


def test_reads_are_not_paced(fake_github: FakeGitHub, app_key: AppKey, redis_url: str, issue: IssueRef) -> None:
    inst = worker_app(fake_github, app_key, redis_url, interval=1.0).installation(INSTALLATION_ID)
    inst.gh.rest.issues.create_comment(OWNER, REPO, issue.number, body="first write")
    began = time.monotonic()
    for _ in range(4):
        inst.gh.rest.issues.get(OWNER, REPO, issue.number)
    reads_took = time.monotonic() - began
    inst.gh.rest.issues.create_comment(OWNER, REPO, issue.number, body="second write")

    writes = fake_github.writes()
    assert reads_took < 0.8  # none of them waited for the write interval
    assert writes[1].started - writes[0].started >= 1.0 - TOLERANCE


def test_a_secondary_limit_makes_every_worker_wait(
    fake_github: FakeGitHub, app_key: AppKey, redis_url: str, issue: IssueRef
) -> None:
    first = worker_app(fake_github, app_key, redis_url, interval=0.05).installation(INSTALLATION_ID)
    second = worker_app(fake_github, app_key, redis_url, interval=0.05).installation(INSTALLATION_ID)
    second.gh.rest.repos.get(OWNER, REPO)
    fake_github.rate_limit(COMMENTS, "POST", retry_after=1)

    blocked = threading.Thread(
        target=lambda: first.gh.rest.issues.create_comment(OWNER, REPO, issue.number, body="first worker")
    )
    blocked.start()
    deadline = time.monotonic() + 5
    while not fake_github.requests("POST", COMMENTS) and time.monotonic() < deadline:
        time.sleep(0.01)
    second.gh.rest.issues.add_labels(OWNER, REPO, issue.number, labels=["needs-plan"])
    second.gh.rest.issues.get(OWNER, REPO, issue.number)
    blocked.join(timeout=10)

    refused = fake_github.requests("POST", COMMENTS)[0]
    label = fake_github.requests("POST", rf"/repos/{OWNER}/{REPO}/issues/\d+/labels")[0]
    read = fake_github.requests("GET", rf"/repos/{OWNER}/{REPO}/issues/\d+")[0]
    assert refused.status == 403
    assert label.started - refused.finished >= 1 - TOLERANCE
    assert read.started - refused.finished >= 1 - TOLERANCE
    assert [c.body for c in fake_github.comments(OWNER, REPO, issue.number)] == ["first worker"]


def test_an_exhausted_primary_limit_blocks_until_reset(
    fake_github: FakeGitHub, app_key: AppKey, redis_url: str
) -> None:
    inst = worker_app(fake_github, app_key, redis_url, interval=0.05).installation(INSTALLATION_ID)
    inst.gh.rest.repos.get(OWNER, REPO)
    fake_github.exhaust_rate_limit(reset_in=1.0)

    assert inst.gh.rest.repos.get(OWNER, REPO).status_code == 200

    refused, answered = fake_github.requests("GET", f"/repos/{OWNER}/{REPO}")[1:]
    assert refused.status == 403 and answered.status == 200
    # the reset was at least a second after the limit ran out, and nothing was asked before it
    assert answered.started - refused.finished >= 1 - 0.1


def test_the_block_is_shared_and_only_moves_later(redis_client: redis.Redis) -> None:
    slept: list[float] = []
    one = RedisPacer(redis_client, 1, interval=0.0, sleep=slept.append)
    other = RedisPacer(redis_client, 1, interval=0.0, sleep=slept.append)
    elsewhere = RedisPacer(redis_client, 2, interval=0.0, sleep=slept.append)

    one.block_for(30)
    one.block_for(5)

    assert 29 < other.blocked_for() <= 30
    assert elsewhere.blocked_for() == 0


@pytest.mark.parametrize(
    ("status", "headers", "body", "expected"),
    [
        (403, {"retry-after": "7"}, {"message": "You have exceeded a secondary rate limit"}, 7.0),
        (429, {"retry-after": "2"}, {}, 2.0),
        (403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1010"}, {"message": "API rate limit"}, 10.0),
        (200, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1030"}, {}, 30.0),
        (403, {"x-ratelimit-remaining": "12"}, {"message": "You have exceeded a secondary rate limit."}, 60.0),
        (403, {"x-ratelimit-remaining": "12"}, {"message": "Resource not accessible by integration"}, None),
        (200, {"x-ratelimit-remaining": "4999", "retry-after": "5"}, {}, None),
    ],
)
def test_waits_read_from_answers(status: int, headers: dict[str, str], body: dict[str, str],
                                 expected: float | None) -> None:
    response = httpx.Response(status, headers=headers, json=body)
    assert wait_from_headers(response, wall_now=1000.0) == expected


def test_one_write_at_a_time_and_a_dead_workers_lease_expires(redis_client: redis.Redis) -> None:
    crashed = RedisPacer(redis_client, 1, interval=0.0, lease_seconds=0.3)
    crashed.take_write_turn()  # a worker that took its turn and died before giving it back
    waiting = RedisPacer(redis_client, 1, interval=0.0, lease_seconds=0.3)

    began = time.monotonic()
    token = waiting.take_write_turn()
    waited = time.monotonic() - began
    waiting.end_write_turn(token)

    assert 0.2 <= waited < 1.0
    assert redis_client.get(waiting.lease_key) is None
