"""GitHub requests per plan over a full voting cycle, for plans with 1, 5 and 10 decisions, beside
a naive bot.

    python bench/api_calls.py [--polls 864] [--decisions 1 5 10]

Each plan runs against the fake GitHub (tests/fakegithub) with a throw-away redis-server: the
issue is labelled, decision comments are posted, `--polls` scheduled tallies run while people
react (one new reaction on one decision per poll, for as many polls as there are decisions), then
`/plan approve` settles what is open (again for decisions posted after the ones they depend on),
the artifacts are committed and the plan pull request opened with its check run.

planbot's requests are counted as the fake recorded them: reads (GETs; 304 answers apart, since
they cost no rate limit), writes (every mutating request) and content-creating writes (comments,
reactions, pull requests: the ones GitHub asks integrators to keep under 80 a minute).

The naive bot is computed from the same cycle: it lists the comments without an ETag on every
poll (a full read each time) and lists the reactions of every posted decision on every poll; it
commits with the Contents API, one PUT per file (and one GET per file for its blob id).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import redis  # noqa: E402

from bot.github.client import GitHubApp  # noqa: E402
from bot.github.retry import RetryPolicy  # noqa: E402
from bot.jobs import IssueRef, JobKind, JobRequest  # noqa: E402
from bot.plan_state import PlanPhase, StateStore  # noqa: E402
from bot.planning import engine  # noqa: E402
from bot.planning.engine import PlanRequest  # noqa: E402
from bot.planning.ports import MappingSource  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.voting import OPTION_REACTIONS  # noqa: E402
from tests.conftest import RedisServer  # noqa: E402
from tests.fakegithub.fixtures import APP_ID, APP_SLUG, INSTALLATION_ID, OWNER, REPO, make_app_key  # noqa: E402
from tests.fakegithub.server import FakeGitHub  # noqa: E402
from workers import runtime as runtime_module  # noqa: E402
from workers.runtime import Runtime  # noqa: E402
from workers.start_plan import StartPlan  # noqa: E402
from workers.voting import CollectVotes  # noqa: E402

SPEC = ROOT / "examples" / "spec.md"
CONSTITUTION = ROOT / "examples" / "repo" / ".specify" / "memory" / "constitution.md"
PEOPLE = ("maria", "bob", "carol", "dev")
TRIMMABLE = re.compile(r"^- (\*\*(FR|SC)-\d+\*\*|\S)")


def decision_count(text: str, constitution: str) -> int:
    prepared = engine.prepare(PlanRequest(text=text, spec_source="spec.md"),
                              MappingSource({".specify/memory/constitution.md": constitution}), [])
    return len(prepared.analysis.decisions)


def spec_with_decisions(text: str, constitution: str, wanted: int) -> tuple[str, int]:
    """The sample spec with list items dropped, last first, while it still raises at least
    `wanted` decisions: a spec of the same shape that raises (about) that many."""
    lines = text.splitlines(keepends=True)
    count = decision_count(text, constitution)
    for index in range(len(lines) - 1, -1, -1):
        if count <= wanted:
            break
        if not TRIMMABLE.match(lines[index]):
            continue
        trial = lines[:index] + lines[index + 1:]
        trial_count = decision_count("".join(trial), constitution)
        if trial_count >= wanted:
            lines, count = trial, trial_count
    return "".join(lines), count


@dataclass
class Counts:
    reads: int
    not_modified: int
    writes: int
    content: int


def counted(fake: FakeGitHub) -> Counts:
    asked = [r for r in fake.requests() if r.auth == "token"]
    return Counts(
        reads=sum(1 for r in asked if r.method == "GET" and r.status != 304),
        not_modified=sum(1 for r in asked if r.method == "GET" and r.status == 304),
        writes=sum(1 for r in asked if r.is_write),
        content=sum(1 for r in asked if r.is_content_creating),
    )


def run_plan(fake: FakeGitHub, rt: Runtime, spec: str, constitution: str, polls: int, number_of: int) -> dict[str, int]:
    fake.reset()
    fake.install(OWNER, INSTALLATION_ID)
    fake.add_repo(OWNER, REPO, files={"README.md": "# widgets\n", ".specify/memory/constitution.md": constitution})
    for login in PEOPLE:
        fake.set_role(OWNER, REPO, login, "write")
    number = fake.add_issue(OWNER, REPO, "Field service work orders", spec, author="maria", labels=["needs-plan"])
    issue = IssueRef(installation_id=INSTALLATION_ID, owner=OWNER, repo=REPO, number=number)
    rt.redis.flushall()
    fake.clear_requests()

    def request(kind: JobKind, tag: str) -> JobRequest:
        return JobRequest(kind=kind, issue=issue, delivery_id=f"bench-{tag}-{time.monotonic_ns()}", sender="maria")

    StartPlan(rt, request(JobKind.START_PLAN, "label")).run()
    states = StateStore(rt.redis)
    naive_reads = 0
    reactions = list(OPTION_REACTIONS.values())
    for poll in range(polls):
        state = states.load(issue)
        assert state is not None
        posted = sorted(state.posted)
        if poll < number_of and posted:
            td = posted[poll % len(posted)]
            fake.add_reaction(OWNER, REPO, reactions[poll % 2].content, user=PEOPLE[poll % len(PEOPLE)],
                              comment=state.posted[td].comment_id)
        CollectVotes(rt, request(JobKind.TALLY, f"poll{poll}")).run()
        naive_reads += 1 + len(posted)  # a full comment listing and every decision's reactions
    for round_ in range(6):
        state = states.load(issue)
        assert state is not None
        if state.phase is not PlanPhase.VOTING:
            break
        fake.add_comment(OWNER, REPO, number, "/plan approve", author="carol")
        CollectVotes(rt, request(JobKind.TALLY, f"approve{round_}")).run()
        naive_reads += 1 + len(state.posted)
    state = states.load(issue)
    assert state is not None and state.phase is PlanPhase.REVIEW, (state.phase, state.failure) if state else None
    ours = counted(fake)
    commits = [r for r in fake.requests() if r.auth == "token" and r.method == "POST" and r.path.endswith("/git/commits")]
    tree_requests = [r for r in fake.requests() if r.auth == "token" and r.method == "POST" and r.path.endswith("/git/trees")]
    files_written = sum(len(r.body.get("tree", [])) for r in tree_requests if isinstance(r.body, dict))
    ours_listing = sum(1 for r in fake.requests() if r.auth == "token" and r.method == "GET"
                       and re.search(rf"/issues/{number}/comments$", r.path))
    ours_reactions = sum(1 for r in fake.requests() if r.auth == "token" and r.method == "GET"
                         and re.search(r"/issues/comments/\d+/reactions$", r.path))
    git_writes = 3 * len(commits)  # tree, commit, ref per commit
    naive = Counts(
        reads=ours.reads + ours.not_modified - ours_listing - ours_reactions + naive_reads + files_written,
        not_modified=0,
        writes=ours.writes - git_writes + files_written,
        content=ours.content,
    )
    return {"decisions": len(state.posted), "reads": ours.reads, "304": ours.not_modified, "writes": ours.writes,
            "content": ours.content, "naive_reads": naive.reads, "naive_writes": naive.writes,
            "naive_content": naive.content, "files": files_written}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polls", type=int, default=864, help="scheduled tallies while voting is open")
    parser.add_argument("--decisions", type=int, nargs="+", default=[1, 5, 10])
    args = parser.parse_args()
    text, constitution = SPEC.read_text(encoding="utf-8"), CONSTITUTION.read_text(encoding="utf-8")
    key = make_app_key()
    with tempfile.TemporaryDirectory() as folder, FakeGitHub(app_id=APP_ID, app_public_key_pem=key.public_pem,
                                                           app_slug=APP_SLUG) as fake:
        server = RedisServer(Path(folder))
        try:
            settings = Settings(  # type: ignore[call-arg]
                APP_ID=APP_ID, PRIVATE_KEY=key.private_pem, WEBHOOK_SECRET="bench", REDIS_URL=server.url,
                GITHUB_API_URL=fake.url, PLANBOT_WRITE_INTERVAL_SECONDS=0.0, PLANBOT_QUEUE="bench")
            connection = redis.Redis.from_url(server.url)
            rt = Runtime(settings=settings, redis=connection,
                         app=GitHubApp(settings, connection, retry=RetryPolicy(base_delay=0.01, max_delay=0.05)),
                         states=StateStore(connection))
            runtime_module.install(rt)
            print(f"{args.polls} polls per voting cycle; naive = no ETag, reactions of every decision on every poll,"
                  " one Contents API request per file")
            print(f"{'TDs':>4} {'reads':>6} {'304s':>5} {'writes':>7} {'content':>8} | {'naive reads':>11}"
                  f" {'naive writes':>12} {'naive content':>13} | {'reads ×':>8} {'writes ×':>9}")
            for wanted in args.decisions:
                spec, _ = spec_with_decisions(text, constitution, wanted)
                row = run_plan(fake, rt, spec, constitution, args.polls, wanted)
                print(f"{row['decisions']:>4} {row['reads']:>6} {row['304']:>5} {row['writes']:>7} {row['content']:>8} |"
                      f" {row['naive_reads']:>11} {row['naive_writes']:>12} {row['naive_content']:>13} |"
                      f" {row['naive_reads'] / max(row['reads'], 1):>8.2f} {row['naive_writes'] / max(row['writes'], 1):>9.2f}")
            print("reads × and writes × are naive ÷ planbot: how many times more requests the naive bot makes")
        finally:
            runtime_module.install(None)
            server.stop()


if __name__ == "__main__":
    main()
