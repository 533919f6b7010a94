"""A real `planbot worker` process killed with SIGKILL in the middle of a plan: the plan's lock
expires, and the next run finishes the plan without creating anything twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.fakegithub.fixtures import OWNER, REPO
from tests.workers.conftest import Bot, payload
from tests.workers.test_start_plan import label, open_issue

ROOT = Path(__file__).resolve().parents[2]


def test_worker_killed_mid_job(bot: Bot) -> None:
    number = open_issue(bot)
    # The branch is created, then the answer takes 60 s: the worker is killed while it waits.
    bot.fake.slow(rf"/repos/{OWNER}/{REPO}/git/refs", "POST", seconds=60)
    bot.deliver("issues", payload("issues.labeled", issue__number=number))
    worker = subprocess.Popen(
        [sys.executable, "-m", "bot", "worker", "--burst"],
        cwd=ROOT, env={**os.environ, **bot.environment()},
        stdout=subprocess.DEVNULL, stderr=open(os.environ.get("PLANBOT_TEST_WORKER_LOG", os.devnull), "w"),
    )
    try:
        deadline = time.monotonic() + 60
        # the fake creates the branch first, then holds the answer back
        while bot.fake.branch(OWNER, REPO, "001-field-service-work-orders") is None:
            assert time.monotonic() < deadline, "the worker never reached the branch creation"
            assert worker.poll() is None, "the worker ended before it was killed"
            time.sleep(0.05)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert bot.fake.branch(OWNER, REPO, "001-field-service-work-orders") is not None
    assert not [c for c in bot.fake.comments(OWNER, REPO, number) if "<!-- planbot:td" in c.body]

    label(bot, number)  # the next delivery's job waits for the dead worker's lock to expire, then finishes

    found = [line for c in bot.fake.comments(OWNER, REPO, number) for line in c.body.splitlines()
             if line.startswith("<!-- planbot:") and not line.startswith("<!-- planbot:state")]
    assert len(found) == len(set(found)), "a comment was posted twice"
    assert any("planbot:td" in line for line in found)
    assert len(bot.fake.history(OWNER, REPO, "001-field-service-work-orders")) == \
        len(bot.fake.history(OWNER, REPO, "main")) + 1
