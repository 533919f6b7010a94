"""When a GitHub request is tried again, and when it never is.

- A request GitHub refused for a rate limit was not performed: it is tried again once the wait
  is over (the pacer makes every worker of the installation wait too).
- An idempotent request (every read, and writes that give the same result when repeated: PATCH,
  PUT, DELETE, and the content-addressed git objects) is tried again with exponential backoff and
  jitter after a 5xx, a timeout or a connection error.
- A write that creates something (a comment, an issue, a pull request, a ref, …) is never tried
  again blindly: after a 5xx or a timeout the change may have been made. `create_once` looks for
  what it would have created before creating again.

`GitHubRetry` plugs into githubkit as `auto_retry=` (its own default retries POSTs on a 5xx).
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

import httpx
from githubkit.exception import GitHubException, RateLimitExceeded, RequestError, RequestFailed, RequestTimeout
from githubkit.retry import RetryOption
from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"})
# POSTs whose repetition changes nothing people see: git objects are content-addressed (a second
# identical commit is an unreferenced object), adding labels or a reaction twice is a no-op.
IDEMPOTENT_POSTS = re.compile(
    r"/repos/[^/]+/[^/]+/(git/(blobs|trees|commits)|issues/[0-9]+/labels|issues/[0-9]+/reactions"
    r"|issues/comments/[0-9]+/reactions)$"
)
# connection failures that mean the request never reached GitHub
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout)


class RetryPolicy(BaseModel):
    """How many times and how long to wait; one policy serves reads and `create_once`."""

    model_config = ConfigDict(frozen=True)

    attempts: int = Field(default=4, ge=1)  # tries in all, the first included
    base_delay: float = Field(default=0.5, ge=0)  # seconds before the first retry
    max_delay: float = Field(default=8.0, ge=0)
    rate_limit_retries: int = Field(default=2, ge=0)
    max_rate_limit_wait: float = Field(default=900.0, ge=0)  # longer waits fail the job instead

    def backoff(self, retry: int) -> float:
        """Seconds to wait before retry number `retry` (0-based): exponential, with jitter."""
        ceiling = min(self.max_delay, self.base_delay * (2**retry))
        return random.uniform(ceiling / 2, ceiling)


def request_of(exc: GitHubException) -> httpx.Request | None:
    if isinstance(exc, RequestFailed):
        return exc.request
    if isinstance(exc, RequestError):
        try:
            return exc.exc.request  # httpx errors carry the request they were raised for
        except (AttributeError, RuntimeError):
            return None
    return None


def is_idempotent(request: httpx.Request) -> bool:
    if request.method in IDEMPOTENT_METHODS:
        return True
    return request.method == "POST" and IDEMPOTENT_POSTS.search(request.url.path) is not None


def never_sent(exc: BaseException) -> bool:
    """The request failed before reaching GitHub, so nothing can have changed."""
    return isinstance(exc, RequestError) and isinstance(exc.exc, NOT_SENT)


def is_transient(exc: BaseException) -> bool:
    """A 5xx, a timeout or a connection error: the same request may well succeed later."""
    if isinstance(exc, RequestFailed):
        return exc.response.status_code >= 500
    return isinstance(exc, (RequestTimeout, RequestError))


def outcome_unknown(exc: BaseException) -> bool:
    """A write that failed this way may or may not have been made."""
    return is_transient(exc) and not never_sent(exc)


class GitHubRetry:
    """githubkit's `auto_retry` decision: see the module docstring for the rules."""

    def __init__(self, policy: RetryPolicy) -> None:
        self.policy = policy

    def __call__(self, exc: GitHubException, retry_count: int) -> RetryOption:
        if isinstance(exc, RateLimitExceeded):
            wait = exc.retry_after.total_seconds()
            if retry_count < self.policy.rate_limit_retries and wait <= self.policy.max_rate_limit_wait:
                # githubkit sleeps `retry_after` (a zero wait would make it sleep a minute)
                return RetryOption(True, timedelta(seconds=max(wait, 0.001)))
            return RetryOption(False)
        if retry_count + 1 >= self.policy.attempts or not is_transient(exc):
            return RetryOption(False)
        request = request_of(exc)
        if never_sent(exc) or (request is not None and is_idempotent(request)):
            return RetryOption(True, timedelta(seconds=max(self.policy.backoff(retry_count), 0.001)))
        return RetryOption(False)


def create_once(
    find_existing: Callable[[], T | None],
    create: Callable[[], T],
    *,
    policy: RetryPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Create something exactly once, even when GitHub's answer is lost.

    `create` is called; when it fails in a way that leaves the outcome unknown (a 5xx, a timeout,
    a broken connection), `find_existing` looks for what it would have made and returns that
    when found; only when nothing is found is `create` called again. Other errors propagate.
    """
    policy = policy or RetryPolicy()
    for attempt in range(policy.attempts):
        try:
            return create()
        except GitHubException as exc:
            if attempt + 1 >= policy.attempts or not is_transient(exc):
                raise
            ambiguous = outcome_unknown(exc)
        sleep(policy.backoff(attempt))
        if ambiguous:
            found = find_existing()
            if found is not None:
                return found
    raise AssertionError("unreachable: the last attempt returns or raises")
