"""The fake's issues, comments, reactions, labels, permissions and pull requests."""

from __future__ import annotations



from tests.fakegithub import FakeGitHub
from tests.fakegithub.fixtures import Client, OWNER, REPO, status_of





def test_issue_read_and_edit(fake_github: FakeGitHub, gh: Client) -> None:
    number = fake_github.add_issue(OWNER, REPO, "Add login", "We need login.", author="alice", labels=["needs-plan"])

    issue = gh.rest.issues.get(OWNER, REPO, number).parsed_data
    gh.rest.issues.update(OWNER, REPO, number, body="Edited", state="closed")

    assert (issue.title, issue.body, issue.user.login) == ("Add login", "We need login.", "alice")
    assert [label.name for label in issue.labels] == ["needs-plan"]
    assert issue.html_url == f"{fake_github.web_url}/{OWNER}/{REPO}/issues/{number}"
    after = fake_github.issue(OWNER, REPO, number)
    assert (after.body, after.state) == ("Edited", "closed")
    assert status_of(lambda: gh.rest.issues.get(OWNER, REPO, 999)) == 404


def test_app_comments_carry_the_bot_user_and_the_app(fake_github: FakeGitHub, gh: Client) -> None:
    number = fake_github.add_issue(OWNER, REPO, "T")
    made = gh.rest.issues.create_comment(OWNER, REPO, number, body="hello").parsed_data
    fake_github.add_comment(OWNER, REPO, number, "from a person", author="bob")

    comments = gh.rest.issues.list_comments(OWNER, REPO, number).parsed_data

    assert [(c.user.login, c.user.type) for c in comments] == [("planbot[bot]", "Bot"), ("bob", "User")]
    assert comments[0].performed_via_github_app is not None
    assert comments[0].performed_via_github_app.id == fake_github.app.id
    assert comments[1].performed_via_github_app is None
    assert made.html_url.endswith(f"/issues/{number}#issuecomment-{made.id}")
    edited = gh.rest.issues.update_comment(OWNER, REPO, made.id, body="edited").parsed_data
    assert edited.body == "edited" and gh.rest.issues.get_comment(OWNER, REPO, made.id).parsed_data.body == "edited"
    gh.rest.issues.delete_comment(OWNER, REPO, made.id)
    assert status_of(lambda: gh.rest.issues.get_comment(OWNER, REPO, made.id)) == 404


def test_comment_pages_link_and_conditional_requests(fake_github: FakeGitHub, gh: Client) -> None:
    number = fake_github.add_issue(OWNER, REPO, "T")
    for index in range(5):
        fake_github.add_comment(OWNER, REPO, number, f"comment {index}")

    first = gh.rest.issues.list_comments(OWNER, REPO, number, per_page=2)
    every = list(gh.rest.paginate(gh.rest.issues.list_comments, owner=OWNER, repo=REPO, issue_number=number,
                                  per_page=2))
    etag = first.headers["etag"]
    before = gh.rest.issues.list_comments(OWNER, REPO, number, per_page=2).headers["x-ratelimit-remaining"]
    unchanged = gh.rest.issues.list_comments(OWNER, REPO, number, per_page=2, headers={"If-None-Match": etag})
    fake_github.add_reaction(OWNER, REPO, "rocket", user="carol", comment=every[0].id)
    changed = gh.rest.issues.list_comments(OWNER, REPO, number, per_page=2, headers={"If-None-Match": etag})

    assert [c.body for c in first.parsed_data] == ["comment 0", "comment 1"]
    assert 'rel="next"' in first.headers["link"] and "page=3" in first.headers["link"]
    assert [c.body for c in every] == [f"comment {i}" for i in range(5)]
    assert unchanged.status_code == 304
    assert unchanged.headers["x-ratelimit-remaining"] == before  # a 304 costs nothing
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert changed.parsed_data[0].reactions.rocket == 1


def test_reactions_answer_201_then_200_and_count_seeded_ones(fake_github: FakeGitHub, gh: Client) -> None:
    number = fake_github.add_issue(OWNER, REPO, "T")
    comment = fake_github.add_comment(OWNER, REPO, number, "TD001", as_app=True)
    fake_github.add_reaction(OWNER, REPO, "hooray", user="alice", comment=comment)
    fake_github.add_reaction(OWNER, REPO, "+1", user="bob", comment=comment)

    new = gh.rest.reactions.create_for_issue_comment(OWNER, REPO, comment, content="rocket")
    again = gh.rest.reactions.create_for_issue_comment(OWNER, REPO, comment, content="rocket")
    on_issue = gh.rest.reactions.create_for_issue(OWNER, REPO, number, content="eyes")
    who = gh.rest.reactions.list_for_issue_comment(OWNER, REPO, comment).parsed_data
    rockets = gh.rest.reactions.list_for_issue_comment(OWNER, REPO, comment, content="rocket").parsed_data
    counts = gh.rest.issues.get_comment(OWNER, REPO, comment).parsed_data.reactions

    assert (new.status_code, again.status_code, on_issue.status_code) == (201, 200, 201)
    assert new.parsed_data.id == again.parsed_data.id
    assert [(r.user.login, r.content) for r in who] == [("alice", "hooray"), ("bob", "+1"), ("planbot[bot]", "rocket")]
    assert [r.user.login for r in rockets] == ["planbot[bot]"]
    assert (counts.total_count, counts.plus_one, counts.hooray, counts.rocket) == (3, 1, 1, 1)
    assert fake_github.issue_reactions(OWNER, REPO, number) == [("planbot[bot]", "eyes")]


