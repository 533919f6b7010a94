"""Chaos run: many plans through the whole GitHub flow while workers die, Redis loses its data,
deliveries go missing and GitHub answers 502 and secondary rate limits.

    python bench/chaos.py [--plans P] [--kills K] [--drop 0.1] [--seed N] [--timeout 600]

Starts the fake GitHub (in this process), a throw-away redis-server, `planbot serve` and three
`planbot worker` processes on free ports, opens P issues labelled `needs-plan` with the example
spec, and delivers their label events (a `--drop` share never reaches the web app; the delivery log
says so, and only the sweep brings them back). Voting windows are a few seconds long
(`.github/planbot.yml`), so every plan closes on its own and gets its pull request. During the fault
window it SIGKILLs a worker K times (a replacement starts each time), restarts redis-server once with
its data lost, and arms bursts of 502 and 403 secondary-rate-limit answers. The sweep runs here every
few seconds. At the end it prints what was completed, duplicated and lost, and one final line
`plans C/P completed, duplicates D, lost L`; the exit status is 0 only when nothing was duplicated
or lost. Logs of every process stay in the printed work folder.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.github.comments import parse_markers
from bot.web.headers import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    WEBHOOK_PATH,
)
from bot.web.signature import sign
from tests.fakegithub import FakeGitHub
from tests.fakegithub.deliveries import DeliveryView
from tests.fakegithub.fixtures import (
    APP_ID,
    APP_SLUG,
    INSTALLATION_ID,
    OWNER,
    REPO,
    make_app_key,
)
from tests.conftest import RedisServer
from tests.listening import free_port, wait_until_listening

SECRET = "a webhook secret for the chaos run"
QUEUE = "planbot-chaos"
WORKERS = 3
SPEC = (ROOT / "examples" / "spec.md").read_text(encoding="utf-8")
CONSTITUTION = (ROOT / "examples" / "repo" / ".specify" / "memory" / "constitution.md").read_text(encoding="utf-8")
CONFIG = "voting:\n  window_hours: 0.001\n"  # 3.6 s: plans close on their own, without votes
LABELED = json.loads((ROOT / "tests" / "fixtures" / "webhooks" / "issues.labeled.json").read_text(encoding="utf-8"))
SWEEP_EVERY_SECONDS = 5.0
BURST_EVERY_SECONDS = 8.0
POLL_SECONDS = 0.5
API_PATHS = r"/repos/.*"
REFS = re.compile(r"\bRefs #(\d+)\b")  # every repository call may be hit by a burst

log = logging.getLogger("chaos")


# -- the processes -------------------------------------------------------------------------------


def environment(fake: FakeGitHub, private_pem: str, redis_url: str) -> dict[str, str]:
    """The settings every planbot process gets: the fake GitHub, short intervals, no model, no research."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PRIVATE_KEY_PATH", "PLANBOT_MODEL", "PLANBOT_MCP_SERVERS", "GHE_HOST")}
    return env | {
        "APP_ID": str(APP_ID),
        "PRIVATE_KEY": private_pem,
        "WEBHOOK_SECRET": SECRET,
        "REDIS_URL": redis_url,
        "GITHUB_API_URL": fake.url,
        "PLANBOT_QUEUE": QUEUE,
        "PLANBOT_WRITE_INTERVAL_SECONDS": "0",
        "PLANBOT_LOCK_TTL_SECONDS": "5",
        "PLANBOT_TALLY_INTERVAL_SECONDS": "5",
        "PLANBOT_SWEEP_INTERVAL_SECONDS": "30",
        "PLANBOT_WORKER_STALE_SECONDS": "20",
        "PLANBOT_JOB_RETRY_SECONDS": "2",  # 2 s, 8 s, 32 s: a failed job is back within the run
    }


