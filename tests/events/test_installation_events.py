"""Installation events are logged and queue nothing."""

from __future__ import annotations

import logging

import pytest
from event_payloads import make_settings, payload_dict, parsed

from bot.events import router


def test_installation_created_is_logged_only(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="bot.events.installations"):
        jobs = router.dispatch(
            "installation", parsed("installation", payload_dict("installation.created")), "i-1", make_settings()
        )
    assert jobs == []
    [record] = [r for r in caplog.records if r.name == "bot.events.installations"]
    assert record.getMessage() == "installation created"
    assert record.planbot_fields["installation_id"] == 957387  # type: ignore[attr-defined]


def test_installation_repositories_are_logged_only(caplog: pytest.LogCaptureFixture) -> None:
    data = payload_dict("installation.created")
    data["action"] = "added"
    with caplog.at_level(logging.INFO, logger="bot.events.installations"):
        jobs = router.dispatch(
            "installation_repositories", parsed("installation_repositories", data), "i-2", make_settings()
        )
    assert jobs == []
    assert [r.getMessage() for r in caplog.records if r.name == "bot.events.installations"] == ["installation added"]
