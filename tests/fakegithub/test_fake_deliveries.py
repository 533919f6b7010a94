"""The fake's webhook delivery log (listing by cursor, one delivery, redelivery through a test
callback) and the listings a reconciliation sweep reads: the app's installations, an
installation's repositories, and a repository's issues."""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.fakegithub import DeliveryView, FakeGitHub
from tests.fakegithub.fixtures import (
    INSTALLATION_ID,
    OWNER,
    REPO,
    SSL_CONTEXT,
    AppKey,
    Client,
    app_client,
    installation_client,
    status_of,
)
from tests.fakegithub.state import now

SECRET = "it's a secret to everybody"


def labelled(fake: FakeGitHub, number: int = 1) -> dict[str, Any]:
    """A trimmed `issues.labeled` payload for acme/widgets."""
    repo = fake.world.repo(OWNER, REPO)
    assert repo is not None
    return {
        "action": "labeled",
        "issue": {"number": number},
        "label": {"name": "plan"},
        "repository": {"id": repo.id, "full_name": f"{OWNER}/{REPO}"},
        "installation": {"id": INSTALLATION_ID},
        "sender": {"login": "alice", "type": "User"},
    }


# -- a real HTTP receiver standing in for the app under test --------------------------------


@dataclass
class Receiver:
    """Records every POST (headers, body) and answers `status`."""

    url: str
    status: int = 202
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver("")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            found.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(found.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    found.url = f"http://127.0.0.1:{server.server_address[1]}/webhooks"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield found
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def token_status(fake: FakeGitHub, key: AppKey, path: str) -> int:
    """The status of a GET with an installation token (githubkit itself switches to the app's
    JWT for `/app` paths, so it cannot show that the fake refuses tokens there)."""
    app = app_client(fake, key)
    token = app.rest.apps.create_installation_access_token(INSTALLATION_ID).parsed_data.token
    with httpx.Client(verify=SSL_CONTEXT) as http:
        return http.get(f"{fake.url}{path}", headers={"Authorization": f"token {token}"}).status_code


def post_to(receiver: Receiver) -> Any:
    """An `on_redeliver` callback that POSTs the delivery's exact request to the receiver."""

    def redeliver(item: DeliveryView, payload: dict[str, Any]) -> int:
        with httpx.Client(verify=SSL_CONTEXT, timeout=5) as http:
            return http.post(receiver.url, content=item.body, headers=item.headers).status_code

    return redeliver


# -- the delivery log -----------------------------------------------------------------------


def test_more_than_a_hundred_deliveries_page_by_cursor_newest_first(
    fake_github: FakeGitHub, app_key: AppKey
) -> None:
    app = app_client(fake_github, app_key)
    ids = [fake_github.log_delivery("issues", "labeled", labelled(fake_github, n)) for n in range(130)]

    first = app.rest.apps.list_webhook_deliveries(per_page=100)
    next_url = first.raw_response.links["next"]["url"]
    cursor = parse_qs(urlsplit(next_url).query)["cursor"][0]
    second = app.rest.apps.list_webhook_deliveries(per_page=100, cursor=cursor)
    every = list(app.rest.paginate(app.rest.apps.list_webhook_deliveries, per_page=100))

    assert [d.id for d in first.parsed_data] == ids[::-1][:100]
    assert next_url.startswith(f"{fake_github.url}/app/hook/deliveries?") and 'rel="next"' in first.headers["link"]
    assert [d.id for d in second.parsed_data] == ids[::-1][100:]
    assert "link" not in second.headers  # nothing more
    assert [d.id for d in every] == ids[::-1]
    assert [r.auth for r in fake_github.requests("GET", "/app/hook/deliveries")] == ["bearer"] * 4
    assert status_of(lambda: app.rest.apps.list_webhook_deliveries(cursor="v1_nonsense")) == 400


def test_listing_shows_each_attempts_outcome_and_filters_by_status(fake_github: FakeGitHub, app_key: AppKey) -> None:
    app = app_client(fake_github, app_key)
    payload = labelled(fake_github)
    ok = fake_github.log_delivery("issues", "labeled", payload)
    lost = fake_github.log_delivery("issues", "labeled", payload, status_code=0, guid="lost-guid")
    refused = fake_github.log_delivery("issue_comment", "created", {"action": "created"}, status_code=500)
    older = fake_github.log_delivery("ping", None, {"zen": "Keep it simple."},
                                     delivered_at=now() - timedelta(hours=1))

    listed = app.rest.apps.list_webhook_deliveries().parsed_data
    failures = app.rest.apps.list_webhook_deliveries(status="failure").parsed_data
    successes = app.rest.apps.list_webhook_deliveries(status="success").parsed_data

    assert [d.id for d in listed] == [refused, lost, ok, older]  # newest first, by time then id
    by_id = {d.id: d for d in listed}
    assert (by_id[ok].status, by_id[ok].status_code, by_id[ok].redelivery) == ("OK", 202, False)
    assert (by_id[lost].status, by_id[lost].status_code, by_id[lost].guid) == ("Timeout", 0, "lost-guid")
    assert (by_id[refused].status, by_id[refused].status_code) == ("Invalid HTTP Response: 500", 500)
    assert (by_id[ok].event, by_id[ok].action, by_id[older].action) == ("issues", "labeled", None)
    assert (by_id[ok].installation_id, by_id[ok].repository_id) == (INSTALLATION_ID, payload["repository"]["id"])
    assert (by_id[refused].installation_id, by_id[refused].repository_id) == (None, None)
    assert by_id[ok].throttled_at is None and by_id[lost].duration >= 10
    assert [d.id for d in failures] == [refused, lost]
    assert [d.id for d in successes] == [ok, older]
    assert status_of(lambda: app.rest.apps.list_webhook_deliveries(status="bogus")) == 422  # type: ignore[arg-type]
    assert [(v.id, v.failed) for v in fake_github.deliveries()] == [(ok, False), (lost, True), (refused, True),
                                                                     (older, False)]


def test_one_delivery_carries_the_signed_request_and_the_answer(fake_github: FakeGitHub, app_key: AppKey) -> None:
    app = app_client(fake_github, app_key)
    fake_github.webhook_secret = SECRET
    payload = labelled(fake_github)
    answered = fake_github.log_delivery("issues", "labeled", payload, guid="g-1")
    unanswered = fake_github.log_delivery("issues", "labeled", payload, status_code=0)

    got = app.rest.apps.get_webhook_delivery(answered).parsed_data
    lost = app.rest.apps.get_webhook_delivery(unanswered).parsed_data

    headers = got.request.headers.model_dump() if got.request.headers is not None else {}
    view = fake_github.deliveries()[0]
    expected = "sha256=" + hmac.new(SECRET.encode(), view.body, hashlib.sha256).hexdigest()
    assert (got.id, got.guid, got.status_code, got.event) == (answered, "g-1", 202, "issues")
    assert headers["X-GitHub-Delivery"] == "g-1" and headers["X-GitHub-Event"] == "issues"
    assert headers["X-Hub-Signature-256"] == expected == view.headers["X-Hub-Signature-256"]
    assert headers["X-GitHub-Hook-Installation-Target-ID"] == str(fake_github.app.id)
    assert got.request.payload is not None and got.request.payload.model_dump() == payload == view.payload
    assert got.response.headers is not None and got.response.payload == ""
    assert (lost.status_code, lost.response.headers, lost.response.payload) == (0, None, None)
    assert status_of(lambda: app.rest.apps.get_webhook_delivery(999_999)) == 404
    assert token_status(fake_github, app_key, f"/app/hook/deliveries/{answered}") == 401  # JWT only


def test_a_redelivery_reaches_the_app_and_is_logged_as_a_new_attempt(
    fake_github: FakeGitHub, app_key: AppKey, receiver: Receiver
) -> None:
    app = app_client(fake_github, app_key)
    gh = installation_client(fake_github, app_key)
    fake_github.webhook_secret = SECRET
    number = fake_github.add_issue(OWNER, REPO, "Add login", labels=["plan"])
    lost = fake_github.log_delivery("issues", "labeled", labelled(fake_github, number), status_code=0, guid="g-lost")
    seen_by_callback: list[str] = []
    deliver = post_to(receiver)

    def redeliver(item: DeliveryView, payload: dict[str, Any]) -> int:
        # the fake keeps serving while the callback runs: the app may call GitHub back
        seen_by_callback.append(gh.rest.issues.get(OWNER, REPO, payload["issue"]["number"]).parsed_data.title)
        return deliver(item, payload)

    fake_github.on_redeliver = redeliver
    answer = app.rest.apps.redeliver_webhook_delivery(lost)
    newest = app.rest.apps.list_webhook_deliveries(per_page=1).parsed_data[0]

    assert answer.status_code == 202 and answer.json() == {}
    assert seen_by_callback == ["Add login"]
    [(headers, body)] = receiver.received
    assert headers["x-github-delivery"] == "g-lost" and headers["x-github-event"] == "issues"
    assert headers["x-hub-signature-256"] == "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert (newest.guid, newest.redelivery, newest.status_code, newest.status) == ("g-lost", True, 202, "OK")
    [request] = fake_github.redelivery_requests()
    assert (request.delivery_id, request.guid, request.attempt_id) == (lost, "g-lost", newest.id)
    assert [(v.guid, v.redelivery, v.status_code) for v in fake_github.deliveries()] == [
        ("g-lost", False, 0), ("g-lost", True, 202)]
    assert status_of(lambda: app.rest.apps.redeliver_webhook_delivery(999_999)) == 404
    assert len(fake_github.redelivery_requests()) == 1


def test_redeliveries_that_fail_are_logged_as_failed_attempts(
    fake_github: FakeGitHub, app_key: AppKey, receiver: Receiver
) -> None:
    app = app_client(fake_github, app_key)
    first = fake_github.log_delivery("issues", "labeled", labelled(fake_github), status_code=0)
    aged = fake_github.log_delivery("issues", "labeled", labelled(fake_github), status_code=0,
                                    delivered_at=now() - timedelta(days=4))

    app.rest.apps.redeliver_webhook_delivery(first)  # nobody is listening
    receiver.status = 503
    fake_github.on_redeliver = post_to(receiver)
    app.rest.apps.redeliver_webhook_delivery(first)

    def times_out(item: DeliveryView, payload: dict[str, Any]) -> int:
        raise httpx.ReadTimeout("the app took too long")

    fake_github.on_redeliver = times_out
    app.rest.apps.redeliver_webhook_delivery(first)

    attempts = [(v.redelivery, v.status_code, v.status) for v in fake_github.deliveries() if v.id not in (first, aged)]
    assert attempts == [(True, 0, "Couldn't connect to server"), (True, 503, "Invalid HTTP Response: 503"),
                        (True, 0, "Timeout")]
    failures = app.rest.apps.list_webhook_deliveries(status="failure").parsed_data
    assert len(failures) == 5 and all(d.status != "OK" for d in failures)
    assert status_of(lambda: app.rest.apps.redeliver_webhook_delivery(aged)) == 422  # older than three days


def test_a_callback_that_breaks_is_reported_as_the_fakes_error(fake_github: FakeGitHub, app_key: AppKey) -> None:
    app = app_client(fake_github, app_key)
    lost = fake_github.log_delivery("issues", "labeled", labelled(fake_github), status_code=0)

    def broken(item: DeliveryView, payload: dict[str, Any]) -> int:
        return "202"  # type: ignore[return-value]

    fake_github.on_redeliver = broken
    assert status_of(lambda: app.rest.apps.redeliver_webhook_delivery(lost)) == 500

    assert len(fake_github.internal_errors) == 1 and "on_redeliver must return" in fake_github.internal_errors[0]
    fake_github.internal_errors.clear()  # expected here; the fixture fails a test on any other


def test_reset_forgets_the_log_and_the_callback(fake_github: FakeGitHub) -> None:
    fake_github.webhook_secret = SECRET
    fake_github.on_redeliver = lambda item, payload: 202
    fake_github.log_delivery("ping", None, {"zen": "x"})

    fake_github.reset()

    assert (fake_github.deliveries(), fake_github.redelivery_requests()) == ([], [])
    assert fake_github.on_redeliver is None and fake_github.webhook_secret is None
    with pytest.raises(ValueError, match="status_code"):
        fake_github.log_delivery("ping", None, {}, status_code=42)


# -- what a sweep lists -----------------------------------------------------------------------


def test_the_app_lists_its_installations_by_page(fake_github: FakeGitHub, app_key: AppKey) -> None:
    app = app_client(fake_github, app_key)
    second = fake_github.install("octo-user", kind="User")
    third = fake_github.install("globex")

    page = app.rest.apps.list_installations(per_page=2)
    every = list(app.rest.paginate(app.rest.apps.list_installations, per_page=1))

    assert [i.id for i in page.parsed_data] == [INSTALLATION_ID, second]
    assert 'rel="next"' in page.headers["link"]
    assert [(i.id, getattr(i.account, "login", None), i.target_type) for i in every] == [
        (INSTALLATION_ID, OWNER, "Organization"), (second, "octo-user", "User"), (third, "globex", "Organization")]
    assert token_status(fake_github, app_key, "/app/installations") == 401  # JWT only


def test_an_installation_lists_the_repositories_of_its_account(fake_github: FakeGitHub, app_key: AppKey) -> None:
    fake_github.add_repo(OWNER, "gadgets", private=True)
    other = fake_github.install("globex")
    fake_github.add_repo("globex", "rockets")

    gh, their_gh = installation_client(fake_github, app_key), installation_client(fake_github, app_key, other)

    mine = gh.rest.apps.list_repos_accessible_to_installation().parsed_data
    first = gh.rest.apps.list_repos_accessible_to_installation(per_page=1)
    theirs = their_gh.rest.apps.list_repos_accessible_to_installation()

    assert mine.total_count == 2
    assert [(r.full_name, r.private) for r in mine.repositories] == [(f"{OWNER}/{REPO}", False),
                                                                      (f"{OWNER}/gadgets", True)]
    assert first.parsed_data.total_count == 2 and len(first.parsed_data.repositories) == 1
    assert 'rel="next"' in first.headers["link"]
    assert [r.full_name for r in theirs.parsed_data.repositories] == ["globex/rockets"]
    assert token_status(fake_github, app_key, "/installation/repositories") == 200


def test_repository_issues_filter_by_state_and_every_label(fake_github: FakeGitHub, gh: Client) -> None:
    planned = fake_github.add_issue(OWNER, REPO, "Planned", labels=["Plan", "ready"])
    only_plan = fake_github.add_issue(OWNER, REPO, "Only plan", labels=["plan"])
    closed = fake_github.add_issue(OWNER, REPO, "Closed", labels=["plan", "ready"])
    gh.rest.issues.update(OWNER, REPO, closed, state="closed")
    fake_github.push(OWNER, REPO, "001-login", {"plan.md": "# Plan\n"})
    pull = fake_github.add_pull(OWNER, REPO, "001-login", "Plan: login")
    gh.rest.issues.add_labels(OWNER, REPO, pull, labels=["PLAN"])

    answer = gh.rest.issues.list_for_repo(OWNER, REPO)
    open_ones = answer.parsed_data
    both_labels = gh.rest.issues.list_for_repo(OWNER, REPO, labels="plan, READY").parsed_data
    plan_any_state = gh.rest.issues.list_for_repo(OWNER, REPO, labels="plan", state="all").parsed_data
    oldest_first = gh.rest.issues.list_for_repo(OWNER, REPO, direction="asc").parsed_data
    closed_ones = gh.rest.issues.list_for_repo(OWNER, REPO, state="closed").parsed_data

    assert [i.number for i in open_ones] == [pull, only_plan, planned]  # newest first
    assert ["pull_request" in raw for raw in answer.json()] == [True, False, False]
    assert open_ones[0].pull_request and open_ones[0].pull_request.url.endswith(f"/pulls/{pull}")
    assert [i.number for i in both_labels] == [planned]
    assert [i.number for i in plan_any_state] == [pull, closed, only_plan, planned]
    assert [i.number for i in oldest_first] == [planned, only_plan, pull]
    assert [(i.number, i.state) for i in closed_ones] == [(closed, "closed")]
    assert status_of(lambda: gh.rest.issues.list_for_repo(OWNER, REPO, state="bogus")) == 422  # type: ignore[arg-type]
    assert status_of(lambda: gh.rest.issues.list_for_repo(OWNER, REPO, assignee="alice")) == 422
    assert status_of(lambda: gh.rest.issues.list_for_repo(OWNER, "nope")) == 404


def test_repository_issues_paginate(fake_github: FakeGitHub, gh: Client) -> None:
    numbers = [fake_github.add_issue(OWNER, REPO, f"Issue {n}", labels=["plan"]) for n in range(45)]
    fake_github.add_issue(OWNER, REPO, "Unlabelled")

    every = list(gh.rest.paginate(gh.rest.issues.list_for_repo, owner=OWNER, repo=REPO, labels="plan", per_page=10))
    first = gh.rest.issues.list_for_repo(OWNER, REPO, labels="plan", per_page=10)

    assert [i.number for i in every] == numbers[::-1]
    assert len(fake_github.requests("GET", f"/repos/{OWNER}/{REPO}/issues")) == 6
    assert first.raw_response.links["last"]["url"].endswith("page=5")
    assert "labels=plan" in first.raw_response.links["next"]["url"]
