"""Faults armed on the fake: server errors, secondary and primary rate limits, slow answers."""

from __future__ import annotations

import time

import pytest
from githubkit.exception import PrimaryRateLimitExceeded, RequestFailed, RequestTimeout, SecondaryRateLimitExceeded

from tests.fakegithub import FakeGitHub
from tests.fakegithub.fixtures import OWNER, REPO, AppKey, installation_client

COMMENTS = rf"/repos/{OWNER}/{REPO}/issues/\d+/comments"


def test_server_errors_hit_only_the_matching_requests_and_only_n_times(
    fake_github: FakeGitHub, app_key: AppKey
) -> None:
    gh = installation_client(fake_github, app_key)
    number = fake_github.add_issue(OWNER, REPO, "T")
    fake_github.fail(COMMENTS, "POST", status=502, times=2)

    gh.rest.issues.list_comments(OWNER, REPO, number)  # a GET is not matched
    for _ in range(2):
        with pytest.raises(RequestFailed) as failure:
            gh.rest.issues.create_comment(OWNER, REPO, number, body="x")
        assert failure.value.response.status_code == 502
    gh.rest.issues.create_comment(OWNER, REPO, number, body="x")

    assert [c.body for c in fake_github.comments(OWNER, REPO, number)] == ["x"]
    assert [r.status for r in fake_github.requests("POST", COMMENTS)] == [502, 502, 201]
    assert fake_github.pending_faults() == 0


def test_a_failure_after_the_write_keeps_the_write(fake_github: FakeGitHub, app_key: AppKey) -> None:
    gh = installation_client(fake_github, app_key)
    number = fake_github.add_issue(OWNER, REPO, "T")
    fake_github.fail(COMMENTS, "POST", status=500, after=True)

    with pytest.raises(RequestFailed) as failure:
        gh.rest.issues.create_comment(OWNER, REPO, number, body="made anyway")

    assert failure.value.response.status_code == 500
    assert [c.body for c in fake_github.comments(OWNER, REPO, number)] == ["made anyway"]


@pytest.mark.parametrize("status", [403, 429])
def test_secondary_rate_limits_carry_retry_after(fake_github: FakeGitHub, app_key: AppKey, status: int) -> None:
    gh = installation_client(fake_github, app_key)
    number = fake_github.add_issue(OWNER, REPO, "T")
    fake_github.rate_limit(COMMENTS, "POST", retry_after=7, status=status)

    with pytest.raises(SecondaryRateLimitExceeded) as failure:
        gh.rest.issues.create_comment(OWNER, REPO, number, body="x")

    assert failure.value.retry_after.total_seconds() == 7
    assert failure.value.response.status_code == status
    assert "secondary rate limit" in failure.value.response.json()["message"]
    assert fake_github.comments(OWNER, REPO, number) == []


def test_an_exhausted_primary_limit_refuses_until_reset(fake_github: FakeGitHub, app_key: AppKey) -> None:
    gh = installation_client(fake_github, app_key)
    gh.rest.repos.get(OWNER, REPO)
    fake_github.exhaust_rate_limit(reset_in=1.0)

    with pytest.raises(PrimaryRateLimitExceeded) as failure:
        gh.rest.repos.get(OWNER, REPO)
    assert failure.value.response.headers["x-ratelimit-remaining"] == "0"
    reset = int(failure.value.response.headers["x-ratelimit-reset"])
    time.sleep(max(0.0, reset - time.time()) + 0.05)

    assert gh.rest.repos.get(OWNER, REPO).status_code == 200


def test_slow_answers_time_out_after_the_write_is_made(fake_github: FakeGitHub, app_key: AppKey) -> None:
    gh = installation_client(fake_github, app_key, timeout=0.2)
    number = fake_github.add_issue(OWNER, REPO, "T")
    fake_github.slow(COMMENTS, "POST", seconds=0.6)

    with pytest.raises(RequestTimeout):
        gh.rest.issues.create_comment(OWNER, REPO, number, body="late")

    assert [c.body for c in fake_github.comments(OWNER, REPO, number)] == ["late"]
