"""planbot's own issue comments: hidden markers, finding them, editing them in place.

A comment planbot owns ends with one or more marker lines:

    <!-- planbot:status -->
    <!-- planbot:td TD001 -->
    <!-- planbot:state {"phase": "voting"} -->

(kind, an optional key, optional JSON data). A marker is trusted only in a comment the app wrote
itself (a `Bot` user named `<slug>[bot]`, and, when GitHub says which app performed it, this
app), and only at the end of the body, so text quoted from people can never forge one. Text from
people goes through `neutralise_untrusted` before it is put in a comment: no `@mention` pings and
no hidden HTML comments.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from githubkit.exception import RequestFailed
from pydantic import BaseModel, ConfigDict, Field

from bot.github.client import AppIdentity, Installation
from bot.github.retry import create_once
from bot.jobs import IssueRef

MAX_BODY_CHARS = 65_535  # GitHub refuses bodies of 65,536 characters or more
COMMENTS_PER_PAGE = 100
ELLIPSIS = "…"

KIND = r"[a-z][a-z0-9_-]*"
KEY = r"[A-Za-z0-9._/-]+"
MARKER_LINE = re.compile(rf"^<!-- planbot:(?P<kind>{KIND})(?: (?P<key>{KEY}))?(?: (?P<data>\{{.*\}}))? -->$")
# a GitHub login or team after @, where GitHub would turn it into a mention (not in e-mail addresses)
MENTION = re.compile(r"(?<![A-Za-z0-9_`])@(?=[A-Za-z0-9][A-Za-z0-9-]*)")
ZERO_WIDTH_SPACE = "\u200b"


class MarkerError(ValueError):
    """A marker or body planbot was asked to write cannot be written."""


class Marker(BaseModel):
    """A hidden marker: `kind` and `key` say which comment it is; `data` is hidden state."""

    model_config = ConfigDict(frozen=True)

    kind: str = Field(pattern=rf"^{KIND}$")
    key: str | None = Field(default=None, pattern=rf"^{KEY}$")
    data: dict[str, Any] | None = None

    def same_comment(self, other: Marker) -> bool:
        return self.kind == other.kind and self.key == other.key

    def render(self) -> str:
        parts = [f"planbot:{self.kind}"]
        if self.key is not None:
            parts.append(self.key)
        if self.data is not None:
            # `<` and `>` escaped so the data can never close the HTML comment early
            text = json.dumps(self.data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
            parts.append(text.replace("<", "\\u003c").replace(">", "\\u003e"))
        return f"<!-- {' '.join(parts)} -->"


def parse_markers(body: str) -> list[Marker]:
    """The markers on the trailing lines of a body, in order (not a word about who wrote it)."""
    lines = body.rstrip().split("\n")
    found: list[Marker] = []
    while lines:
        line = lines[-1].strip()
        match = MARKER_LINE.match(line)
        if match is None:
            break
        data: dict[str, Any] | None = None
        if match["data"] is not None:
            try:
                loaded = json.loads(match["data"])
            except ValueError:
                break
            if not isinstance(loaded, dict):
                break
            data = loaded
        found.append(Marker(kind=match["kind"], key=match["key"], data=data))
        lines.pop()
    found.reverse()
    return found


def neutralise_mentions(text: str) -> str:
    """`@name` becomes `@<zero-width space>name`: it reads the same and pings nobody."""
    return MENTION.sub("@" + ZERO_WIDTH_SPACE, text)


def neutralise_untrusted(text: str) -> str:
    """Text from people or models made safe for a comment: no mentions that ping, and no HTML
    comments (which could hide text or imitate a marker): `<!--` shows as written."""
    return neutralise_mentions(text.replace("<!--", "&lt;!--"))


def compose_body(text: str, markers: Sequence[Marker], limit: int = MAX_BODY_CHARS) -> str:
    """The visible text, its `@mentions` neutralised, followed by the marker lines, within GitHub's
    size limit.

    Text that does not fit is cut at a line break and ends with an ellipsis; the markers are never
    cut (hidden state that does not fit raises `MarkerError`).
    """
    hidden = "\n".join(marker.render() for marker in markers)
    suffix = f"\n\n{hidden}" if hidden else ""
    visible = neutralise_mentions(text).rstrip()  # whatever a caller forgot: planbot never pings anyone
    if len(visible) + len(suffix) <= limit:
        return visible + suffix
    room = limit - len(suffix) - len(ELLIPSIS) - 2
    if room <= 0:
        raise MarkerError(f"the hidden markers alone take {len(hidden)} characters, over GitHub's limit")
    cut = visible[:room]
    if "\n" in cut:
        cut = cut[: cut.rindex("\n")]
    return f"{cut.rstrip()}\n\n{ELLIPSIS}{suffix}"


class ReactionCounts(BaseModel):
    plus_one: int = 0
    minus_one: int = 0
    laugh: int = 0
    confused: int = 0
    heart: int = 0
    hooray: int = 0
    rocket: int = 0
    eyes: int = 0
    total_count: int = 0

    def count(self, content: str) -> int:
        field = {"+1": "plus_one", "-1": "minus_one"}.get(content, content)
        return int(getattr(self, field))


class Comment(BaseModel):
    """An issue comment as planbot needs it."""

    id: int
    body: str
    html_url: str
    author: str | None
    author_type: str | None
    app_id: int | None  # the app that performed it, when GitHub says so
    created_at: datetime
    updated_at: datetime
    reactions: ReactionCounts

    def written_by(self, app: AppIdentity) -> bool:
        """Did this app write it? Its bot user, and no other app's hand."""
        if self.author_type != "Bot" or (self.author or "").lower() != app.bot_login.lower():
            return False
        return self.app_id is None or self.app_id == app.id

    def trusted_markers(self, app: AppIdentity) -> list[Marker]:
        return parse_markers(self.body) if self.written_by(app) else []


