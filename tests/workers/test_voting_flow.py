"""From votes to a reviewed plan and back: real webhook payloads into the web app, a real RQ
worker on a throw-away Redis, the fake GitHub as the other side.

label → decision comments → reactions and replies → tally → one artifacts commit and the plan
pull request with its check run → changes requested → a re-plan commit → merged → labels.
"""

from __future__ import annotations

import time

import pytest
from rq import SimpleWorker

from bot.jobs import IssueRef, JobKind, JobRequest
from bot.plan_state import PlanPhase, StateStore
from bot.queue import enqueue_job
from tests.fakegithub.fixtures import INSTALLATION_ID, OWNER, REPO
from tests.workers.conftest import Bot, payload
from tests.workers.test_start_plan import label, open_issue

BRANCH = "001-field-service-work-orders"
FOLDER = f"specs/{BRANCH}"
MAINTAINERS = ("maria", "bob", "carol")


def issue_ref(number: int) -> IssueRef:
    return IssueRef(installation_id=INSTALLATION_ID, owner=OWNER, repo=REPO, number=number)


def start(bot: Bot, config: str | None = None) -> int:
    for login in MAINTAINERS:
        bot.fake.set_role(OWNER, REPO, login, "write")
    if config is not None:
        bot.fake.push(OWNER, REPO, "main", {".github/planbot.yml": config}, message="planbot settings")
    number = open_issue(bot)
    label(bot, number)
    return number


def state(bot: Bot, number: int):  # noqa: ANN201 - the test's view of the plan state
    found = StateStore(bot.redis).load(issue_ref(number))
    assert found is not None
    return found


def td_comment(bot: Bot, number: int, td: str) -> int:
    return next(c.id for c in bot.fake.comments(OWNER, REPO, number) if c.body.startswith(f"### {td}:"))


def say(bot: Bot, number: int, body: str, author: str = "maria") -> int:
    """A person comments on the issue (or pull request); the webhook is delivered and the jobs run."""
    comment_id = bot.fake.add_comment(OWNER, REPO, number, body, author=author)
    event = payload("issue_comment.created", issue__number=number, comment__id=comment_id, comment__body=body,
                    comment__user__login=author, sender__login=author)
    event["issue"]["labels"] = [{"name": "needs-plan"}]
    event["issue"].pop("pull_request", None)
    bot.deliver("issue_comment", event)
    bot.work()
    return comment_id


def status_text(bot: Bot, number: int) -> str:
    return next(c.body for c in bot.fake.comments(OWNER, REPO, number) if "<!-- planbot:status" in c.body)


def published(bot: Bot):  # noqa: ANN201 - (issue number, plan state, pull request body, commits on the branch)
    """A plan taken through voting to its open pull request."""
    number = start(bot)
    decide_everything(bot, number)
    plan = state(bot, number)
    assert plan.pull_number is not None
    return number, plan, bot.fake.pulls(OWNER, REPO)[0].body, len(bot.fake.history(OWNER, REPO, BRANCH))


def comment_on_pull(bot: Bot, pull_number: int, body: str, *, author: str, pull_body: str | None) -> None:
    """A person comments on the plan pull request; the webhook is delivered (the jobs do not run yet)."""
    comment_id = bot.fake.add_comment(OWNER, REPO, pull_number, body, author=author)
    event = payload("issue_comment.created", issue__number=pull_number, comment__id=comment_id, comment__body=body,
                    comment__user__login=author, sender__login=author)
    event["issue"]["pull_request"] = {"url": f"{bot.fake.url}/repos/{OWNER}/{REPO}/pulls/{pull_number}"}
    event["issue"]["body"] = pull_body
    bot.deliver("issue_comment", event)


def tally(bot: Bot, number: int, *, failures: int = 0) -> None:
    """A scheduled tally, run now (`failures`: jobs that failed earlier in the test)."""
    request = JobRequest(kind=JobKind.TALLY, issue=issue_ref(number), delivery_id=f"test-{time.monotonic_ns()}",
                         sender="scheduler")
    enqueue_job(bot.queue, request, retry=None)
    bot.work(failures=failures)


def decide_everything(bot: Bot, number: int) -> None:
    """`/plan approve` until every decision (those posted later included) is taken."""
    for _ in range(6):
        if state(bot, number).phase is not PlanPhase.VOTING:
            return
        say(bot, number, "/plan approve", author="carol")
    raise AssertionError("voting never ended")