def test_labels_on_issues_and_repositories(fake_github: FakeGitHub, gh: Client) -> None:
    number = fake_github.add_issue(OWNER, REPO, "T")
    gh.rest.issues.create_label(OWNER, REPO, name="planned", color="0e8a16", description="done")

    added = gh.rest.issues.add_labels(OWNER, REPO, number, labels=["planned", "needs-plan"]).parsed_data
    left = gh.rest.issues.remove_label(OWNER, REPO, number, "needs-plan").parsed_data

    assert [label.name for label in added] == ["planned", "needs-plan"]
    assert [label.name for label in left] == ["planned"]
    assert status_of(lambda: gh.rest.issues.remove_label(OWNER, REPO, number, "needs-plan")) == 404
    assert status_of(lambda: gh.rest.issues.create_label(OWNER, REPO, name="Planned", color="ffffff")) == 422
    names = {label.name: label.color for label in gh.rest.issues.list_labels_for_repo(OWNER, REPO).parsed_data}
    assert names == {"planned": "0e8a16", "needs-plan": "ededed"}


def test_collaborator_permissions(fake_github: FakeGitHub, gh: Client) -> None:
    fake_github.set_role(OWNER, REPO, "maya", "maintain")
    fake_github.add_user("visitor")

    maya = gh.rest.repos.get_collaborator_permission_level(OWNER, REPO, "maya").parsed_data
    visitor = gh.rest.repos.get_collaborator_permission_level(OWNER, REPO, "visitor").parsed_data

    assert (maya.permission, maya.role_name) == ("write", "maintain")
    assert (visitor.permission, visitor.role_name) == ("read", "read")
    assert status_of(lambda: gh.rest.repos.get_collaborator_permission_level(OWNER, REPO, "ghost")) == 404


def test_pull_requests(fake_github: FakeGitHub, gh: Client) -> None:
    fake_github.push(OWNER, REPO, "001-login", {"specs/001-login/plan.md": "# Plan\n"})

    made = gh.rest.pulls.create(OWNER, REPO, title="Plan: login", head="001-login", base="main", body="b").parsed_data
    found = gh.rest.pulls.list(OWNER, REPO, head=f"{OWNER}:001-login", state="open").parsed_data
    none = gh.rest.pulls.list(OWNER, REPO, head=f"{OWNER}:other", state="all").parsed_data
    duplicate = status_of(lambda: gh.rest.pulls.create(OWNER, REPO, title="again", head="001-login", base="main"))
    gh.rest.pulls.update(OWNER, REPO, made.number, body="new body")

    assert made.head.ref == "001-login" and made.base.ref == "main" and made.state == "open"
    assert [p.number for p in found] == [made.number] and none == []
    assert duplicate == 422
    assert gh.rest.pulls.get(OWNER, REPO, made.number).parsed_data.body == "new body"
    assert gh.rest.issues.get(OWNER, REPO, made.number).parsed_data.pull_request is not None
    assert status_of(lambda: gh.rest.pulls.create(OWNER, REPO, title="t", head="missing", base="main")) == 422


def test_team_membership(fake_github: FakeGitHub, gh: Client) -> None:
    fake_github.add_team_member(OWNER, "architects", "tara")
    fake_github.add_team_member(OWNER, "architects", "ivan", state="pending")

    assert gh.rest.teams.get_membership_for_user_in_org(OWNER, "architects", "tara").parsed_data.state == "active"
    assert gh.rest.teams.get_membership_for_user_in_org(OWNER, "architects", "ivan").parsed_data.state == "pending"
    assert status_of(lambda: gh.rest.teams.get_membership_for_user_in_org(OWNER, "architects", "bob")) == 404


def test_writes_and_content_writes_are_counted(fake_github: FakeGitHub, gh: Client) -> None:
    number = fake_github.add_issue(OWNER, REPO, "T")
    gh.rest.issues.get(OWNER, REPO, number)
    gh.rest.issues.create_comment(OWNER, REPO, number, body="one")
    gh.rest.reactions.create_for_issue(OWNER, REPO, number, content="eyes")
    gh.rest.issues.add_labels(OWNER, REPO, number, labels=["x"])

    assert [(r.method, r.path) for r in fake_github.writes()] == [
        ("POST", f"/repos/{OWNER}/{REPO}/issues/{number}/comments"),
        ("POST", f"/repos/{OWNER}/{REPO}/issues/{number}/reactions"),
        ("POST", f"/repos/{OWNER}/{REPO}/issues/{number}/labels"),
    ]
    assert len(fake_github.content_writes()) == 2
    assert fake_github.writes()[0].body == {"body": "one"}
    assert fake_github.requests("GET", f"/repos/{OWNER}/{REPO}/issues/{number}")[0].status == 200
