"""The plan's pull request: find it by its branch, open it exactly once, edit it, and read what a
review asked for.

- A plan's pull request is known by its head branch (one branch per plan), so `find_pull` and
  `open_pull` look it up by `owner:branch` rather than remembering a number.
- `open_pull` is idempotent: an open pull request from the branch into the base is reused (its
  title and body brought up to date), and the create goes through `create_once`, so an answer
  GitHub lost never leaves two pull requests behind.
- Review states are given lower-case (`approved`, `changes_requested`, `commented`, …), the way
  webhook payloads spell them; the REST API spells them upper-case.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from githubkit.exception import RequestFailed
from githubkit.utils import UNSET
from pydantic import BaseModel

from bot.github.client import Installation
from bot.github.comments import MAX_BODY_CHARS
from bot.github.retry import create_once

PULLS_PER_PAGE = 100
REVIEW_COMMENTS_PER_PAGE = 100


class PullInfo(BaseModel):
    """The fields of a pull request planbot uses."""

    number: int
    html_url: str
    state: str  # "open" or "closed"
    merged: bool
    title: str
    body: str
    head_ref: str
    head_sha: str
    base_ref: str
    author: str | None
    author_type: str | None


class LineComment(BaseModel):
    """A review comment on a file of the pull request; `line` is the line in the file as the pull
    request shows it now, None for a comment on the whole file or on a line that has since changed."""

    path: str
    line: int | None
    body: str
    author: str | None


class ReviewFeedback(BaseModel):
    """A submitted review: its verdict, its text and its line comments."""

    review_id: int
    state: str  # lower-case: approved, changes_requested, commented, dismissed, pending
    body: str
    author: str | None
    comments: list[LineComment]


def _pull(raw: Any, *, merged: bool) -> PullInfo:
    """A githubkit pull request (full or as listed: the listing has no `merged`) as `PullInfo`."""
    return PullInfo(
        number=raw.number,
        html_url=raw.html_url,
        state=raw.state,
        merged=merged,
        title=raw.title,
        body=raw.body or "",
        head_ref=raw.head.ref,
        head_sha=raw.head.sha,
        base_ref=raw.base.ref,
        author=raw.user.login if raw.user else None,
        author_type=raw.user.type if raw.user else None,
    )


def _listed(raw: Any) -> PullInfo:
    return _pull(raw, merged=raw.merged_at is not None)


def _check_body(body: str) -> None:
    if len(body) > MAX_BODY_CHARS:
        raise ValueError(f"a pull request body of {len(body)} characters is over GitHub's limit of {MAX_BODY_CHARS}")


def _list(inst: Installation, owner: str, repo: str, head_branch: str, *, state: Literal["open", "all"],
          base: str | None = None) -> list[PullInfo]:
    """Pull requests from a branch of this repository (not from forks), newest first."""
    response = inst.gh.rest.pulls.list(owner, repo, state=state, head=f"{owner}:{head_branch}",
                                       base=base if base is not None else UNSET, sort="created",
                                       direction="desc", per_page=PULLS_PER_PAGE)
    found = [_listed(raw) for raw in response.parsed_data if raw.head.ref == head_branch]
    return sorted(found, key=lambda pull: pull.number, reverse=True)


def find_pull(inst: Installation, owner: str, repo: str, head_branch: str) -> PullInfo | None:
    """The newest pull request from `head_branch`, open or closed (merged or not); None when the
    branch never had one."""
    found = _list(inst, owner, repo, head_branch, state="all")
    return found[0] if found else None


def _find_open(inst: Installation, owner: str, repo: str, head: str, base: str) -> PullInfo | None:
    found = _list(inst, owner, repo, head, state="open", base=base)
    return found[0] if found else None


def get_pull(inst: Installation, owner: str, repo: str, number: int) -> PullInfo:
    raw = inst.gh.rest.pulls.get(owner, repo, number).parsed_data
    return _pull(raw, merged=bool(raw.merged))


def update_pull(inst: Installation, owner: str, repo: str, number: int, *, title: str | None = None,
                body: str | None = None) -> PullInfo:
    """Change the title and/or body (None leaves it as it is); with neither, just read the pull."""
    if title is None and body is None:
        return get_pull(inst, owner, repo, number)
    if body is not None:
        _check_body(body)
    raw = inst.gh.rest.pulls.update(owner, repo, number, title=title if title is not None else UNSET,
                                    body=body if body is not None else UNSET).parsed_data
    return _pull(raw, merged=bool(raw.merged))


def _up_to_date(inst: Installation, owner: str, repo: str, pull: PullInfo, title: str, body: str) -> PullInfo:
    """`pull` with this title and body: edited when either differs, else as it is (no request)."""
    if pull.title == title and pull.body == body:
        return pull
    return update_pull(inst, owner, repo, pull.number, title=title if pull.title != title else None,
                       body=body if pull.body != body else None)


def open_pull(inst: Installation, owner: str, repo: str, *, head: str, base: str, title: str,
              body: str) -> PullInfo:
    """The open pull request from branch `head` into `base` with this title and body.

    An open one is reused (edited when its title or body differ); otherwise one is created exactly
    once: after a lost answer (a 5xx, a timeout) it is looked for before another create, and a 422
    because it exists meanwhile (another worker) finds and reuses it. `body` must fit GitHub's
    limit (`MAX_BODY_CHARS`); build it with `comments.compose_body` to keep hidden markers intact.
    """
    _check_body(body)
    existing = _find_open(inst, owner, repo, head, base)
    if existing is not None:
        return _up_to_date(inst, owner, repo, existing, title, body)

    def find_again() -> PullInfo | None:
        return _find_open(inst, owner, repo, head, base)

    def create() -> PullInfo:
        try:
            raw = inst.gh.rest.pulls.create(owner, repo, head=head, base=base, title=title, body=body).parsed_data
        except RequestFailed as exc:
            if exc.response.status_code == 422 and (raced := find_again()) is not None:
                return _up_to_date(inst, owner, repo, raced, title, body)
            raise
        return _pull(raw, merged=bool(raw.merged))

    return create_once(find_again, create, policy=inst.retry)


def _line_comment(raw: Any) -> LineComment:
    line = raw.line if isinstance(raw.line, int) else None  # absent (UNSET) or null: not on a current line
    return LineComment(path=raw.path, line=line, body=raw.body or "", author=raw.user.login if raw.user else None)


def review_feedback(inst: Installation, owner: str, repo: str, number: int, review_id: int) -> ReviewFeedback:
    """A review of pull request `number` with every one of its line comments, in order."""
    review = inst.gh.rest.pulls.get_review(owner, repo, number, review_id).parsed_data
    listed: Iterable[Any] = inst.gh.rest.paginate(inst.gh.rest.pulls.list_comments_for_review, owner=owner,
                                                  repo=repo, pull_number=number, review_id=review_id,
                                                  per_page=REVIEW_COMMENTS_PER_PAGE)
    comments = [_line_comment(raw) for raw in listed]
    return ReviewFeedback(
        review_id=review.id,
        state=review.state.lower(),
        body=review.body or "",
        author=review.user.login if review.user else None,
        comments=comments,
    )
