"""Payload models read genuine deliveries leniently and name what a route is missing."""

from __future__ import annotations

import json

import pytest
from event_payloads import payload_dict, raw_payload

from bot.events.models import (
    Account,
    InstallationEvent,
    IssueCommentEvent,
    IssuesEvent,
    PayloadError,
    parse_envelope,
    parse_event,
)
from bot.jobs import IssueRef


def test_labeled_delivery_without_archived_label_fields_is_read() -> None:
    raw = raw_payload("issues.labeled")
    assert b"archived_at" not in raw
    payload = parse_event("issues", raw)
    assert isinstance(payload, IssuesEvent)
    assert payload.label is not None and payload.label.name == "needs-plan"
    assert [label.name for label in payload.issue.labels] == ["bug", "needs-plan"]
    assert payload.issue_ref() == IssueRef(installation_id=957387, owner="Codertocat", repo="Hello-World", number=1)
    assert payload.repository.full_name == "Codertocat/Hello-World"


def test_installation_without_app_slug_is_read() -> None:
    data = payload_dict("installation.created")
    assert "app_slug" not in data["installation"]
    payload = parse_event("installation", raw_payload("installation.created"))
    assert isinstance(payload, InstallationEvent)
    assert payload.installation.id == 957387
    assert payload.action == "created"


def test_comment_without_reactions_or_app_is_read() -> None:
    data = payload_dict("issue_comment.created")
    del data["comment"]["reactions"]
    data["comment"].pop("performed_via_github_app", None)
    payload = parse_event("issue_comment", json.dumps(data).encode())
    assert isinstance(payload, IssueCommentEvent)
    assert payload.comment.body == "/plan status"
    assert payload.comment.performed_via_github_app is None
    assert not payload.comment.is_automated


def test_unknown_fields_anywhere_are_ignored() -> None:
    data = payload_dict("issues.labeled")
    data["brand_new_top_level"] = {"x": 1}
    data["issue"]["labels"][0]["archived_at"] = None
    data["issue"]["sub_issues_summary"] = {"total": 0}
    payload = parse_event("issues", json.dumps(data).encode())
    assert isinstance(payload, IssuesEvent)


def test_missing_issue_number_names_the_field() -> None:
    data = payload_dict("issues.labeled")
    del data["issue"]["number"]
    with pytest.raises(PayloadError, match=r"^issue\.number: Field required"):
        parse_event("issues", json.dumps(data).encode())


def test_missing_installation_is_refused_for_issue_events() -> None:
    data = payload_dict("issues.labeled")
    del data["installation"]
    with pytest.raises(PayloadError, match=r"^installation: Field required"):
        parse_event("issues", json.dumps(data).encode())


def test_malformed_json_is_named() -> None:
    with pytest.raises(PayloadError, match=r"^malformed JSON"):
        parse_envelope(b'{"action": "labeled"')


def test_json_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(PayloadError):
        parse_envelope(b"[1, 2, 3]")


def test_envelope_reads_only_the_action() -> None:
    assert parse_envelope(raw_payload("issues.unlabeled")).action == "unlabeled"
    assert parse_envelope(raw_payload("ping")).action is None


def test_event_without_a_model_is_refused() -> None:
    with pytest.raises(PayloadError, match="no payload model for event 'push'"):
        parse_event("push", b"{}")


@pytest.mark.parametrize(
    ("login", "kind", "is_bot"),
    [
        ("octocat", "User", False),
        ("planbot[bot]", "Bot", True),
        ("dependabot[bot]", "User", True),  # the login alone marks it
        ("ci-helper", "Bot", True),
        ("Octo-Org", "Organization", False),
    ],
)
def test_bots_are_recognised_by_type_or_login(login: str, kind: str, is_bot: bool) -> None:
    assert Account(login=login, type=kind).is_bot is is_bot