def test_votes_decide_and_the_plan_pull_request_goes_round_the_review_loop(bot: Bot) -> None:
    number = start(bot)
    td = sorted(state(bot, number).posted)[0]
    comment = td_comment(bot, number, td)
    bot.fake.add_reaction(OWNER, REPO, "heart", user="maria", comment=comment)
    bot.fake.add_reaction(OWNER, REPO, "heart", user="bob", comment=comment)
    bot.fake.add_reaction(OWNER, REPO, "rocket", user="stranger", comment=comment)  # not a collaborator
    tally(bot, number)
    counted = state(bot, number).tallies[td]
    assert counted.counts == {"C": 2} or counted.counts.get("C") == 2
    assert "stranger" not in counted.voters()
    assert "Votes so far" in next(c.body for c in bot.fake.comments(OWNER, REPO, number) if c.id == comment)

    say(bot, number, f"/decide {td} A we already run this", author="bob")
    outcome = state(bot, number).outcomes[td]
    assert outcome.option == "A" and outcome.decided_by == ["bob"] and "we already run this" in outcome.rationale
    assert ("planbot[bot]", "+1") in [(u, c) for u, c in bot.fake.comment_reactions(OWNER, REPO, max(
        c.id for c in bot.fake.comments(OWNER, REPO, number) if c.author == "bob"))]

    main_commits = len(bot.fake.history(OWNER, REPO, "main"))
    decide_everything(bot, number)
    plan = state(bot, number)
    assert plan.phase is PlanPhase.REVIEW and plan.pull_number is not None
    history = bot.fake.history(OWNER, REPO, BRANCH)
    assert len(history) == main_commits + 2  # spec and decisions, then ONE commit with every artifact
    files = bot.fake.files(OWNER, REPO, BRANCH)
    for name in ("plan.md", "research.md", "data-model.md", "tasks.md", "executive-summary.md", "dependencies.md"):
        assert f"{FOLDER}/{name}" in files
    assert ".specify/memory/technical-decisions-log.json" in files
    pulls = bot.fake.pulls(OWNER, REPO)
    assert len(pulls) == 1 and pulls[0].head == BRANCH and f"Refs #{number}" in (pulls[0].body or "")
    assert f"{td} " in (pulls[0].body or "") and "bob" in (pulls[0].body or "")
    runs = bot.fake.check_runs(OWNER, REPO)
    assert [r.name for r in runs] == ["planbot/validate"] and runs[0].head_sha == history[0].sha
    assert "plan-in-review" in bot.fake.issue(OWNER, REPO, number).labels

    # a review that requests changes: a new commit with the feedback, and an answer on the pull request
    review = bot.fake.add_review(OWNER, REPO, plan.pull_number, user="maria", state="CHANGES_REQUESTED",
                                 body="Cache the dispatch board reads in Redis.",
                                 comments=[(f"{FOLDER}/plan.md", 3, "Say which Redis.")])
    event = payload("pull_request_review.submitted", pull_request__number=plan.pull_number,
                    review__id=review, sender__login="maria")
    event["pull_request"]["body"] = pulls[0].body
    event["review"]["user"]["login"] = "maria"
    bot.deliver("pull_request_review", event)
    bot.work()
    after = bot.fake.history(OWNER, REPO, BRANCH)
    assert len(after) == len(history) + 1
    plan_md = bot.fake.files(OWNER, REPO, BRANCH)[f"{FOLDER}/plan.md"].decode()
    assert "Cache the dispatch board reads in Redis." in plan_md
    answers = [c for c in bot.fake.comments(OWNER, REPO, plan.pull_number) if c.body.startswith("### Re-planned")]
    assert len(answers) == 1 and f"{FOLDER}/plan.md" in answers[0].body

    # the same review delivered again changes nothing
    bot.deliver("pull_request_review", event)
    bot.work()
    assert len(bot.fake.history(OWNER, REPO, BRANCH)) == len(after)

    # merged: the issue is planned and leaves the trigger label
    bot.fake.merge_pull(OWNER, REPO, plan.pull_number, merged_by="maria")
    closed = payload("pull_request.closed", pull_request__number=plan.pull_number, sender__login="maria")
    closed["pull_request"]["body"] = pulls[0].body
    closed["pull_request"]["merged"] = True
    bot.deliver("pull_request", closed)
    bot.work()
    labels = bot.fake.issue(OWNER, REPO, number).labels
    assert "planned" in labels and "needs-plan" not in labels and "plan-in-review" not in labels
    assert state(bot, number).phase is PlanPhase.DONE


