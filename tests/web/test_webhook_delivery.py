"""Deliveries: routed, enqueued once, ignored when unwanted, refused with a reason when unusable."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator

import pytest
import redis
from fastapi.testclient import TestClient
from httpx import Response
from rq import Queue
from rq.job import Job
from webhook_client import INSTALLATION_ID, load_payload, make_settings, post_to, signed_headers

from bot.jobs import JOB_FUNCTIONS, IssueRef, JobKind, JobRequest
from bot.queue import JOB_TIMEOUT_SECONDS
from bot.settings import Settings
from bot.web import create_app
from bot.web.deliveries import SEEN_KEY_PREFIX
from bot.web.headers import DELIVERY_HEADER, EVENT_HEADER, WEBHOOK_PATH

Post = Callable[..., Response]
ISSUE = IssueRef(installation_id=INSTALLATION_ID, owner="Codertocat", repo="Hello-World", number=1)


def queued_requests(queue: Queue) -> list[JobRequest]:
    return [JobRequest.model_validate(job.args[0]) for job in queue.get_jobs()]


def test_trigger_label_enqueues_one_start_plan_job(post_webhook: Post, queue: Queue) -> None:
    response = post_webhook("issues", load_payload("issues.labeled"), delivery="72d3162e-cc78-11e3-81ab-4c9367dc0958")
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "enqueued"
    assert body["jobs"] == ["start_plan-72d3162e-cc78-11e3-81ab-4c9367dc0958"]

    [job] = queue.get_jobs()
    request = JobRequest.model_validate(job.args[0])
    assert request == JobRequest(
        kind=JobKind.START_PLAN, issue=ISSUE, delivery_id="72d3162e-cc78-11e3-81ab-4c9367dc0958", sender="Codertocat",
        label="needs-plan",
    )
    assert job.id == request.job_id
    assert job.func_name == JOB_FUNCTIONS[JobKind.START_PLAN]
    assert job.timeout == JOB_TIMEOUT_SECONDS[JobKind.START_PLAN]
    assert job.retries_left == 3  # a job failed by a passing cause, or a killed worker, runs again later
    assert job.retry_intervals is not None and job.retry_intervals[0] < job.retry_intervals[1] < job.retry_intervals[2]


def test_redelivery_is_enqueued_once(post_webhook: Post, queue: Queue) -> None:
    first = post_webhook("issues", load_payload("issues.labeled"), delivery="delivery-1")
    again = post_webhook("issues", load_payload("issues.labeled"), delivery="delivery-1")
    assert (first.status_code, first.json()["status"]) == (202, "enqueued")
    assert (again.status_code, again.json()["status"]) == (202, "duplicate")
    assert again.json()["jobs"] == first.json()["jobs"]
    assert len(queue.get_jobs()) == 1


def test_redelivery_after_the_job_finished_and_expired_is_still_a_duplicate(
    post_webhook: Post, queue: Queue, redis_client: redis.Redis
) -> None:
    post_webhook("issues", load_payload("issues.labeled"), delivery="delivery-2")
    [job] = queue.get_jobs()
    queue.remove(job)
    job.delete()
    again = post_webhook("issues", load_payload("issues.labeled"), delivery="delivery-2")
    assert again.json()["status"] == "duplicate"
    assert queue.get_jobs() == []


def test_delivery_is_remembered_as_long_as_github_allows_a_redelivery(
    post_webhook: Post, settings: Settings, redis_client: redis.Redis
) -> None:
    post_webhook("issues", load_payload("issues.labeled"), delivery="delivery-3")
    ttl = redis_client.ttl(SEEN_KEY_PREFIX + "delivery-3")
    assert settings.delivery_ttl_seconds - 5 <= ttl <= settings.delivery_ttl_seconds


def test_job_already_enqueued_makes_a_duplicate_even_without_the_seen_key(
    post_webhook: Post, queue: Queue, redis_client: redis.Redis
) -> None:
    """The seen-key write failed after the enqueue: the redelivery finds the job and marks it seen."""
    post_webhook("issues", load_payload("issues.labeled"), delivery="delivery-4")
    redis_client.delete(SEEN_KEY_PREFIX + "delivery-4")
    again = post_webhook("issues", load_payload("issues.labeled"), delivery="delivery-4")
    assert again.json()["status"] == "duplicate"
    assert len(queue.get_jobs()) == 1
    assert redis_client.exists(SEEN_KEY_PREFIX + "delivery-4")


def test_distinct_deliveries_make_distinct_jobs(post_webhook: Post, queue: Queue) -> None:
    post_webhook("issues", load_payload("issues.labeled"), delivery="delivery-5")
    post_webhook("issues", load_payload("issues.labeled"), delivery="delivery-6")
    assert sorted(r.delivery_id for r in queued_requests(queue)) == ["delivery-5", "delivery-6"]


@pytest.mark.parametrize(
    ("event", "payload_name", "change"),
    [
        ("ping", "ping", None),
        ("issues", "issues.labeled", {"action": "opened"}),
        (
            "issue_comment",
            "issue_comment.created",
            {"comment": {"id": 1, "body": "LGTM", "user": {"login": "octocat"}}},
        ),
        ("issue_comment", "issue_comment.created", {"action": "edited"}),
        ("installation", "installation.created", None),
        ("push", "ping", None),
    ],
    ids=["ping", "issues.opened", "plain-comment", "comment-edited", "installation", "push"],
)
def test_unwanted_delivery_is_acknowledged_without_any_redis_write(
    post_webhook: Post,
    redis_client: redis.Redis,
    event: str,
    payload_name: str,
    change: dict | None,  # type: ignore[type-arg]
) -> None:
    payload = load_payload(payload_name) | (change or {})
    response = post_webhook(event, payload)
    assert response.status_code == 202
    assert response.json()["status"] == "ignored"
    assert redis_client.dbsize() == 0


def test_bot_sender_is_ignored(post_webhook: Post, redis_client: redis.Redis) -> None:
    payload = load_payload("issues.labeled") | {"sender": {"login": "planbot[bot]", "type": "Bot"}}
    response = post_webhook("issues", payload)
    assert (response.status_code, response.json()["status"]) == (202, "ignored")
    assert redis_client.dbsize() == 0


@pytest.mark.parametrize("name", ["issues.unlabeled", "issues.closed"])
def test_unlabel_and_close_enqueue_a_cancel(post_webhook: Post, queue: Queue, name: str) -> None:
    response = post_webhook("issues", load_payload(name))
    assert response.json()["status"] == "enqueued"
    [request] = queued_requests(queue)
    assert (request.kind, request.issue) == (JobKind.CANCEL_PLAN, ISSUE)


def test_plan_status_comment_enqueues_a_command(post_webhook: Post, queue: Queue) -> None:
    payload = load_payload("issue_comment.created")
    response = post_webhook("issue_comment", payload)
    assert response.json()["status"] == "enqueued"
    [request] = queued_requests(queue)
    assert (request.kind, request.command, request.comment_id) == (
        JobKind.COMMAND,
        "/plan status",
        payload["comment"]["id"],
    )
    assert request.issue == ISSUE


def test_lenient_payloads_are_accepted(post_webhook: Post, queue: Queue) -> None:
    installation = post_webhook("installation", load_payload("installation.created"))  # no app_slug
    labeled = post_webhook("issues", load_payload("issues.labeled"))  # labels without archived_at
    assert (installation.status_code, installation.json()["status"]) == (202, "ignored")
    assert (labeled.status_code, labeled.json()["status"]) == (202, "enqueued")


@pytest.mark.parametrize(
    "body",
    [b"{not json", b'{"action": "labeled", ', b"", b"\xff\xfe", b"[]", b'"labeled"', b'{"action": 12}'],
    ids=["broken", "truncated", "empty", "not-utf8", "array", "string", "action-not-text"],
)
def test_unparseable_payload_is_a_400(post_webhook: Post, redis_client: redis.Redis, body: bytes) -> None:
    response = post_webhook("issues", body)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("unusable payload: ")
    assert redis_client.dbsize() == 0


def test_payload_missing_issue_number_is_a_400(post_webhook: Post, redis_client: redis.Redis) -> None:
    payload = load_payload("issues.labeled")
    del payload["issue"]["number"]
    response = post_webhook("issues", payload)
    assert response.status_code == 400
    assert response.json()["detail"] == "unusable payload: issue.number: Field required"
    assert redis_client.dbsize() == 0


def test_payload_with_wrong_types_is_a_400(post_webhook: Post) -> None:
    payload = load_payload("issue_comment.created")
    payload["comment"]["id"] = "not a number"
    response = post_webhook("issue_comment", payload)
    assert response.status_code == 400
    assert "comment.id" in response.json()["detail"]


@pytest.mark.parametrize(
    ("header", "value"),
    [
        (EVENT_HEADER, None),
        (EVENT_HEADER, "Issues Event"),
        (DELIVERY_HEADER, None),
        (DELIVERY_HEADER, "a:b"),
        (DELIVERY_HEADER, "x" * 101),
    ],
    ids=["no-event", "bad-event", "no-delivery", "delivery-colon", "delivery-too-long"],
)
def test_missing_or_bad_headers_are_a_400(
    client: TestClient, redis_client: redis.Redis, header: str, value: str | None
) -> None:
    body = json.dumps(load_payload("issues.labeled")).encode()
    headers = signed_headers(body, "issues")
    if value is None:
        del headers[header]
    else:
        headers[header] = value
    response = client.post(WEBHOOK_PATH, content=body, headers=headers)
    assert response.status_code == 400
    assert header in response.json()["detail"]
    assert redis_client.dbsize() == 0


def test_declared_size_over_the_limit_is_a_413(
    client: TestClient, settings: Settings, redis_client: redis.Redis
) -> None:
    body = b"{}"
    headers = signed_headers(body, "issues") | {"Content-Length": str(settings.max_payload_bytes + 1)}
    response = client.post(WEBHOOK_PATH, content=body, headers=headers)
    assert response.status_code == 413
    assert redis_client.dbsize() == 0


def test_actual_size_over_the_limit_is_a_413(client: TestClient, settings: Settings, redis_client: redis.Redis) -> None:
    """A chunked body declares no size: the limit applies to the bytes as they arrive."""
    chunk = b" " * 4096
    count = settings.max_payload_bytes // len(chunk) + 2

    def chunks() -> Iterator[bytes]:
        yield from (chunk for _ in range(count))

    headers = signed_headers(b"", "issues")
    response = client.post(WEBHOOK_PATH, content=chunks(), headers=headers)
    assert response.status_code == 413
    assert "limit" in response.json()["detail"]
    assert redis_client.dbsize() == 0


def test_payload_at_the_limit_is_read(post_webhook: Post, settings: Settings) -> None:
    payload = load_payload("issues.labeled")
    body = json.dumps(payload).encode()
    padded = body[:-1] + b" " * (settings.max_payload_bytes - len(body)) + b"}"
    assert len(padded) == settings.max_payload_bytes
    assert post_webhook("issues", padded).json()["status"] == "enqueued"


def _unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def app_without_redis(private_key_pem: str) -> Iterator[TestClient]:
    settings = make_settings(f"redis://127.0.0.1:{_unused_port()}/0", private_key_pem)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def test_redis_down_is_a_503_and_the_redelivery_then_goes_through(
    app_without_redis: TestClient, client: TestClient, queue: Queue
) -> None:
    down = post_to(app_without_redis, "issues", load_payload("issues.labeled"), delivery="delivery-7")
    assert down.status_code == 503
    assert "redeliver" in down.json()["detail"]
    back = post_to(client, "issues", load_payload("issues.labeled"), delivery="delivery-7")
    assert back.json()["status"] == "enqueued"  # not marked seen by the failed attempt
    assert len(queue.get_jobs()) == 1


def test_redis_down_does_not_matter_to_unwanted_deliveries(app_without_redis: TestClient) -> None:
    response = post_to(app_without_redis, "ping", load_payload("ping"))
    assert (response.status_code, response.json()["status"]) == (202, "ignored")


def test_health_and_readiness(client: TestClient, app_without_redis: TestClient, worker_heartbeat: object) -> None:
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").json() == {"status": "ready"}
    assert app_without_redis.get("/healthz").status_code == 200
    not_ready = app_without_redis.get("/readyz")
    assert not_ready.status_code == 503
    assert not_ready.json()["status"] == "unavailable"


def test_wrong_method_and_path_are_not_deliveries(client: TestClient) -> None:
    assert client.get(WEBHOOK_PATH).status_code == 405
    assert client.post("/", content=b"{}").status_code == 404


def test_job_in_the_queue_is_loadable_by_id(post_webhook: Post, redis_client: redis.Redis) -> None:
    response = post_webhook("issues", load_payload("issues.labeled"), delivery="delivery-8")
    [job_id] = response.json()["jobs"]
    job = Job.fetch(job_id, connection=redis_client)
    assert job.get_status() == "queued"
