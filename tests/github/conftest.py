"""Fixtures for the GitHub adapter: the fake GitHub, settings pointing at it, the app client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis

from bot.github.client import GitHubApp, Installation
from bot.jobs import IssueRef
from bot.settings import Settings
from tests.fakegithub import FakeGitHub
from tests.fakegithub.fixtures import INSTALLATION_ID, OWNER, REPO, AppKey, app_key, fake_github, fake_github_server
from tests.github.support import FAST_RETRY, make_settings

__all__ = ["app_key", "fake_github", "fake_github_server"]



@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


@pytest.fixture
def settings(fake_github: FakeGitHub, app_key: AppKey, redis_url: str) -> Settings:
    return make_settings(fake_github, app_key, redis_url)


@pytest.fixture
def github_app(settings: Settings, redis_client: redis.Redis) -> GitHubApp:
    return GitHubApp(settings, redis_client, retry=FAST_RETRY)


@pytest.fixture
def inst(github_app: GitHubApp) -> Installation:
    return github_app.installation(INSTALLATION_ID)


@pytest.fixture
def issue(fake_github: FakeGitHub) -> IssueRef:
    number = fake_github.add_issue(OWNER, REPO, "Add login", "Users sign in with e-mail.", author="alice")
    return IssueRef(installation_id=INSTALLATION_ID, owner=OWNER, repo=REPO, number=number)