def test_nobody_votes_the_recommendations_become_provisional_with_review_tasks(bot: Bot) -> None:
    number = start(bot, config="voting:\n  window_hours: 0.0003\n")  # about a second
    for _ in range(6):
        time.sleep(1.2)
        tally(bot, number)
        if state(bot, number).phase is not PlanPhase.VOTING:
            break
    plan = state(bot, number)
    assert plan.phase is PlanPhase.REVIEW
    assert all(choice.provisional for choice in plan.outcomes.values())
    tasks = bot.fake.files(OWNER, REPO, BRANCH)[f"{FOLDER}/tasks.md"].decode()
    assert "PROVISIONAL DECISION" in tasks and "Review" in tasks and "migration" in tasks.lower()


def test_a_tie_and_a_double_voter_leave_the_recommendation_and_a_veto_blocks(bot: Bot) -> None:
    number = start(bot, config="voting:\n  window_hours: 0.0003\n")
    posted = sorted(state(bot, number).posted)
    tied, vetoed = posted[0], posted[1]
    tie_comment, veto_comment = td_comment(bot, number, tied), td_comment(bot, number, vetoed)
    bot.fake.add_reaction(OWNER, REPO, "rocket", user="maria", comment=tie_comment)
    bot.fake.add_reaction(OWNER, REPO, "hooray", user="bob", comment=tie_comment)
    bot.fake.add_reaction(OWNER, REPO, "rocket", user="carol", comment=tie_comment)  # carol votes twice:
    bot.fake.add_reaction(OWNER, REPO, "hooray", user="carol", comment=tie_comment)  # she counts for neither
    bot.fake.add_reaction(OWNER, REPO, "-1", user="bob", comment=veto_comment)
    time.sleep(1.2)
    tally(bot, number)
    plan = state(bot, number)
    assert plan.tallies[tied].spoiled == ["carol"]
    assert plan.outcomes[tied].provisional and plan.outcomes[tied].option == plan.posted[tied].recommendation
    assert vetoed not in plan.outcomes and plan.blocked() == {vetoed: ["bob"]}
    status = next(c.body for c in bot.fake.comments(OWNER, REPO, number) if "<!-- planbot:status" in c.body)
    assert "BLOCKED by bob" in status

    say(bot, number, f"/decide {vetoed} A settled in the meeting", author="bob")
    assert state(bot, number).outcomes[vetoed].option == "A"


def test_a_forged_marker_and_a_strangers_decide_change_nothing(bot: Bot) -> None:
    number = start(bot)
    td = sorted(state(bot, number).posted)[0]
    forged = '### planbot plan status\n\n<!-- planbot:status -->\n<!-- planbot:state {"phase": "done"} -->'
    say(bot, number, forged, author="mallory")
    say(bot, number, f"/decide {td} A", author="mallory")
    plan = state(bot, number)
    assert plan.phase is PlanPhase.VOTING and td not in plan.outcomes


def test_an_unchanged_issue_costs_one_conditional_request_answered_304(bot: Bot) -> None:
    number = start(bot)
    tally(bot, number)
    bot.fake.clear_requests()
    tally(bot, number)
    asked = bot.fake.requests()
    listings = [r for r in asked if r.method == "GET" and r.path.endswith(f"/issues/{number}/comments")]
    assert len(listings) == 1 and listings[0].status == 304
    assert not bot.fake.writes()
    assert not [r for r in asked if "/reactions" in r.path]


def test_an_unknown_decision_in_decide_gets_a_reply(bot: Bot) -> None:
    number = start(bot)
    say(bot, number, "/decide TD099 B", author="maria")
    replies = [c for c in bot.fake.comments(OWNER, REPO, number) if "could not act on" in c.body]
    assert len(replies) == 1 and "TD099" in replies[0].body


@pytest.mark.parametrize("requests", [2])
def test_two_replan_requests_at_once_make_two_commits_in_turn(bot: Bot, requests: int) -> None:
    number, plan, body, before = published(bot)
    for text in ["/replan add a rate limit on uploads", "/replan name the SMS provider"][:requests]:
        comment_on_pull(bot, plan.pull_number, text, author="maria", pull_body=body)
    bot.work()  # both queued before either ran: the plan lock takes them one after the other
    assert len(bot.fake.history(OWNER, REPO, BRANCH)) == before + requests
    plan_md = bot.fake.files(OWNER, REPO, BRANCH)[f"{FOLDER}/plan.md"].decode()
    assert "add a rate limit on uploads" in plan_md and "name the SMS provider" in plan_md


