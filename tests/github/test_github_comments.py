"""planbot's own comments: markers, trust, edit-in-place, exactly-once creation, safe text."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import redis

from bot.github.client import AppIdentity, GitHubApp, Installation
from bot.github.comments import (
    MAX_BODY_CHARS,
    Comment,
    Marker,
    MarkerError,
    ReactionCounts,
    compose_body,
    find_own_comments,
    marked_data,
    neutralise_mentions,
    neutralise_untrusted,
    parse_markers,
    poll_comments,
    upsert_comment,
)
from bot.jobs import IssueRef
from bot.settings import Settings
from tests.fakegithub import FakeGitHub
from tests.fakegithub.fixtures import APP_ID, OWNER, REPO
from tests.github.support import FAST_RETRY

COMMENTS = rf"/repos/{OWNER}/{REPO}/issues/\d+/comments"
STATUS = Marker(kind="status")
APP = AppIdentity(id=APP_ID, slug="planbot", name="Planbot", html_url="https://github.com/apps/planbot")


def comment(author: str, author_type: str, app_id: int | None, body: str = "x") -> Comment:
    stamp = datetime(2024, 1, 1, tzinfo=UTC)
    return Comment(id=1, body=body, html_url="https://github.com/o/r/issues/1#issuecomment-1", author=author,
                   author_type=author_type, app_id=app_id, created_at=stamp, updated_at=stamp,
                   reactions=ReactionCounts())


# -- markers and text ---------------------------------------------------------------------


def test_markers_render_and_parse_back() -> None:
    markers = [STATUS, Marker(kind="td", key="TD001"),
               Marker(kind="state", data={"phase": "voting", "note": "a --> b <!-- c", "n": [1, 2]})]
    body = compose_body("Visible text\n", markers)

    assert body.startswith("Visible text\n\n<!-- planbot:status -->\n<!-- planbot:td TD001 -->\n")
    assert body.count("-->") == 3  # the data cannot close its comment early
    assert parse_markers(body) == markers


def test_only_trailing_markers_count() -> None:
    body = "quoted: <!-- planbot:status -->\nmore text\n\n<!-- planbot:td TD002 -->\n"
    assert parse_markers(body) == [Marker(kind="td", key="TD002")]
    assert parse_markers("no markers here") == []
    assert parse_markers("text\n<!-- planbot:state [1, 2] -->") == []  # data must be an object


def test_mentions_never_ping() -> None:
    text = "cc @alice and @acme/architects, mail bob@example.com, (@carol) `@dave`"
    safe = neutralise_mentions(text)

    assert "@alice" not in safe and "@acme/architects" not in safe and "@carol" not in safe
    assert "bob@example.com" in safe  # not a mention
    assert safe.replace("\u200b", "") == text


def test_no_body_planbot_composes_pings_anyone() -> None:
    body = compose_body("a decision card a model wrote: ask @alice and @acme/architects", [Marker(kind="td", key="TD001")])
    assert "@alice" not in body and "@acme/architects" not in body
    assert parse_markers(body) == [Marker(kind="td", key="TD001")]
    assert compose_body(body.rsplit("\n\n", 1)[0], []) == body.rsplit("\n\n", 1)[0]  # neutralising twice changes nothing


def test_untrusted_text_cannot_hide_anything_or_forge_markers() -> None:
    forged = "ok\n<!-- planbot:status -->"
    safe = neutralise_untrusted(forged)
    assert "<!--" not in safe and parse_markers(safe) == []
    assert parse_markers(compose_body(safe, [])) == []


def test_long_bodies_are_cut_but_markers_are_kept() -> None:
    text = "\n".join(f"line {i} " + "x" * 80 for i in range(2000))
    marker = Marker(kind="state", data={"big": "y" * 1000})

    body = compose_body(text, [marker])

    assert len(body) <= MAX_BODY_CHARS
    assert parse_markers(body) == [marker]
    assert "\n\n…\n\n<!-- planbot:state" in body
    with pytest.raises(MarkerError):
        compose_body("x", [Marker(kind="state", data={"huge": "z" * MAX_BODY_CHARS})])


def test_who_wrote_a_comment() -> None:
    assert comment("planbot[bot]", "Bot", APP_ID).written_by(APP)
    assert comment("planbot[bot]", "Bot", None).written_by(APP)
    assert not comment("planbot[bot]", "Bot", 999).written_by(APP)  # another app's hand
    assert not comment("planbot", "User", None).written_by(APP)
    assert not comment("other[bot]", "Bot", 5).written_by(APP)
    assert comment("mallory", "User", None, "x\n<!-- planbot:status -->").trusted_markers(APP) == []


# -- against the fake ---------------------------------------------------------------------


def test_find_own_comments_trusts_only_the_apps_markers(
    fake_github: FakeGitHub, inst: Installation, issue: IssueRef
) -> None:
    fake_github.add_comment(OWNER, REPO, issue.number, "forged\n<!-- planbot:status -->", author="mallory")
    fake_github.add_comment(OWNER, REPO, issue.number, "bot\n<!-- planbot:status -->", author="other[bot]",
                            author_type="Bot")
    own = fake_github.add_comment(OWNER, REPO, issue.number, "mine\n\n<!-- planbot:td TD001 -->", as_app=True)

    found = find_own_comments(inst, issue)

    assert [c.id for c in found] == [own]
    assert found[0].markers == [Marker(kind="td", key="TD001")]


def test_upsert_creates_once_then_edits_in_place(fake_github: FakeGitHub, inst: Installation, issue: IssueRef) -> None:
    fake_github.add_comment(OWNER, REPO, issue.number, "forged\n<!-- planbot:status -->", author="mallory")

    first = upsert_comment(inst, issue, STATUS, "Planning: intake")
    same = upsert_comment(inst, issue, STATUS, "Planning: intake")
    edited = upsert_comment(inst, issue, STATUS, "Planning: analysis",
                            extra_markers=[Marker(kind="state", data={"phase": "analysis"})])

    comments = fake_github.comments(OWNER, REPO, issue.number)
    assert [c.author for c in comments] == ["mallory", "planbot[bot]"]
    assert comments[0].body == "forged\n<!-- planbot:status -->"  # never touched
    assert first.id == same.id == edited.id == comments[1].id
    assert comments[1].body.startswith("Planning: analysis\n\n<!-- planbot:status -->")
    assert [(r.method, r.status) for r in fake_github.writes()] == [("POST", 201), ("PATCH", 200)]
    assert marked_data(find_own_comments(inst, issue), Marker(kind="state")) == {"phase": "analysis"}


def test_upsert_with_known_comments_saves_the_listing(
    fake_github: FakeGitHub, inst: Installation, issue: IssueRef
) -> None:
    upsert_comment(inst, issue, STATUS, "one")
    known = find_own_comments(inst, issue)
    fake_github.clear_requests()

    upsert_comment(inst, issue, STATUS, "one", known=known)

    assert fake_github.requests() == []


def test_a_lost_answer_never_makes_a_second_comment(
    fake_github: FakeGitHub, inst: Installation, issue: IssueRef
) -> None:
    fake_github.fail(COMMENTS, "POST", status=502, after=True)

    made = upsert_comment(inst, issue, Marker(kind="td", key="TD003"), "Decision TD003")

    comments = fake_github.comments(OWNER, REPO, issue.number)
    assert [c.id for c in comments] == [made.id]
    assert len(fake_github.requests("POST", COMMENTS)) == 1


def test_a_timed_out_create_is_found_not_repeated(
    fake_github: FakeGitHub, inst: Installation, issue: IssueRef, settings: Settings, redis_client: redis.Redis
) -> None:
    slow_inst = GitHubApp(settings, redis_client, retry=FAST_RETRY, timeout=0.3).installation(inst.id)
    slow_inst.gh.rest.repos.get(OWNER, REPO)  # the token first, so only the comment is slow
    fake_github.slow(COMMENTS, "POST", seconds=0.8)

    made = upsert_comment(slow_inst, issue, STATUS, "status")

    assert [c.id for c in fake_github.comments(OWNER, REPO, issue.number)] == [made.id]


def test_a_failed_create_is_made_on_the_next_try(fake_github: FakeGitHub, inst: Installation, issue: IssueRef) -> None:
    fake_github.fail(COMMENTS, "POST", status=502)

    upsert_comment(inst, issue, STATUS, "status")

    assert len(fake_github.comments(OWNER, REPO, issue.number)) == 1
    assert [r.status for r in fake_github.requests("POST", COMMENTS)] == [502, 201]


def test_polling_comments_uses_etags(fake_github: FakeGitHub, inst: Installation, issue: IssueRef) -> None:
    td = fake_github.add_comment(OWNER, REPO, issue.number, "TD001\n\n<!-- planbot:td TD001 -->", as_app=True)

    first = poll_comments(inst, issue)
    second = poll_comments(inst, issue, first)
    fake_github.add_reaction(OWNER, REPO, "rocket", user="alice", comment=td)
    third = poll_comments(inst, issue, second)

    assert second.comments == first.comments
    assert third.comments[0].reactions.rocket == 1 and third.comments[0].reactions.count("rocket") == 1
    statuses = [r.status for r in fake_github.requests("GET", COMMENTS)]
    assert statuses == [200, 304, 200]


def test_polling_notices_a_new_page_behind_an_unchanged_full_one(
    fake_github: FakeGitHub, inst: Installation, issue: IssueRef
) -> None:
    for index in range(100):
        fake_github.add_comment(OWNER, REPO, issue.number, f"c{index}")
    first = poll_comments(inst, issue)
    fake_github.add_comment(OWNER, REPO, issue.number, "c100")

    second = poll_comments(inst, issue, first)

    assert len(first.comments) == 100 and len(second.comments) == 101
    assert second.comments[-1].body == "c100"


def test_bodies_over_the_limit_are_accepted_by_github_once_cut(
    fake_github: FakeGitHub, inst: Installation, issue: IssueRef
) -> None:
    text = "\n".join("y" * 99 for _ in range(1000))  # ~100,000 characters
    made = upsert_comment(inst, issue, STATUS, text)
    assert len(made.body) <= MAX_BODY_CHARS and made.markers == [STATUS]


def test_a_comment_deleted_since_it_was_listed_is_made_again(
    fake_github: FakeGitHub, inst: Installation, issue: IssueRef
) -> None:
    upsert_comment(inst, issue, STATUS, "one")
    known = find_own_comments(inst, issue)
    inst.gh.rest.issues.delete_comment(OWNER, REPO, known[0].id)

    made = upsert_comment(inst, issue, STATUS, "two", known=known)

    assert [c.id for c in fake_github.comments(OWNER, REPO, issue.number)] == [made.id]
    assert made.id != known[0].id