@dataclass
class Workers:
    """The worker processes: each in its own process group, so a kill takes its job's work horse too."""

    env: dict[str, str]
    folder: Path
    running: list[subprocess.Popen[bytes]] = field(default_factory=list)
    started: int = 0
    exited_by_themselves: list[int] = field(default_factory=list)  # exit codes

    def start(self) -> None:
        self.started += 1
        out = open(self.folder / f"worker-{self.started}.log", "wb")  # noqa: SIM115 - the process holds it
        self.running.append(subprocess.Popen(
            [sys.executable, "-m", "bot", "worker", "--name", f"chaos-{self.started}"], cwd=ROOT, env=self.env,
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True))

    def kill_one(self, rng: random.Random) -> int:
        victim = rng.choice(self.running)
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait(timeout=10)
        self.running.remove(victim)
        self.start()
        return victim.pid

    def supervise(self) -> None:
        """Replace a worker that ended by itself (as a process manager would), and note it."""
        for proc in list(self.running):
            if proc.poll() is not None:
                self.exited_by_themselves.append(proc.returncode)
                self.running.remove(proc)
                self.start()

    def stop(self) -> None:
        for proc in self.running:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
        for proc in self.running:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def start_serve(env: dict[str, str], folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    out = open(folder / "serve.log", "wb")  # noqa: SIM115 - the process holds it
    proc = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=out, stderr=subprocess.STDOUT)
    wait_until_listening(port, proc, seconds=30, what="planbot serve")
    return proc, f"http://127.0.0.1:{port}{WEBHOOK_PATH}"


# -- deliveries ----------------------------------------------------------------------------------


@dataclass
class Deliveries:
    """Label deliveries into the web app, each recorded in the fake's delivery log."""

    fake: FakeGitHub
    url: str
    dropped: int = 0
    sent: int = 0
    recovered: int = 0  # redeliveries the web app accepted
    lock: threading.Lock = field(default_factory=threading.Lock)

    def post(self, event: str, body: bytes, headers: dict[str, str]) -> int:
        try:
            return httpx.post(self.url, content=body, headers=headers, timeout=10).status_code
        except httpx.HTTPError:
            return 0

    def label(self, number: int, *, drop: bool) -> None:
        payload = json.loads(json.dumps(LABELED))
        payload["installation"]["id"] = INSTALLATION_ID
        payload["repository"]["name"] = REPO
        payload["repository"]["full_name"] = f"{OWNER}/{REPO}"
        payload["repository"]["owner"]["login"] = OWNER
        payload["issue"]["number"] = number
        guid = str(uuid.uuid4())
        if drop:
            self.fake.log_delivery("issues", "labeled", payload, status_code=0, guid=guid)
            self.dropped += 1
            return
        body = json.dumps(payload, separators=(",", ":")).encode()
        status = self.post("issues", body, {"Content-Type": "application/json", EVENT_HEADER: "issues",
                                            DELIVERY_HEADER: guid, SIGNATURE_HEADER: sign(body, SECRET.encode())})
        self.fake.log_delivery("issues", "labeled", payload, status_code=status, guid=guid)
        self.sent += 1

    def redeliver(self, item: DeliveryView, payload: dict[str, Any]) -> int:
        """The fake's redelivery: the same bytes and headers GitHub sent the first time."""
        status = self.post(item.event, item.body, item.headers)
        if 200 <= status < 300:
            with self.lock:
                self.recovered += 1
        return status


# -- the sweep, here ------------------------------------------------------------------------------


