"""The fake's app authentication: JWTs for app routes, installation tokens for the rest."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import cache

import httpx
import jwt
import pytest
from githubkit.exception import RequestFailed

from tests.fakegithub import FakeGitHub
from tests.fakegithub.fixtures import (
    INSTALLATION_ID,
    OWNER,
    REPO,
    SSL_CONTEXT,
    AppKey,
    app_client,
    installation_client,
    make_app_key,
)


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(verify=SSL_CONTEXT) as client:
        yield client


@cache
def other_key() -> AppKey:
    return make_app_key()


def app_jwt(key: str, issuer: str, *, lifetime: timedelta = timedelta(minutes=9)) -> str:
    issued = datetime.now(UTC) - timedelta(minutes=1)
    return jwt.encode({"iss": issuer, "iat": issued, "exp": issued + lifetime}, key, algorithm="RS256")


def test_app_jwt_reads_the_app_and_the_repository_installation(fake_github: FakeGitHub, app_key: AppKey) -> None:
    gh = app_client(fake_github, app_key)

    app = gh.rest.apps.get_authenticated().parsed_data
    installation = gh.rest.apps.get_repo_installation(OWNER, REPO).parsed_data

    assert app is not None and (app.id, app.slug) == (fake_github.app.id, "planbot")
    assert installation.id == INSTALLATION_ID
    assert installation.account is not None and getattr(installation.account, "login", None) == OWNER
    assert [r.auth for r in fake_github.requests()] == ["bearer", "bearer"]


def test_installation_token_is_fetched_once_and_used_for_repository_calls(
    fake_github: FakeGitHub, app_key: AppKey
) -> None:
    gh = installation_client(fake_github, app_key)

    first = gh.rest.repos.get(OWNER, REPO).parsed_data
    gh.rest.repos.get(OWNER, REPO)

    assert first.default_branch == "main" and first.html_url == f"{fake_github.web_url}/{OWNER}/{REPO}"
    token_requests = fake_github.requests("POST", r"/app/installations/\d+/access_tokens")
    assert len(token_requests) == 1 and token_requests[0].status == 201
    assert [r.auth for r in fake_github.requests("GET", f"/repos/{OWNER}/{REPO}")] == ["token", "token"]


def test_token_answer_has_a_future_expiry(fake_github: FakeGitHub, app_key: AppKey, http: httpx.Client) -> None:
    token = app_jwt(app_key.private_pem, str(fake_github.app.id))
    answer = http.post(f"{fake_github.url}/app/installations/{INSTALLATION_ID}/access_tokens",
                        headers={"Authorization": f"Bearer {token}"})

    assert answer.status_code == 201
    expires = datetime.strptime(answer.json()["expires_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert timedelta(minutes=50) < expires - datetime.now(UTC) <= timedelta(hours=1)
    assert answer.json()["token"].startswith("ghs_")


@pytest.mark.parametrize(
    ("make_token", "why"),
    [
        (lambda fake, key: app_jwt(other_key().private_pem, str(fake.app.id)), "signed with another key"),
        (lambda fake, key: app_jwt(key.private_pem, "999"), "another app's id"),
        (lambda fake, key: app_jwt(key.private_pem, str(fake.app.id), lifetime=timedelta(hours=2)), "too long"),
        (lambda fake, key: "not-a-jwt", "garbage"),
    ],
)
def test_bad_app_jwts_get_401(
    fake_github: FakeGitHub, app_key: AppKey, http: httpx.Client, make_token, why: str  # type: ignore[no-untyped-def]
) -> None:
    token = make_token(fake_github, app_key)
    answer = http.get(f"{fake_github.url}/app", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401, why


def test_missing_unknown_and_revoked_tokens_get_401(
    fake_github: FakeGitHub, app_key: AppKey, http: httpx.Client
) -> None:
    url = f"{fake_github.url}/repos/{OWNER}/{REPO}"
    assert http.get(url).status_code == 401
    assert http.get(url, headers={"Authorization": "token ghs_unknown"}).status_code == 401

    gh = installation_client(fake_github, app_key)
    gh.rest.repos.get(OWNER, REPO)
    fake_github.revoke_tokens()
    with pytest.raises(RequestFailed) as failure:
        gh.rest.repos.get(OWNER, REPO)
    assert failure.value.response.status_code == 401


def test_a_jwt_is_not_an_installation_token(fake_github: FakeGitHub, app_key: AppKey, http: httpx.Client) -> None:
    token = app_jwt(app_key.private_pem, str(fake_github.app.id))
    answer = http.get(f"{fake_github.url}/repos/{OWNER}/{REPO}", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401


def test_repositories_outside_the_installation_are_not_found(fake_github: FakeGitHub, app_key: AppKey) -> None:
    fake_github.add_repo("someone-else", "private-thing", private=True)
    gh = installation_client(fake_github, app_key)
    with pytest.raises(RequestFailed) as failure:
        gh.rest.repos.get("someone-else", "private-thing")
    assert failure.value.response.status_code == 404


def test_only_the_rest_root_answers(fake_github: FakeGitHub, app_key: AppKey, http: httpx.Client) -> None:
    token = app_jwt(app_key.private_pem, str(fake_github.app.id))
    answer = http.get(f"{fake_github.web_url}/app", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 404


def test_every_answer_carries_rate_limit_headers(
    fake_github: FakeGitHub, app_key: AppKey, http: httpx.Client
) -> None:
    gh = installation_client(fake_github, app_key)
    first = gh.rest.repos.get(OWNER, REPO)
    second = gh.rest.repos.get(OWNER, REPO)
    assert int(second.headers["x-ratelimit-remaining"]) == int(first.headers["x-ratelimit-remaining"]) - 1
    assert int(first.headers["x-ratelimit-reset"]) > datetime.now(UTC).timestamp()
    missing = http.get(f"{fake_github.url}/repos/{OWNER}/{REPO}")
    assert "x-ratelimit-remaining" in missing.headers
