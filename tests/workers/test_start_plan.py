"""Label an issue needs-plan: a feature branch with ONE commit, one comment per decision, a
status comment, the 👀 reaction; and nothing twice when the job runs again."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakegithub.fixtures import OWNER, REPO
from tests.workers.conftest import Bot, payload

ROOT = Path(__file__).resolve().parents[2]
SPEC = (ROOT / "examples" / "spec.md").read_text(encoding="utf-8")
CONSTITUTION = (ROOT / "examples" / "repo" / ".specify" / "memory" / "constitution.md").read_text(encoding="utf-8")


def open_issue(bot: Bot, body: str = SPEC, title: str = "Field service work orders") -> int:
    bot.fake.push(OWNER, REPO, "main", {".specify/memory/constitution.md": CONSTITUTION}, message="constitution")
    return bot.fake.add_issue(OWNER, REPO, title, body, author="maria", labels=["needs-plan"])


def label(bot: Bot, number: int, delivery: str | None = None) -> None:
    bot.deliver("issues", payload("issues.labeled", issue__number=number), delivery)
    bot.work()


def markers(bot: Bot, number: int) -> list[str]:
    return [line for c in bot.fake.comments(OWNER, REPO, number) for line in c.body.splitlines()
            if line.startswith("<!-- planbot:")]


def test_labelled_issue_gets_branch_decisions_and_status(bot: Bot) -> None:
    number = open_issue(bot)
    label(bot, number)

    branches = [b for b in bot.fake.branches(OWNER, REPO) if b != "main"]
    assert branches == ["001-field-service-work-orders"]
    history = bot.fake.history(OWNER, REPO, branches[0])
    assert len(history) == len(bot.fake.history(OWNER, REPO, "main")) + 1  # ONE planbot commit on top of main
    files = bot.fake.files(OWNER, REPO, branches[0])
    folder = "specs/001-field-service-work-orders"
    assert f"{folder}/spec.md" in files and f"{folder}/decisions.md" in files
    decisions = files[f"{folder}/decisions.md"].decode()
    assert "# TECHNICAL DECISIONS REQUIRED" in decisions and "PENDING" in decisions

    comments = bot.fake.comments(OWNER, REPO, number)
    td_comments = [c for c in comments if "<!-- planbot:td TD" in c.body]
    assert td_comments, "no decision comment was posted"
    assert all(c.body.startswith("### TD") for c in td_comments)
    # decisions that depend on others wait for them: TD001 (file storage) depends on TD004 and TD005
    posted = {c.body.split(":", 1)[0].removeprefix("### ") for c in td_comments}
    assert "TD001" not in posted and "TD005" in posted
    assert all(c.author.endswith("[bot]") for c in td_comments)
    status = [c for c in comments if "<!-- planbot:status" in c.body]
    assert len(status) == 1 and "planbot:state" in status[0].body
    assert "TD001" in status[0].body and "will be posted once the decisions they depend on are taken" in status[0].body
    assert ("planbot[bot]", "eyes") in bot.fake.issue_reactions(OWNER, REPO, number)
    seeded = bot.fake.comment_reactions(OWNER, REPO, td_comments[0].id)
    assert {content for _, content in seeded} >= {"rocket", "hooray", "+1", "-1"}


def test_running_again_creates_nothing_twice(bot: Bot) -> None:
    number = open_issue(bot)
    label(bot, number, delivery="first-delivery")
    comments = [(c.id, c.body) for c in bot.fake.comments(OWNER, REPO, number)]
    head = bot.fake.branch(OWNER, REPO, "001-field-service-work-orders")
    bot.fake.clear_requests()

    label(bot, number, delivery="first-delivery")  # a redelivery: acknowledged, not enqueued
    assert bot.fake.requests() == []
    label(bot, number)  # the label added a second time: a new delivery, the job runs again
    bot.redis.flushall()  # and even with Redis lost, the state comes back from the status comment
    label(bot, number)

    # the same comments (the status comment is edited in place, never posted again)
    assert [c.id for c in bot.fake.comments(OWNER, REPO, number)] == [c[0] for c in comments]
    assert bot.fake.branch(OWNER, REPO, "001-field-service-work-orders") == head
    assert [b for b in bot.fake.branches(OWNER, REPO) if b != "main"] == ["001-field-service-work-orders"]
    assert not [r for r in bot.fake.content_writes() if r.status in (200, 201) and r.method == "POST"
                and r.path.endswith("/comments")]


def test_too_thin_issue_gets_one_comment_and_the_label(bot: Bot) -> None:
    number = open_issue(bot, body="make it faster", title="Speed")
    label(bot, number)
    label(bot, number)
    comments = bot.fake.comments(OWNER, REPO, number)
    asks = [c for c in comments if "<!-- planbot:needs-detail" in c.body]
    assert len(asks) == 1 and "needs more detail" in asks[0].body
    assert "needs-detail" in bot.fake.issue(OWNER, REPO, number).labels
    assert [b for b in bot.fake.branches(OWNER, REPO) if b != "main"] == []


def test_bad_repo_config_gets_one_comment_naming_the_key(bot: Bot) -> None:
    number = open_issue(bot)
    bot.fake.push(OWNER, REPO, "main", {".github/planbot.yml": "voting:\n  window_hourz: 3\n"}, message="config")
    label(bot, number)
    errors = [c for c in bot.fake.comments(OWNER, REPO, number) if "<!-- planbot:config-error" in c.body]
    assert len(errors) == 1 and "window_hourz" in errors[0].body
    assert [b for b in bot.fake.branches(OWNER, REPO) if b != "main"] == []


def test_plan_status_from_a_stranger_does_nothing(bot: Bot) -> None:
    number = open_issue(bot)
    label(bot, number)
    bot.fake.clear_requests()
    comment = bot.fake.add_comment(OWNER, REPO, number, "/plan cancel", author="stranger")
    bot.deliver("issue_comment", payload("issue_comment.created", issue__number=number,
                                         comment__id=comment, comment__body="/plan cancel",
                                         comment__user__login="stranger", sender__login="stranger"))
    bot.work()
    assert bot.fake.writes() == []


def test_plan_cancel_from_a_maintainer_marks_the_plan_cancelled(bot: Bot) -> None:
    number = open_issue(bot)
    label(bot, number)
    bot.fake.set_role(OWNER, REPO, "maria", "maintain")
    comment = bot.fake.add_comment(OWNER, REPO, number, "/plan cancel", author="maria")
    bot.deliver("issue_comment", payload("issue_comment.created", issue__number=number,
                                         comment__id=comment, comment__body="/plan cancel",
                                         comment__user__login="maria", sender__login="maria"))
    bot.work()
    status = next(c for c in bot.fake.comments(OWNER, REPO, number) if "<!-- planbot:status" in c.body)
    assert "Cancelled" in status.body and '"phase":"cancelled"' in status.body


def test_editing_a_too_thin_issue_resumes_the_plan(bot: Bot) -> None:
    number = open_issue(bot, body="make it faster", title="Field service work orders")
    label(bot, number)
    assert [b for b in bot.fake.branches(OWNER, REPO) if b != "main"] == []

    with bot.fake.world.lock:  # the author edits the issue
        bot.fake._repo(OWNER, REPO).issues[number].body = SPEC
    labels = [{"name": name} for name in bot.fake.issue(OWNER, REPO, number).labels]
    assert {"needs-plan", "needs-detail"} <= {entry["name"] for entry in labels}
    bot.deliver("issues", payload("issues.labeled", action="edited", issue__number=number, issue__labels=labels,
                                  issue__body=SPEC))
    bot.work()
    assert [b for b in bot.fake.branches(OWNER, REPO) if b != "main"] == ["001-field-service-work-orders"]
    assert bot.fake.history(OWNER, REPO, "001-field-service-work-orders")[0].message.endswith(f"Refs #{number}")


def test_a_job_that_dies_half_way_is_finished_by_the_next_run(bot: Bot) -> None:
    number = open_issue(bot)
    attempts = bot.rt_retry_attempts
    # Two comment creations whose answers are lost (GitHub made them, then answered 502), then one
    # creation that fails on every attempt: the job dies with the branch and some comments made.
    bot.fake.fail(rf"/repos/{OWNER}/{REPO}/issues/\d+/comments", "POST", status=502, times=2, after=True)
    bot.fake.fail(rf"/repos/{OWNER}/{REPO}/issues/\d+/comments", "POST", status=500, times=attempts)
    bot.deliver("issues", payload("issues.labeled", issue__number=number))
    bot.work(failures=1)
    assert bot.fake.pending_faults() == 0
    assert [b for b in bot.fake.branches(OWNER, REPO) if b != "main"] == ["001-field-service-work-orders"]

    bot.queue.failed_job_registry.remove(bot.queue.failed_job_registry.get_job_ids()[0])
    label(bot, number)  # the label again (or a redelivery): the run completes

    comments = bot.fake.comments(OWNER, REPO, number)
    found = [line for c in comments for line in c.body.splitlines()
             if line.startswith("<!-- planbot:") and not line.startswith("<!-- planbot:state")]
    assert len(found) == len(set(found)), "a comment was posted twice"
    assert any("planbot:td" in line for line in found) and "<!-- planbot:status -->" in found
    assert [b for b in bot.fake.branches(OWNER, REPO) if b != "main"] == ["001-field-service-work-orders"]


def test_plans_started_at_the_same_moment_get_their_own_numbers(bot: Bot) -> None:
    import threading

    from bot.jobs import IssueRef, JobKind, JobRequest
    from tests.fakegithub.fixtures import INSTALLATION_ID
    from workers import runtime as runtime_module
    from workers.start_plan import StartPlan

    first = open_issue(bot)
    second = bot.fake.add_issue(OWNER, REPO, "Field service work orders", SPEC, author="maria", labels=["needs-plan"])
    rt = runtime_module.runtime()
    errors: list[BaseException] = []

    def start(number: int) -> None:
        issue = IssueRef(installation_id=INSTALLATION_ID, owner=OWNER, repo=REPO, number=number)
        try:
            StartPlan(rt, JobRequest(kind=JobKind.START_PLAN, issue=issue, delivery_id=f"d{number}", sender="maria")).run()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(n,)) for n in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    branches = sorted(b for b in bot.fake.branches(OWNER, REPO) if b != "main")
    assert branches == ["001-field-service-work-orders", "002-field-service-work-orders"]
    for branch in branches:  # each branch holds one plan's commit, not two
        assert len(bot.fake.history(OWNER, REPO, branch)) == len(bot.fake.history(OWNER, REPO, "main")) + 1


@pytest.mark.parametrize("other_title", ["Field service work orders", "Inventory sync"])
def test_a_plan_whose_number_was_taken_while_it_was_down_is_numbered_again(bot: Bot, other_title: str) -> None:
    # The first plan numbers its feature 001, then GitHub fails the branch creation on every try:
    # the job dies and its repository lock is gone. A second plan starts meanwhile and takes 001.
    first = open_issue(bot)
    bot.fake.fail(rf"/repos/{OWNER}/{REPO}/git/refs", "POST", status=500, times=bot.rt_retry_attempts)
    bot.deliver("issues", payload("issues.labeled", issue__number=first))
    bot.work(failures=1)
    assert bot.fake.pending_faults() == 0 and [b for b in bot.fake.branches(OWNER, REPO) if b != "main"] == []
    bot.queue.failed_job_registry.remove(bot.queue.failed_job_registry.get_job_ids()[0])
    second = bot.fake.add_issue(OWNER, REPO, other_title, SPEC, author="maria", labels=["needs-plan"])
    label(bot, second)
    taken = [b for b in bot.fake.branches(OWNER, REPO) if b != "main"]
    assert len(taken) == 1 and taken[0].startswith("001-")
    head = bot.fake.branch(OWNER, REPO, taken[0])

    label(bot, first)  # the first plan runs again: its number is taken, so it takes the next one

    assert bot.fake.branch(OWNER, REPO, taken[0]) == head  # the second plan's branch is untouched
    branches = sorted(b for b in bot.fake.branches(OWNER, REPO) if b != "main")
    assert branches == sorted([taken[0], "002-field-service-work-orders"])
    own = bot.fake.history(OWNER, REPO, "002-field-service-work-orders")[0]
    assert own.message.endswith(f"Refs #{first}")
    assert "specs/002-field-service-work-orders/decisions.md" in bot.fake.files(OWNER, REPO, branches[-1])
    status = next(c for c in bot.fake.comments(OWNER, REPO, first) if "<!-- planbot:status" in c.body)
    assert "002-field-service-work-orders" in status.body and "001-" not in status.body


def own_config(bot: Bot, text: str) -> None:
    bot.fake.push(OWNER, REPO, "main", {".github/planbot.yml": text}, message="planbot settings")


def label_named(bot: Bot, number: int, name: str, action: str = "labeled") -> None:
    bot.deliver("issues", payload("issues.labeled", action=action, issue__number=number, label__name=name))
    bot.work()


def test_a_repository_with_its_own_trigger_label_is_planned_by_that_label_only(bot: Bot) -> None:
    number = open_issue(bot)
    own_config(bot, "labels:\n  trigger: plan-me\n")
    bot.fake.clear_requests()

    label_named(bot, number, "needs-plan")  # the app's default trigger is not this repository's
    label_named(bot, number, "bug")
    assert bot.fake.writes() == []
    assert [b for b in bot.fake.branches(OWNER, REPO) if b != "main"] == []

    label_named(bot, number, "plan-me")
    assert [b for b in bot.fake.branches(OWNER, REPO) if b != "main"] == ["001-field-service-work-orders"]
    assert any("<!-- planbot:td" in c.body for c in bot.fake.comments(OWNER, REPO, number))

    bot.fake.clear_requests()
    label_named(bot, number, "bug", action="unlabeled")  # another label removed: the plan goes on
    assert bot.fake.writes() == []
    label_named(bot, number, "plan-me", action="unlabeled")
    status = next(c for c in bot.fake.comments(OWNER, REPO, number) if "<!-- planbot:status" in c.body)
    assert '"phase":"cancelled"' in status.body


def test_a_label_event_in_a_repository_with_a_broken_config_is_left_alone_unless_it_is_the_apps_trigger(
    bot: Bot,
) -> None:
    number = open_issue(bot)
    own_config(bot, "labels: [not, a, mapping]\n")
    bot.fake.clear_requests()

    label_named(bot, number, "bug")  # cannot tell whether it is meant for planbot: say nothing
    assert bot.fake.writes() == []

    label_named(bot, number, "needs-plan")
    errors = [c for c in bot.fake.comments(OWNER, REPO, number) if "<!-- planbot:config-error" in c.body]
    assert len(errors) == 1


def test_an_issue_waiting_for_detail_under_the_repositorys_own_labels_resumes_when_edited(bot: Bot) -> None:
    open_issue(bot, body="make it faster")  # the constitution; this issue carries the app's label
    number = bot.fake.add_issue(OWNER, REPO, "Field service work orders", "make it faster", author="maria",
                                labels=["plan-me"])
    own_config(bot, "labels:\n  trigger: plan-me\n  needs_detail: more-info\n")
    label_named(bot, number, "plan-me")
    assert "more-info" in bot.fake.issue(OWNER, REPO, number).labels

    with bot.fake.world.lock:  # the author edits the issue
        bot.fake._repo(OWNER, REPO).issues[number].body = SPEC
    labels = [{"name": name} for name in bot.fake.issue(OWNER, REPO, number).labels]
    bot.deliver("issues", payload("issues.labeled", action="edited", issue__number=number, issue__labels=labels,
                                  issue__body=SPEC))
    bot.work()
    assert [b for b in bot.fake.branches(OWNER, REPO) if b != "main"] == ["001-field-service-work-orders"]
    assert bot.fake.history(OWNER, REPO, "001-field-service-work-orders")[0].message.endswith(f"Refs #{number}")