@dataclass
class Sweeper:
    """Runs `workers.sweep.Sweep` every few seconds with a runtime installed in this process."""

    settings_env: dict[str, str]
    runs: int = 0
    failures: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def loop(self) -> None:
        from redis import Redis as Client

        from bot.github.client import GitHubApp
        from bot.plan_state import StateStore
        from bot.settings import Settings
        from workers import runtime as runtime_module
        from workers.runtime import Runtime
        from workers.sweep import Sweep

        names = ("APP_ID", "PRIVATE_KEY", "WEBHOOK_SECRET", "REDIS_URL", "GITHUB_API_URL", "PLANBOT_QUEUE",
                 "PLANBOT_WRITE_INTERVAL_SECONDS", "PLANBOT_LOCK_TTL_SECONDS", "PLANBOT_TALLY_INTERVAL_SECONDS",
                 "PLANBOT_SWEEP_INTERVAL_SECONDS", "PLANBOT_WORKER_STALE_SECONDS", "PLANBOT_JOB_RETRY_SECONDS")
        settings = Settings(**{name: self.settings_env[name] for name in names})  # type: ignore[arg-type]
        connection = Client.from_url(settings.redis_url)
        rt = Runtime(settings=settings, redis=connection, app=GitHubApp(settings, connection),
                     states=StateStore(connection))
        runtime_module.install(rt)
        while not self.stop.wait(SWEEP_EVERY_SECONDS):
            try:
                Sweep(rt).run()
                self.runs += 1
            except Exception as exc:  # noqa: BLE001 - Redis down or a burst: the next sweep tries again
                self.failures.append(f"{type(exc).__name__}: {' '.join(str(exc).split())[:160]}")


# -- the result ----------------------------------------------------------------------------------


@dataclass
class Outcome:
    completed: list[int]
    lost: list[int]
    duplicates: Counter[str]
    details: list[str]
    shared: dict[str, list[int]]  # feature branches that carry the commits of more than one issue


def refs(message: str) -> set[int]:
    """The issues a commit message names with `Refs #N` (whole numbers: #1 is not #12)."""
    return {int(found) for found in REFS.findall(message)}


def examine(fake: FakeGitHub, issues: list[int]) -> Outcome:
    """What GitHub holds now: a pull request per issue, and everything that exists twice."""
    duplicates: Counter[str] = Counter()
    details: list[str] = []
    pulls_of: dict[int, list[int]] = {n: [] for n in issues}
    for pull in fake.pulls(OWNER, REPO):
        for marker in parse_markers(pull.body or ""):
            if marker.kind == "plan" and marker.data and marker.data.get("issue") in pulls_of:
                pulls_of[int(marker.data["issue"])].append(pull.number)
    main = {c.sha for c in fake.history(OWNER, REPO, "main")}
    branches_of: dict[int, list[str]] = {n: [] for n in issues}
    commits_of: dict[int, Counter[str]] = {n: Counter() for n in issues}
    for branch in fake.branches(OWNER, REPO):
        if branch == "main":
            continue
        own = [c for c in fake.history(OWNER, REPO, branch) if c.sha not in main]
        for number in issues:
            mine = [c for c in own if number in refs(c.message)]
            if mine:
                branches_of[number].append(branch)
                for commit in mine:
                    kind = "start commit" if "spec and technical decisions (PENDING)" in commit.message else "artifacts commit"
                    commits_of[number][kind] += 1
    for number in issues:
        extra = {"pull request": len(pulls_of[number]), "feature branch": len(branches_of[number]),
                 **commits_of[number]}
        markers: Counter[str] = Counter()
        reactions: Counter[str] = Counter(f"reaction {content} by {user} on the issue"
                                          for user, content in fake.issue_reactions(OWNER, REPO, number))
        for comment in fake.comments(OWNER, REPO, number):
            for marker in parse_markers(comment.body):
                if marker.kind != "state":  # the hidden state rides in the status comment
                    markers[f"{marker.kind} comment {marker.key or ''}".rstrip()] += 1
            reactions.update(f"reaction {content} by {user} on comment {comment.id}"
                             for user, content in fake.comment_reactions(OWNER, REPO, comment.id))
        extra.update(markers)
        extra.update(reactions)
        for what, count in extra.items():
            if count > 1:
                kind = "reaction" if what.startswith("reaction") else what.split(" TD")[0]
                duplicates[kind] += count - 1
                details.append(f"issue #{number}: {count} × {what}")
    shared: dict[str, list[int]] = {}
    for number, branches in branches_of.items():
        for branch in branches:
            shared.setdefault(branch, []).append(number)
    shared = {branch: numbers for branch, numbers in shared.items() if len(numbers) > 1}
    completed = [n for n in issues if pulls_of[n]]
    return Outcome(completed, [n for n in issues if not pulls_of[n]], duplicates, details, shared)


