"""GitHub requests made in a worker's client show up in the web process's `/metrics`, through Redis."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import redis

from bot.github.client import GitHubApp, Installation
from bot.metrics import SharedMetrics
from tests.fakegithub import FakeGitHub
from tests.fakegithub.fixtures import INSTALLATION_ID, OWNER, REPO, AppKey
from tests.github.support import FAST_RETRY, make_settings
from tests.metrics.scraping import Scrape


@pytest.fixture
def worker_inst(fake_github: FakeGitHub, app_key: AppKey, redis_url: str) -> Iterator[Installation]:
    """An installation client as a worker process has it: its own Redis connection."""
    connection = redis.Redis.from_url(redis_url)
    yield GitHubApp(make_settings(fake_github, app_key, redis_url), connection, retry=FAST_RETRY).installation(
        INSTALLATION_ID
    )
    connection.close()


def requests(scrape: Scrape, method: str, status: str) -> float:
    return scrape.value("planbot_github_requests_total", method=method, status=status) or 0.0


def test_requests_are_counted_by_method_and_status_with_the_rate_limit(
    worker_inst: Installation, scrape: Callable[[], Scrape]
) -> None:
    first = worker_inst.gh.rest.repos.get(OWNER, REPO)  # exchanges the app's JWT for a token first
    last = worker_inst.gh.rest.repos.get(OWNER, REPO)
    assert first.status_code == last.status_code == 200

    after = scrape()
    assert requests(after, "GET", "200") == 2
    assert requests(after, "POST", "201") == 1  # the token exchange
    remaining = after.value("planbot_github_ratelimit_remaining", installation=str(INSTALLATION_ID))
    assert remaining == int(last.headers["x-ratelimit-remaining"])
    assert after.value("planbot_github_ratelimit_remaining", installation="app") is not None  # the JWT's own


def test_every_attempt_of_a_retried_request_is_counted(
    fake_github: FakeGitHub, worker_inst: Installation, scrape: Callable[[], Scrape]
) -> None:
    worker_inst.gh.rest.repos.get(OWNER, REPO)
    fake_github.fail(rf"/repos/{OWNER}/{REPO}$", "GET", status=502)
    assert worker_inst.gh.rest.repos.get(OWNER, REPO).status_code == 200  # retried after the 502

    after = scrape()
    assert requests(after, "GET", "502") == 1
    assert requests(after, "GET", "200") == 2


def test_the_counters_are_shared_by_processes_and_expire(redis_client: redis.Redis, redis_url: str) -> None:
    """Two workers (each its own connection) add to the same counter; each write renews the expiry."""
    other = redis.Redis.from_url(redis_url)
    one, two = SharedMetrics(redis_client, ttl_seconds=60), SharedMetrics(other, ttl_seconds=60)
    one.count_github_response("get", 200, "7", 4999)
    two.count_github_response("GET", 200, "7", 4998)
    two.count_github_response("PROPFIND", 405, "7", None)
    two.count_recovered_deliveries(2)

    snapshot = one.snapshot()
    assert [(c.method, c.status, c.count) for c in snapshot.github_requests] == [("GET", "200", 2), ("OTHER", "405", 1)]
    assert snapshot.ratelimit_remaining == {"7": 4998}
    assert snapshot.recovered_deliveries == 2
    for key in (one.requests_key, one.ratelimit_key, one.recovered_key):
        assert 0 < redis_client.ttl(key) <= 60
    other.close()


def test_recovered_deliveries_are_exposed(redis_client: redis.Redis, scrape: Callable[[], Scrape]) -> None:
    assert scrape().value("planbot_recovered_deliveries_total") == 0
    SharedMetrics(redis_client).count_recovered_deliveries(3)
    assert scrape().value("planbot_recovered_deliveries_total") == 3
