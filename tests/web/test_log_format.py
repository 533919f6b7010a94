"""Logs are JSON lines with the bound context, and never carry a secret."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from webhook_client import SECRET, load_payload, post_to, signed_headers

from bot.logs import REDACTED, Redactor, bind, bound, configure_logging, fields
from bot.web.headers import SIGNATURE_HEADER, WEBHOOK_PATH

Lines = Callable[[], list[dict[str, object]]]


@pytest.fixture
def log_lines() -> Iterator[Lines]:
    stream = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = configure_logging("INFO", secrets=[SECRET], stream=stream)

    def lines() -> list[dict[str, object]]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield lines
    root.removeHandler(handler)
    root.setLevel(level)


def test_lines_are_json_with_bound_and_per_line_fields(log_lines: Lines) -> None:
    log = logging.getLogger("planbot.test")
    with bind(delivery_id="d-1", repository="octo/hello"):
        with bind(issue=7, job_id=None):
            log.info("hello %s", "world", extra=fields(jobs=["start_plan-d-1"]))
        log.warning("after")
    log.info("outside")
    first, second, third = log_lines()
    assert first["message"] == "hello world"
    assert (first["delivery_id"], first["repository"], first["issue"], first["jobs"]) == (
        "d-1",
        "octo/hello",
        7,
        ["start_plan-d-1"],
    )
    assert "job_id" not in first  # None values are left out
    assert (first["level"], first["logger"]) == ("info", "planbot.test")
    assert second["level"] == "warning" and "issue" not in second
    assert "delivery_id" not in third
    assert bound() == {}


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("token ghs_16C7e42F292c6912E7710c838347Ae178B4a used", "ghs_16C7e42F292c6912E7710c838347Ae178B4a"),
        ("pat github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "github_pat_11ABCDEFG0123456789"),
        ("Authorization: Bearer abc.def.ghi-secret-value", "abc.def.ghi-secret-value"),
        ("headers {'authorization': 'token 0123456789abcdef0123'}", "0123456789abcdef0123"),
        ("jwt eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjF9.c2lnbmF0dXJl here", "eyJhbGciOiJSUzI1NiJ9"),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----", "MIIEow"),
        ("client_secret=s3cr3t-value&x=1", "s3cr3t-value"),
        (f"the secret is {SECRET}!", SECRET),
    ],
)
def test_credentials_are_redacted(text: str, hidden: str) -> None:
    redacted = Redactor([SECRET]).redact(text)
    assert hidden not in redacted
    assert REDACTED in redacted


def test_ordinary_text_is_left_alone() -> None:
    text = "WEBHOOK_SECRET is not set; delivery 72d3162e for Codertocat/Hello-World#1 enqueued"
    assert Redactor([SECRET]).redact(text) == text


def test_secrets_in_arguments_fields_context_and_exceptions_are_redacted(log_lines: Lines) -> None:
    log = logging.getLogger("planbot.test")
    with bind(job_id="j-1", note=f"secret={SECRET}"):
        log.info(
            "sending %s", {"Authorization": "Bearer ghs_16C7e42F292c6912E7710c838347Ae178B4a"}, extra=fields(key=SECRET)
        )
        try:
            raise RuntimeError(f"failed with {SECRET}")
        except RuntimeError:
            log.exception("boom")
    output = json.dumps(log_lines())
    assert SECRET not in output
    assert "ghs_16C7e42F292c6912E7710c838347Ae178B4a" not in output
    assert output.count(REDACTED) >= 4
    assert "RuntimeError" in output


def test_configuring_again_replaces_the_handler(log_lines: Lines) -> None:
    stream = io.StringIO()
    handler = configure_logging("WARNING", stream=stream)
    try:
        ours = [h for h in logging.getLogger().handlers if type(h) is type(handler)]
        assert ours == [handler]
        logging.getLogger("planbot.test").info("dropped")
        logging.getLogger("planbot.test").warning("kept")
        assert [json.loads(line)["message"] for line in stream.getvalue().splitlines()] == ["kept"]
    finally:
        logging.getLogger().removeHandler(handler)


def test_unknown_level_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown log level 'verbose'"):
        configure_logging("verbose", stream=io.StringIO())


def test_delivery_logs_carry_the_delivery_and_no_secret(log_lines: Lines, client: TestClient) -> None:
    response = post_to(
        client, "issues", load_payload("issues.labeled"), delivery="0b989ba4-242f-11e5-81e1-c7b6966d2516"
    )
    assert response.status_code == 202
    headers = signed_headers(b"{}", "issues", delivery="bad-sig-1") | {SIGNATURE_HEADER: f"sha256={SECRET}"}
    refused = client.post(WEBHOOK_PATH, content=b"{}", headers=headers)
    assert refused.status_code == 401
    lines = log_lines()
    [enqueued] = [line for line in lines if line.get("message") == "delivery enqueued"]
    assert enqueued["delivery_id"] == "0b989ba4-242f-11e5-81e1-c7b6966d2516"
    assert (enqueued["installation_id"], enqueued["repository"], enqueued["issue"]) == (
        957387,
        "Codertocat/Hello-World",
        1,
    )
    assert enqueued["event"] == "issues" and enqueued["action"] == "labeled"
    assert enqueued["jobs"] == ["start_plan-0b989ba4-242f-11e5-81e1-c7b6966d2516"]
    [rejected] = [line for line in lines if str(line.get("message", "")).startswith("delivery refused")]
    assert (rejected["delivery_id"], rejected["status"]) == ("bad-sig-1", 401)
    assert SECRET not in json.dumps(lines)