# -- the run -------------------------------------------------------------------------------------


@dataclass
class Faults:
    """The fault schedule: when each kill, the Redis restart and the bursts happen (seconds from the start)."""

    kills: list[float]
    redis_restart: float
    bursts: list[float]
    last_at: float = 0.0  # monotonic time of the last fault done
    log: list[str] = field(default_factory=list)


def schedule(rng: random.Random, kills: int, window: float) -> Faults:
    bursts = [t for t in (BURST_EVERY_SECONDS * i + rng.uniform(0, 2) for i in range(1, 100)) if t < window]
    return Faults(kills=sorted(rng.uniform(2.0, window) for _ in range(kills)),
                  redis_restart=rng.uniform(window / 3, window), bursts=bursts)


def seed_github(fake: FakeGitHub, plans: int) -> list[int]:
    fake.install(OWNER, INSTALLATION_ID)
    fake.add_repo(OWNER, REPO, files={"README.md": "# widgets\n"})
    fake.push(OWNER, REPO, "main", {".specify/memory/constitution.md": CONSTITUTION, ".github/planbot.yml": CONFIG},
              message="constitution and planbot settings")
    return [fake.add_issue(OWNER, REPO, f"Field service work orders {i + 1}", SPEC, author="maria",
                           labels=["needs-plan"]) for i in range(plans)]


def run(args: argparse.Namespace) -> int:
    rng = random.Random(args.seed)
    folder = Path(tempfile.mkdtemp(prefix="planbot-chaos-"))
    key = make_app_key()
    faults = schedule(rng, args.kills, args.fault_window)
    print(f"work folder {folder}")
    with FakeGitHub(app_id=APP_ID, app_public_key_pem=key.public_pem, app_slug=APP_SLUG,
                    webhook_secret=SECRET) as fake:
        redis = RedisServer(folder)
        env = environment(fake, key.private_pem, redis.url)
        serve, url = start_serve(env, folder)
        workers = Workers(env, folder)
        sweeper = Sweeper(env)
        sweep_thread = threading.Thread(target=sweeper.loop, name="sweep", daemon=True)
        try:
            for _ in range(WORKERS):
                workers.start()
            issues = seed_github(fake, args.plans)
            deliveries = Deliveries(fake, url)
            fake.on_redeliver = deliveries.redeliver
            started = time.monotonic()
            for number in issues:
                deliveries.label(number, drop=rng.random() < args.drop)
            if deliveries.dropped:
                faults.last_at = time.monotonic()
            sweep_thread.start()
            first_seen: dict[int, float] = {}
            while True:
                now = time.monotonic() - started
                while faults.kills and faults.kills[0] <= now:
                    faults.kills.pop(0)
                    pid = workers.kill_one(rng)
                    faults.last_at = time.monotonic()
                    faults.log.append(f"{now:6.1f} s  SIGKILL worker {pid}")
                if faults.redis_restart is not None and faults.redis_restart <= now:
                    redis.stop()
                    redis = RedisServer(folder, port=redis.port)
                    faults.redis_restart = None  # type: ignore[assignment]
                    faults.last_at = time.monotonic()
                    faults.log.append(f"{now:6.1f} s  redis-server restarted, its data lost")
                while faults.bursts and faults.bursts[0] <= now:
                    faults.bursts.pop(0)
                    fake.fail(API_PATHS, status=502, times=3)
                    fake.rate_limit(API_PATHS, retry_after=1, times=3)
                    faults.last_at = time.monotonic()
                    faults.log.append(f"{now:6.1f} s  burst: 3 × 502, 3 × 403 secondary rate limit")
                workers.supervise()
                for pull in fake.pulls(OWNER, REPO):
                    first_seen.setdefault(pull.number, time.monotonic())
                done = examine(fake, issues)
                if not done.lost and not faults.kills and faults.redis_restart is None and not faults.bursts:
                    break
                if now > args.timeout:
                    print(f"global timeout after {args.timeout:.0f} s")
                    break
                time.sleep(POLL_SECONDS)
            time.sleep(2.0)  # let jobs still running finish what they were writing, then look again
            outcome = examine(fake, issues)
            elapsed = time.monotonic() - started
        finally:
            sweeper.stop.set()
            workers.stop()
            serve.terminate()
            serve.wait(timeout=10)
            redis.stop()
        report(args, outcome, deliveries, faults, workers, sweeper, fake, first_seen, elapsed)
    return 0 if not outcome.lost and not outcome.shared and not sum(outcome.duplicates.values()) else 1


