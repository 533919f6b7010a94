"""Issue helpers (read, react, label) and who counts as an eligible voter."""

from __future__ import annotations

from bot.github.client import Installation
from bot.github.issues import add_labels, ensure_labels, get_issue, react_to_comment, react_to_issue, remove_label
from bot.github.permissions import CollaboratorPermission, collaborator_permission, is_eligible
from bot.github.repo_config import LabelsConfig, VotersConfig
from bot.jobs import IssueRef
from tests.fakegithub import FakeGitHub
from tests.fakegithub.fixtures import OWNER, REPO

LABELS = LabelsConfig()


def test_get_issue(fake_github: FakeGitHub, inst: Installation, issue: IssueRef) -> None:
    fake_github.add_label(OWNER, REPO, "needs-plan")
    add_labels(inst, issue, ["needs-plan"])

    info = get_issue(inst, issue)

    assert (info.title, info.body, info.state, info.author, info.author_type) == (
        "Add login", "Users sign in with e-mail.", "open", "alice", "User")
    assert info.labels == ["needs-plan"] and not info.is_pull_request
    assert info.html_url == f"{fake_github.web_url}/{OWNER}/{REPO}/issues/{issue.number}"


def test_reactions_report_whether_they_were_new(fake_github: FakeGitHub, inst: Installation, issue: IssueRef) -> None:
    comment = fake_github.add_comment(OWNER, REPO, issue.number, "/plan status")

    assert react_to_issue(inst, issue) is True
    assert react_to_issue(inst, issue) is False
    assert react_to_comment(inst, issue, comment, "+1") is True

    assert fake_github.issue_reactions(OWNER, REPO, issue.number) == [("planbot[bot]", "eyes")]
    assert fake_github.comment_reactions(OWNER, REPO, comment) == [("planbot[bot]", "+1")]


def test_missing_labels_are_created_with_their_colour(
    fake_github: FakeGitHub, inst: Installation, issue: IssueRef
) -> None:
    fake_github.add_label(OWNER, REPO, "Needs-Plan", color="123456")  # exists, in another case

    now_on = add_labels(inst, issue, [LABELS.planned], specs=LABELS.specs())
    created_again = ensure_labels(inst, OWNER, REPO, LABELS.specs())

    labels = {label.name: label for label in fake_github.labels(OWNER, REPO)}
    assert now_on == ["planned"]
    assert labels["planned"].color == "0e8a16" and labels["planned"].description
    assert labels["Needs-Plan"].color == "123456"  # left alone
    assert "needs-plan" not in labels
    assert sorted(created_again) == ["needs-detail", "plan-in-review", "plan-rejected"]
    assert ensure_labels(inst, OWNER, REPO, LABELS.specs()) == []


def test_removing_labels_even_with_awkward_names(fake_github: FakeGitHub, inst: Installation, issue: IssueRef) -> None:
    add_labels(inst, issue, ["needs-plan", "area/ui & ux", "50% done"])

    assert remove_label(inst, issue, "area/ui & ux") is True
    assert remove_label(inst, issue, "50% done") is True
    assert remove_label(inst, issue, "area/ui & ux") is False
    assert fake_github.issue(OWNER, REPO, issue.number).labels == ("needs-plan",)


def test_permissions_are_asked_once_per_login(fake_github: FakeGitHub, inst: Installation) -> None:
    fake_github.set_role(OWNER, REPO, "maya", "maintain")
    cache: dict[str, CollaboratorPermission] = {}

    first = collaborator_permission(inst, OWNER, REPO, "maya", cache)
    again = collaborator_permission(inst, OWNER, REPO, "Maya", cache)
    ghost = collaborator_permission(inst, OWNER, REPO, "ghost", cache)

    assert first == again and first.at_least("write") and first.at_least("maintain") and not first.at_least("admin")
    assert ghost.permission == "none" and not ghost.at_least("read")
    assert len(fake_github.requests("GET", r".*/collaborators/.*")) == 2


def test_eligible_voters(fake_github: FakeGitHub, inst: Installation) -> None:
    for login, role in [("wendy", "write"), ("tricia", "triage"), ("adam", "admin")]:
        fake_github.set_role(OWNER, REPO, login, role)
    fake_github.add_user("lead")
    fake_github.add_user("reader")
    fake_github.add_team_member(OWNER, "architects", "tara")
    fake_github.add_team_member("partner", "reviewers", "rita")
    fake_github.add_team_member(OWNER, "architects", "ivan", state="pending")
    voters = VotersConfig(users=["Lead"], teams=["architects", "partner/reviewers"])

    def eligible(login: str, config: VotersConfig = voters) -> bool:
        return is_eligible(inst, OWNER, REPO, login, config, cache={})

    assert eligible("wendy") and eligible("adam") and eligible("lead")
    assert eligible("tara") and eligible("rita")
    assert not eligible("tricia") and not eligible("reader") and not eligible("ivan")
    assert not eligible("dependabot[bot]") and not eligible("planbot[bot]")
    assert eligible("tricia", VotersConfig(min_permission="triage"))
    assert not eligible("wendy", VotersConfig(min_permission="maintain"))