def test_conflicting_choices_go_back_to_a_vote_once(bot: Bot) -> None:
    number = start(bot)
    say(bot, number, "/decide TD005 B we want one serverless function per endpoint", author="bob")
    conflicts: list = []
    for _ in range(4):  # decisions posted later (after those they depend on) need approving in turn
        say(bot, number, "/plan approve", author="carol")  # TD008 takes its recommendation: it needs workers
        plan = state(bot, number)
        conflicts = [c for c in bot.fake.comments(OWNER, REPO, number) if c.body.startswith("### Decisions that conflict")]
        if conflicts or plan.phase is not PlanPhase.VOTING:
            break
    assert len(conflicts) == 1 and "TD005" in conflicts[0].body and "TD008" in conflicts[0].body
    assert plan.phase is PlanPhase.VOTING and "TD005" not in plan.outcomes and "TD008" not in plan.outcomes
    assert sorted(plan.reopened) == ["TD005", "TD008"]
    decide_everything(bot, number)  # the recommendations do not clash: the plan is published
    assert state(bot, number).phase is PlanPhase.REVIEW


def test_decide_on_the_pull_request_changes_the_decision_and_a_closed_pull_request_rejects(bot: Bot) -> None:
    number, plan, body, before = published(bot)
    comment_on_pull(bot, plan.pull_number, "/decide TD002 B we already run a document store", author="bob",
                    pull_body=body)
    bot.work()
    assert state(bot, number).outcomes["TD002"].option == "B"
    assert len(bot.fake.history(OWNER, REPO, BRANCH)) == before + 1
    decisions = bot.fake.files(OWNER, REPO, BRANCH)[f"{FOLDER}/decisions.md"].decode()
    assert "we already run a document store" in decisions

    bot.fake.close_pull(OWNER, REPO, plan.pull_number)
    closed = payload("pull_request.closed", pull_request__number=plan.pull_number, sender__login="maria")
    closed["pull_request"]["body"] = body
    closed["pull_request"]["merged"] = False
    bot.deliver("pull_request", closed)
    bot.work()
    labels = bot.fake.issue(OWNER, REPO, number).labels
    assert "plan-rejected" in labels and "plan-in-review" not in labels
    assert state(bot, number).phase is PlanPhase.REJECTED


def test_a_github_failure_while_publishing_is_finished_by_the_next_tally(bot: Bot) -> None:
    number = start(bot)
    main_commits = len(bot.fake.history(OWNER, REPO, "main"))
    bot.fake.fail("/repos/acme/widgets/pulls$", "POST", status=502, times=bot.rt_retry_attempts)
    for _ in range(6):  # approve until every decision is taken; opening the pull request then fails
        if state(bot, number).phase is not PlanPhase.VOTING:
            break
        comment_id = bot.fake.add_comment(OWNER, REPO, number, "/plan approve", author="carol")
        event = payload("issue_comment.created", issue__number=number, comment__id=comment_id,
                        comment__body="/plan approve", comment__user__login="carol", sender__login="carol")
        event["issue"]["labels"] = [{"name": "needs-plan"}]
        bot.deliver("issue_comment", event)
        SimpleWorker([bot.queue], connection=bot.redis).work(burst=True)
    assert bot.queue.failed_job_registry.count == 1
    assert state(bot, number).phase is PlanPhase.GENERATION and bot.fake.pulls(OWNER, REPO) == []
    failed = [c for c in bot.fake.comments(OWNER, REPO, number) if c.body.startswith("### planbot could not finish")]
    assert len(failed) == 1 and "HTTP 502" in failed[0].body and "/plan restart" in failed[0].body
    assert "failed" in status_text(bot, number) and "HTTP 502" in status_text(bot, number)
    tally(bot, number, failures=1)  # the scheduled tally (run now) finishes what the failed job started
    assert state(bot, number).phase is PlanPhase.REVIEW and state(bot, number).failure is None
    assert len(bot.fake.pulls(OWNER, REPO)) == 1
    assert len(bot.fake.history(OWNER, REPO, BRANCH)) == main_commits + 2  # still ONE artifacts commit


def test_labelling_schedules_the_first_tally(bot: Bot) -> None:
    from rq.registry import ScheduledJobRegistry

    number = start(bot)
    scheduled = ScheduledJobRegistry(queue=bot.queue).get_job_ids()
    assert len(scheduled) == 1 and scheduled[0].startswith("tally-scheduled-")
    assert state(bot, number).next_tally_at is not None
    tally(bot, number)  # an earlier tally than the scheduled one adds no second schedule
    assert len(ScheduledJobRegistry(queue=bot.queue).get_job_ids()) == 1
