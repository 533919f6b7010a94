"""A stateful fake of the GitHub REST API, served over HTTP for githubkit to talk to in tests."""

from tests.fakegithub.deliveries import DeliveryView, RedeliveryView
from tests.fakegithub.records import RecordedRequest
from tests.fakegithub.server import (
    CheckRunView,
    CommentView,
    CommitView,
    FakeGitHub,
    IssueView,
    LabelView,
    PullView,
    ReviewCommentView,
)

__all__ = [
    "CheckRunView",
    "CommentView",
    "CommitView",
    "DeliveryView",
    "FakeGitHub",
    "IssueView",
    "LabelView",
    "PullView",
    "RecordedRequest",
    "RedeliveryView",
    "ReviewCommentView",
]
