"""A real `planbot worker` process outlives a Redis restart: it waits for Redis to answer again
and takes jobs as before, with no process manager to start it anew."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import redis
from rq import Queue, Worker

from bot.cli.worker import wait_for_redis
from tests.conftest import RedisServer
from tests.fakegithub.fixtures import AppKey
from tests.listening import stop_process

ROOT = Path(__file__).resolve().parents[2]
QUEUE = "planbot-restart-test"


def wait(condition: object, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def test_the_worker_takes_jobs_again_after_redis_restarts(tmp_path: Path, app_key: AppKey) -> None:
    server = RedisServer(tmp_path)
    env = {**os.environ, "APP_ID": "1", "PRIVATE_KEY": app_key.private_pem, "WEBHOOK_SECRET": "s",
           "REDIS_URL": server.url, "PLANBOT_QUEUE": QUEUE}
    process = subprocess.Popen([sys.executable, "-m", "bot", "worker", "--name", "survivor"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        client = redis.Redis.from_url(server.url)
        queue = Queue(QUEUE, connection=client)
        wait(lambda: Worker.all(queue=queue), 30, "the worker never registered")
        busy = queue.enqueue("time.sleep", 2)  # Redis goes away while the worker is busy with it
        wait(lambda: busy.get_status(refresh=True) == "started", 30, "the worker never took the job")
        server.stop()  # its data is lost: no persistence
        time.sleep(3)  # the job ends meanwhile; RQ's worker meets the missing Redis and gives up
        assert process.poll() is None, "the worker ended when Redis went away"
        server = RedisServer(tmp_path, port=server.port)

        client = redis.Redis.from_url(server.url)
        queue = Queue(QUEUE, connection=client)
        job = queue.enqueue("operator.add", 2, 3)
        wait(lambda: job.get_status(refresh=True) == "finished", 60, "no job was taken after Redis came back")
        assert job.return_value() == 5 and process.poll() is None
    finally:
        stop_process(process)
        server.stop()


def test_waiting_for_redis_looks_again_ever_less_often() -> None:
    answers = iter([redis.exceptions.ConnectionError("refused")] * 7 + [True])
    slept: list[float] = []

    def ping() -> object:
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    wait_for_redis(ping, sleep=slept.append)

    assert slept == [0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 15.0]
