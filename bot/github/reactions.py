"""Who reacted to a comment, and with what.

GitHub sends no webhook for reactions; the counts come with every comment (see
`comments.poll_comments`), and this listing says who is behind them, so votes can be checked
against who may vote.
"""

from __future__ import annotations

from pydantic import BaseModel

from bot.github.client import Installation
from bot.jobs import IssueRef

REACTIONS_PER_PAGE = 100


class ReactionVote(BaseModel):
    """One reaction: who (`user_type` is `User` or `Bot`) and which (`+1`, `-1`, `rocket`, …)."""

    login: str
    user_type: str
    content: str


def comment_reactions(inst: Installation, issue: IssueRef, comment_id: int) -> list[ReactionVote]:
    """Every reaction on an issue comment, oldest first, across all pages. Reactions of deleted
    accounts (GitHub gives no user) are left out: nobody can be asked about them."""
    return [
        ReactionVote(login=raw.user.login, user_type=raw.user.type, content=raw.content)
        for raw in inst.gh.rest.paginate(inst.gh.rest.reactions.list_for_issue_comment, owner=issue.owner,
                                         repo=issue.repo, comment_id=comment_id, per_page=REACTIONS_PER_PAGE)
        if raw.user is not None
    ]
