"""The retry rules: reads and idempotent writes retried, creating writes never blindly."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from githubkit.exception import RequestError, RequestFailed, RequestTimeout, SecondaryRateLimitExceeded
from githubkit.response import Response

from bot.github.retry import GitHubRetry, RetryPolicy, create_once, is_idempotent

API = "https://api.github.com"
POLICY = RetryPolicy(attempts=4, base_delay=0.1, max_delay=1.0)


def request(method: str, path: str) -> httpx.Request:
    return httpx.Request(method, f"{API}{path}")


def failed(method: str, path: str, status: int) -> RequestFailed:
    return RequestFailed(Response(httpx.Response(status, request=request(method, path)), Any))


def timed_out(method: str, path: str) -> RequestTimeout:
    return RequestTimeout(httpx.ReadTimeout("read timed out", request=request(method, path)))


def refused(method: str, path: str) -> RequestError[httpx.ConnectError]:
    return RequestError(httpx.ConnectError("connection refused", request=request(method, path)))


def rate_limited(method: str, path: str, wait: float) -> SecondaryRateLimitExceeded:
    response = Response(httpx.Response(403, request=request(method, path)), Any)
    return SecondaryRateLimitExceeded(response, timedelta(seconds=wait))


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("GET", "/repos/o/r/issues/1/comments", True),
        ("PATCH", "/repos/o/r/issues/comments/5", True),
        ("DELETE", "/repos/o/r/issues/1/labels/x", True),
        ("POST", "/repos/o/r/git/trees", True),
        ("POST", "/repos/o/r/git/commits", True),
        ("POST", "/repos/o/r/issues/1/labels", True),
        ("POST", "/repos/o/r/issues/comments/5/reactions", True),
        ("POST", "/repos/o/r/issues/1/comments", False),
        ("POST", "/repos/o/r/pulls", False),
        ("POST", "/repos/o/r/git/refs", False),
        ("POST", "/repos/o/r/issues", False),
    ],
)
def test_which_requests_are_idempotent(method: str, path: str, expected: bool) -> None:
    assert is_idempotent(request(method, path)) is expected


def test_reads_are_retried_on_5xx_timeouts_and_connection_errors_with_growing_waits() -> None:
    decide = GitHubRetry(POLICY)
    for error in (failed("GET", "/repos/o/r", 502), timed_out("GET", "/repos/o/r"), refused("GET", "/repos/o/r")):
        waits = [decide(error, count) for count in range(3)]
        assert all(option.do_retry for option in waits)
        for count, option in enumerate(waits):
            assert option.retry_after is not None
            ceiling = min(POLICY.max_delay, POLICY.base_delay * 2**count)
            assert ceiling / 2 <= option.retry_after.total_seconds() <= ceiling
        assert not decide(error, 3).do_retry  # four tries in all


def test_creating_writes_are_not_retried_after_5xx_or_timeouts() -> None:
    decide = GitHubRetry(POLICY)
    assert not decide(failed("POST", "/repos/o/r/issues/1/comments", 502), 0).do_retry
    assert not decide(timed_out("POST", "/repos/o/r/pulls"), 0).do_retry
    assert decide(refused("POST", "/repos/o/r/pulls"), 0).do_retry  # never reached GitHub


def test_client_errors_are_never_retried() -> None:
    decide = GitHubRetry(POLICY)
    assert not decide(failed("GET", "/repos/o/r", 404), 0).do_retry
    assert not decide(failed("PATCH", "/repos/o/r/git/refs/heads/x", 422), 0).do_retry


def test_rate_limits_are_retried_after_the_wait_even_for_creating_writes() -> None:
    decide = GitHubRetry(POLICY)
    option = decide(rate_limited("POST", "/repos/o/r/issues/1/comments", 3), 0)
    assert option.do_retry and option.retry_after == timedelta(seconds=3)
    zero = decide(rate_limited("POST", "/repos/o/r/issues/1/comments", 0), 0)
    assert zero.retry_after is not None and zero.retry_after > timedelta(0)  # githubkit sleeps 60 s on zero
    assert not decide(rate_limited("GET", "/repos/o/r", 3), POLICY.rate_limit_retries).do_retry
    assert not decide(rate_limited("GET", "/repos/o/r", POLICY.max_rate_limit_wait + 1), 0).do_retry


class Calls:
    def __init__(self, outcomes: list[object], found: list[object | None]) -> None:
        self.outcomes = outcomes
        self.found = found
        self.created = 0
        self.looked = 0
        self.slept: list[float] = []

    def create(self) -> object:
        self.created += 1
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def find(self) -> object | None:
        self.looked += 1
        return self.found.pop(0)


def test_create_once_returns_what_a_lost_answer_made() -> None:
    calls = Calls([failed("POST", "/repos/o/r/issues/1/comments", 502)], found=["the comment"])
    result = create_once(calls.find, calls.create, policy=POLICY, sleep=calls.slept.append)
    assert result == "the comment"
    assert (calls.created, calls.looked, len(calls.slept)) == (1, 1, 1)


def test_create_once_creates_again_only_when_nothing_was_made() -> None:
    calls = Calls([timed_out("POST", "/repos/o/r/pulls"), "the pull"], found=[None])
    assert create_once(calls.find, calls.create, policy=POLICY, sleep=calls.slept.append) == "the pull"
    assert (calls.created, calls.looked) == (2, 1)


def test_create_once_does_not_look_when_the_request_never_left() -> None:
    calls = Calls([refused("POST", "/repos/o/r/pulls"), "the pull"], found=[])
    assert create_once(calls.find, calls.create, policy=POLICY, sleep=calls.slept.append) == "the pull"
    assert (calls.created, calls.looked) == (2, 0)


def test_create_once_raises_client_errors_and_gives_up_after_the_attempts() -> None:
    calls = Calls([failed("POST", "/repos/o/r/pulls", 422)], found=[])
    with pytest.raises(RequestFailed):
        create_once(calls.find, calls.create, policy=POLICY, sleep=calls.slept.append)
    assert calls.created == 1 and calls.looked == 0

    errors: list[object] = [failed("POST", "/repos/o/r/pulls", 502) for _ in range(POLICY.attempts)]
    calls = Calls(errors, found=[None] * POLICY.attempts)
    with pytest.raises(RequestFailed):
        create_once(calls.find, calls.create, policy=POLICY, sleep=calls.slept.append)
    assert calls.created == POLICY.attempts and calls.looked == POLICY.attempts - 1