def report(args: argparse.Namespace, outcome: Outcome, deliveries: Deliveries, faults: Faults, workers: Workers,
           sweeper: Sweeper, fake: FakeGitHub, first_seen: dict[int, float], elapsed: float) -> None:
    print("faults:")
    for line in faults.log:
        print(f"  {line}")
    print(f"deliveries: {deliveries.sent} sent, {deliveries.dropped} dropped, {deliveries.recovered} recovered "
          f"by the sweep ({len(fake.redelivery_requests())} redeliveries asked)")
    print(f"sweeps run here: {sweeper.runs}, failed: {len(sweeper.failures)}"
          + (f" (last: {sweeper.failures[-1]})" if sweeper.failures else ""))
    print(f"workers started: {workers.started}, ended by themselves: {len(workers.exited_by_themselves)} "
          f"(exit codes {sorted(set(workers.exited_by_themselves))})")
    print(f"fake GitHub internal errors: {len(fake.internal_errors)}")
    print(f"plans completed (a PR exists for the issue): {len(outcome.completed)}/{args.plans}")
    duplicates = sum(outcome.duplicates.values())
    print(f"duplicates: {duplicates}" + (f" ({dict(outcome.duplicates)})" if duplicates else ""))
    for line in outcome.details:
        print(f"  {line}")
    for branch, numbers in outcome.shared.items():
        print(f"branch {branch} carries the commits of issues {', '.join(f'#{n}' for n in numbers)}")
    print(f"plans lost (no PR after {elapsed:.0f} s): {len(outcome.lost)}"
          + (f" (issues {', '.join(f'#{n}' for n in outcome.lost)})" if outcome.lost else ""))
    if first_seen and faults.last_at:
        print(f"time from the last fault to the last PR: {max(first_seen.values()) - faults.last_at:.1f} s")
    print(f"plans {len(outcome.completed)}/{args.plans} completed, duplicates {duplicates}, lost {len(outcome.lost)}")


def main() -> None:
    parser = argparse.ArgumentParser(description="Plans through the whole flow under faults.")
    parser.add_argument("--plans", type=int, default=3, help="issues to plan at once")
    parser.add_argument("--kills", type=int, default=1, help="workers to SIGKILL during the fault window")
    parser.add_argument("--drop", type=float, default=0.1, help="share of label deliveries that never arrive")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the fault schedule")
    parser.add_argument("--fault-window", type=float, default=60.0, help="seconds during which faults happen")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds before the run gives up")
    args = parser.parse_args()
    if args.plans < 1 or args.kills < 0 or not 0.0 <= args.drop <= 1.0 or args.fault_window <= 2 or args.timeout <= 0:
        parser.error("--plans ≥ 1, --kills ≥ 0, 0 ≤ --drop ≤ 1, --fault-window > 2 and --timeout > 0")
    logging.basicConfig(level=logging.WARNING)
    raise SystemExit(run(args))


if __name__ == "__main__":
    main()