class OwnComment(Comment):
    markers: list[Marker]

    def marker(self, like: Marker) -> Marker | None:
        return next((m for m in self.markers if m.same_comment(like)), None)


class CommentPage(BaseModel):
    number: int
    etag: str | None
    has_next: bool
    comments: list[Comment]


class CommentSnapshot(BaseModel):
    """An issue's comments as last listed, with the ETags that make the next listing cheap."""

    pages: list[CommentPage] = Field(default_factory=list)

    @property
    def comments(self) -> list[Comment]:
        return [comment for page in self.pages for comment in page.comments]


def _comment(raw: Any) -> Comment:
    reactions = raw.reactions
    app = raw.performed_via_github_app
    return Comment(
        id=raw.id,
        body=raw.body or "",
        html_url=raw.html_url,
        author=raw.user.login if raw.user else None,
        author_type=raw.user.type if raw.user else None,
        app_id=app.id if app else None,
        created_at=raw.created_at,
        updated_at=raw.updated_at,
        reactions=ReactionCounts(
            plus_one=reactions.plus_one, minus_one=reactions.minus_one, laugh=reactions.laugh,
            confused=reactions.confused, heart=reactions.heart, hooray=reactions.hooray,
            rocket=reactions.rocket, eyes=reactions.eyes, total_count=reactions.total_count,
        ) if reactions else ReactionCounts(),
    )


