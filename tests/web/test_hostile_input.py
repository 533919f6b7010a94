"""No input gives a 500 or an unhandled exception: hypothesis throws webhook payloads (genuine
ones bent out of shape, and arbitrary JSON), repository configs and spec texts at planbot."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from webhook_client import FIXTURES

from bot.github.repo_config import ConfigSource, RepoConfigError, parse_yaml, validate
from bot.planning.intake import SpecTooLargeError, ThinSpecError, read_spec

EVENTS = {"issues.labeled": "issues", "issues.unlabeled": "issues", "issues.closed": "issues",
          "issue_comment.created": "issue_comment", "installation.created": "installation",
          "pull_request.closed": "pull_request", "pull_request_review.submitted": "pull_request_review"}
GENUINE = {name: json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8")) for name in EVENTS}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**63, 2**63) | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)


@st.composite
def bent_payloads(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """A genuine payload with a few of its fields replaced by anything JSON can hold, or removed."""
    name = draw(st.sampled_from(sorted(EVENTS)))
    data = copy.deepcopy(GENUINE[name])
    for _ in range(draw(st.integers(1, 4))):
        target: Any = data
        path = draw(st.lists(st.sampled_from(["action", "issue", "comment", "sender", "label", "repository",
                                              "installation", "pull_request", "review", "body", "labels", "user",
                                              "login", "type", "number", "id", "owner", "name", "merged"]),
                             min_size=1, max_size=3))
        for key in path[:-1]:
            if isinstance(target, dict) and isinstance(target.get(key), dict):
                target = target[key]
        if isinstance(target, dict):
            if draw(st.booleans()):
                target[path[-1]] = draw(json_values)
            else:
                target.pop(path[-1], None)
    return EVENTS[name], data


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@PROPERTY
@given(bent_payloads())
def test_bent_genuine_payloads_never_give_a_500(post_webhook: Callable[..., Any],
                                                 case: tuple[str, dict[str, Any]]) -> None:
    event, body = case
    assert post_webhook(event, body).status_code < 500


@PROPERTY
@given(st.sampled_from(sorted(set(EVENTS.values()))), json_values)
def test_arbitrary_json_never_gives_a_500(post_webhook: Callable[..., Any], event: str, body: Any) -> None:
    assert post_webhook(event, json.dumps(body).encode()).status_code < 500


config_text = st.one_of(
    st.text(max_size=300),
    st.builds(lambda data: yaml.safe_dump(data), st.dictionaries(
        st.sampled_from(["labels", "voting", "specs_dir", "branch_prefix", "model", "_extends", "other"]),
        json_values, max_size=5)),
)


@settings(max_examples=300, deadline=None)
@given(config_text)
@example("labels:\n? '\n\n'")  # a key that is two newlines: once a two-line error
def test_any_repository_config_is_read_or_refused_with_a_clear_error(text: str) -> None:
    source = ConfigSource(owner="acme", repo="widgets")
    try:
        validate(parse_yaml(text, source), [(source, text, set())])
    except RepoConfigError as exc:
        assert str(exc).startswith("acme/widgets:.github/planbot.yml") and "\n" not in str(exc)


spec_text = st.one_of(
    st.text(max_size=2000),
    st.lists(st.sampled_from(["# Title", "## Requirements", "- The system MUST keep a list.", "### User Story 1 - A (Priority: P1)",
                              "- **FR-001**: System MUST work.", "| a | b |", "```", "[NEEDS CLARIFICATION: what?]",
                              "**Given** x, **When** y, **Then** z", "- **Entity**: a thing", "SC-001: 99.9%"]),
             max_size=30).map("\n".join),
)


@settings(max_examples=300, deadline=None)
@given(spec_text)
def test_any_spec_text_is_read_or_refused_with_a_message(text: str) -> None:
    try:
        spec = read_spec(text)
    except ThinSpecError as exc:
        assert exc.message.strip()
    except SpecTooLargeError:
        pytest.fail("a short text was refused as too large")
    else:
        assert spec.title.strip()
