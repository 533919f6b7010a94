"""Who reacted to a comment: every page, people and bots told apart."""

from __future__ import annotations

from bot.github.client import Installation
from bot.github.reactions import ReactionVote, comment_reactions
from bot.jobs import IssueRef
from tests.fakegithub import FakeGitHub
from tests.fakegithub.fixtures import OWNER, REPO


def test_comment_reactions_name_who_and_what(fake_github: FakeGitHub, inst: Installation, issue: IssueRef) -> None:
    comment = fake_github.add_comment(OWNER, REPO, issue.number, "TD001", as_app=True)
    fake_github.add_reaction(OWNER, REPO, "+1", user="alice", comment=comment)
    fake_github.add_reaction(OWNER, REPO, "rocket", user="alice", comment=comment)
    fake_github.add_reaction(OWNER, REPO, "-1", user="helper[bot]", user_type="Bot", comment=comment)
    fake_github.add_reaction(OWNER, REPO, "eyes", user="bob", issue=issue.number)  # on the issue, not the comment

    votes = comment_reactions(inst, issue, comment)

    assert votes == [
        ReactionVote(login="alice", user_type="User", content="+1"),
        ReactionVote(login="alice", user_type="User", content="rocket"),
        ReactionVote(login="helper[bot]", user_type="Bot", content="-1"),
    ]


def test_comment_reactions_read_every_page(fake_github: FakeGitHub, inst: Installation, issue: IssueRef) -> None:
    comment = fake_github.add_comment(OWNER, REPO, issue.number, "TD001", as_app=True)
    for index in range(150):
        fake_github.add_reaction(OWNER, REPO, "+1" if index % 3 else "-1", user=f"voter{index}", comment=comment)

    votes = comment_reactions(inst, issue, comment)

    assert [v.login for v in votes] == [f"voter{i}" for i in range(150)]
    assert sum(v.content == "-1" for v in votes) == 50
    listings = fake_github.requests("GET", rf"/repos/{OWNER}/{REPO}/issues/comments/{comment}/reactions")
    assert [r.query.get("per_page") for r in listings] == ["100", "100"]


def test_a_comment_without_reactions(fake_github: FakeGitHub, inst: Installation, issue: IssueRef) -> None:
    comment = fake_github.add_comment(OWNER, REPO, issue.number, "quiet", as_app=True)
    assert comment_reactions(inst, issue, comment) == []
