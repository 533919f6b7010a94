"""Clients built from settings: identity, shared tokens, and the retry rules in action."""

from __future__ import annotations

import pytest
import redis
from githubkit.exception import RequestFailed

from bot.github.client import GitHubApp, Installation
from bot.jobs import IssueRef
from bot.settings import Settings
from tests.fakegithub import FakeGitHub
from tests.fakegithub.fixtures import APP_ID, INSTALLATION_ID, OWNER, REPO
from tests.github.support import FAST_RETRY

TOKENS = r"/app/installations/\d+/access_tokens"


def test_identity_comes_from_get_app_and_is_cached_in_redis(
    fake_github: FakeGitHub, settings: Settings, redis_client: redis.Redis
) -> None:
    first = GitHubApp(settings, redis_client).identity()
    second = GitHubApp(settings, redis_client).identity()

    assert (first.id, first.slug, first.bot_login) == (APP_ID, "planbot", "planbot[bot]")
    assert second == first
    assert len(fake_github.requests("GET", "/app")) == 1


def test_installation_lookup_for_a_repository(github_app: GitHubApp) -> None:
    assert github_app.installation_id_for(OWNER, REPO) == INSTALLATION_ID


def test_workers_share_one_installation_token_through_redis(
    fake_github: FakeGitHub, settings: Settings, redis_client: redis.Redis
) -> None:
    for _ in range(3):  # three jobs, each with its own client, as RQ work horses have
        job = GitHubApp(settings, redis_client).installation(INSTALLATION_ID)
        job.gh.rest.repos.get(OWNER, REPO)

    assert len(fake_github.requests("POST", TOKENS)) == 1
    assert [r.status for r in fake_github.requests("GET", f"/repos/{OWNER}/{REPO}")] == [200, 200, 200]


def test_requests_go_to_the_configured_api_root(fake_github: FakeGitHub, inst: Installation) -> None:
    repo = inst.gh.rest.repos.get(OWNER, REPO).parsed_data
    assert fake_github.url.endswith("/api/v3") and repo.html_url == f"{fake_github.web_url}/{OWNER}/{REPO}"


def test_reads_are_retried_after_server_errors(fake_github: FakeGitHub, inst: Installation) -> None:
    fake_github.fail(f"/repos/{OWNER}/{REPO}", "GET", status=502, times=2)

    assert inst.gh.rest.repos.get(OWNER, REPO).parsed_data.name == REPO
    assert [r.status for r in fake_github.requests("GET", f"/repos/{OWNER}/{REPO}")] == [502, 502, 200]


def test_reads_give_up_after_the_policy_attempts(fake_github: FakeGitHub, inst: Installation) -> None:
    fake_github.fail(f"/repos/{OWNER}/{REPO}", "GET", status=503, times=10)

    with pytest.raises(RequestFailed):
        inst.gh.rest.repos.get(OWNER, REPO)
    assert len(fake_github.requests("GET", f"/repos/{OWNER}/{REPO}")) == FAST_RETRY.attempts


def test_a_comment_is_never_posted_twice_by_the_client(
    fake_github: FakeGitHub, inst: Installation, issue: IssueRef
) -> None:
    fake_github.fail(rf"/repos/{OWNER}/{REPO}/issues/\d+/comments", "POST", status=502, after=True)

    with pytest.raises(RequestFailed):
        inst.gh.rest.issues.create_comment(OWNER, REPO, issue.number, body="once")

    assert len(fake_github.requests("POST", rf"/repos/{OWNER}/{REPO}/issues/\d+/comments")) == 1
    assert [c.body for c in fake_github.comments(OWNER, REPO, issue.number)] == ["once"]


def test_idempotent_writes_are_retried(fake_github: FakeGitHub, inst: Installation, issue: IssueRef) -> None:
    fake_github.fail(rf"/repos/{OWNER}/{REPO}/issues/\d+", "PATCH", status=500)

    inst.gh.rest.issues.update(OWNER, REPO, issue.number, body="new body")

    assert fake_github.issue(OWNER, REPO, issue.number).body == "new body"
    assert [r.status for r in fake_github.requests("PATCH")] == [500, 200]


def test_a_rate_limited_comment_is_sent_again_after_the_wait(
    fake_github: FakeGitHub, inst: Installation, issue: IssueRef
) -> None:
    fake_github.rate_limit(rf"/repos/{OWNER}/{REPO}/issues/\d+/comments", "POST", retry_after=1)

    inst.gh.rest.issues.create_comment(OWNER, REPO, issue.number, body="after the wait")

    posts = fake_github.requests("POST", rf"/repos/{OWNER}/{REPO}/issues/\d+/comments")
    assert [r.status for r in posts] == [403, 201]
    assert posts[1].started - posts[0].finished >= 0.95
    assert [c.body for c in fake_github.comments(OWNER, REPO, issue.number)] == ["after the wait"]


def test_a_configured_api_version_is_sent_instead_of_githubkits(fake_github, app_key, redis_url, redis_client) -> None:
    from bot.github.client import GitHubApp
    from tests.fakegithub.fixtures import INSTALLATION_ID, OWNER, REPO
    from tests.github.support import FAST_RETRY, make_settings

    settings = make_settings(fake_github, app_key, redis_url).model_copy(update={"github_api_version": "2022-11-28"})
    inst = GitHubApp(settings, redis_client, retry=FAST_RETRY).installation(INSTALLATION_ID)
    inst.gh.rest.repos.get(OWNER, REPO)
    sent = fake_github.requests("GET", rf"/repos/{OWNER}/{REPO}")[-1]
    assert sent.headers.get("x-github-api-version") == "2022-11-28"