def poll_comments(inst: Installation, issue: IssueRef, previous: CommentSnapshot | None = None) -> CommentSnapshot:
    """List the issue's comments, asking with each page's ETag: an unchanged page answers 304,
    which costs no rate limit. Compare `.comments` with the previous snapshot's to see changes."""
    pages: list[CommentPage] = []
    number = 1
    while True:
        old = previous.pages[number - 1] if previous is not None and len(previous.pages) >= number else None
        headers = {"If-None-Match": old.etag} if old is not None and old.etag else None
        response = inst.gh.rest.issues.list_comments(issue.owner, issue.repo, issue.number,
                                                     per_page=COMMENTS_PER_PAGE, page=number, headers=headers)
        if response.status_code == 304 and old is not None:
            page = old
            # a full last page may have gained a next page without changing itself
            more = old.has_next or len(old.comments) == COMMENTS_PER_PAGE
        else:
            link = response.headers.get("link", "")
            page = CommentPage(number=number, etag=response.headers.get("etag"), has_next='rel="next"' in link,
                               comments=[_comment(raw) for raw in response.parsed_data])
            more = page.has_next
        if page.comments or number == 1:
            pages.append(page)
        if not more or not page.comments:
            return CommentSnapshot(pages=pages)
        number += 1


def list_comments(inst: Installation, issue: IssueRef) -> list[Comment]:
    return [
        _comment(raw)
        for raw in inst.gh.rest.paginate(inst.gh.rest.issues.list_comments, owner=issue.owner, repo=issue.repo,
                                    issue_number=issue.number, per_page=COMMENTS_PER_PAGE)
    ]


def own_comments(comments: Sequence[Comment], app: AppIdentity) -> list[OwnComment]:
    """The comments the app wrote, with their trusted markers."""
    return [
        OwnComment(**comment.model_dump(), markers=parse_markers(comment.body))
        for comment in comments
        if comment.written_by(app)
    ]


def find_own_comments(inst: Installation, issue: IssueRef) -> list[OwnComment]:
    """The app's own comments on the issue, oldest first, with their trusted markers."""
    return own_comments(list_comments(inst, issue), inst.identity)


def find_marked(comments: Sequence[OwnComment], marker: Marker) -> OwnComment | None:
    """The oldest own comment that carries `marker` (same kind and key)."""
    return next((c for c in comments if c.marker(marker) is not None), None)


def upsert_comment(
    inst: Installation,
    issue: IssueRef,
    marker: Marker,
    text: str,
    *,
    extra_markers: Sequence[Marker] = (),
    known: Sequence[OwnComment] | None = None,
) -> OwnComment:
    """The app's comment carrying `marker`, edited in place when it exists (no request when the
    body is already right), else created exactly once. `text` must already be safe (build it with
    `neutralise_untrusted` around anything people wrote). Pass `known` (from `find_own_comments`)
    to save listing the comments again."""
    app = inst.identity
    body = compose_body(text, [marker, *extra_markers])
    existing = find_marked(known if known is not None else find_own_comments(inst, issue), marker)
    if existing is not None:
        if existing.body == body:
            return existing
        try:
            updated = inst.gh.rest.issues.update_comment(issue.owner, issue.repo, existing.id, body=body).parsed_data
        except RequestFailed as exc:
            if exc.response.status_code != 404:
                raise
            # deleted since it was listed (someone removed it): make it again below
        else:
            return own_comments([_comment(updated)], app)[0]

    def find_again() -> OwnComment | None:
        return find_marked(find_own_comments(inst, issue), marker)

    def create() -> OwnComment:
        created = inst.gh.rest.issues.create_comment(issue.owner, issue.repo, issue.number, body=body).parsed_data
        return own_comments([_comment(created)], app)[0]

    return create_once(find_again, create, policy=inst.retry)


def delete_comment(inst: Installation, issue: IssueRef, comment_id: int) -> bool:
    """Delete one of the app's comments; False when it was already gone."""
    try:
        inst.gh.rest.issues.delete_comment(issue.owner, issue.repo, comment_id)
    except RequestFailed as exc:
        if exc.response.status_code == 404:
            return False
        raise
    return True


def marked_data(comments: Sequence[OwnComment], marker: Marker) -> Mapping[str, Any] | None:
    """The hidden data of the first own comment carrying `marker`, if any."""
    found = find_marked(comments, marker)
    held = found.marker(marker) if found is not None else None
    return held.data if held is not None else None
