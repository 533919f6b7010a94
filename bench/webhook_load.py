"""Acknowledgement latency of the webhook endpoint under load, against a bare FastAPI endpoint.

    python bench/webhook_load.py [-n 2000] [-c 20] [--enqueue-share 0.1] [--url URL --secret S]

Starts a throw-away redis-server and `planbot serve` (uvicorn, one process) on free ports with test
settings, unless `--url` names a running planbot; and, in the same run, a bare FastAPI endpoint
served the same way that reads the body and answers 202. Both get the same N signed deliveries at
concurrency C (httpx): mostly deliveries planbot answers at once (ping, issues.opened, a label other
than the trigger, a plain comment), plus a share of trigger-label deliveries that enqueue a job.
Prints p50 and p99 latency and requests/s for both, and the ratios. Stops and cleans up by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.web.headers import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, WEBHOOK_PATH  # noqa: E402
from bot.web.signature import sign  # noqa: E402
from tests.conftest import RedisServer  # noqa: E402
from tests.fakegithub.fixtures import make_app_key  # noqa: E402
from tests.listening import free_port, stop_process  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "webhooks"
QUEUE = "planbot-bench"
WARM_UP = 200
START_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class Delivery:
    kind: str  # what planbot should do with it: "ignored" or "enqueued"
    event: str
    body: bytes
    delivery_id: str

    def headers(self, secret: bytes) -> dict[str, str]:
        return {
            "Content-Type": "application/json",
            EVENT_HEADER: self.event,
            DELIVERY_HEADER: self.delivery_id,
            SIGNATURE_HEADER: sign(self.body, secret),
        }


@dataclass
class Run:
    name: str
    seconds: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=dict)  # by delivery kind
    statuses: dict[int, int] = field(default_factory=dict)

    def all_latencies(self) -> list[float]:
        return [value for values in self.latencies.values() for value in values]

    @property
    def requests(self) -> int:
        return len(self.all_latencies())


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def load(name: str) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return payload


def build_deliveries(count: int, enqueue_share: float, seed: int = 7) -> list[Delivery]:
    """`count` deliveries, `enqueue_share` of them trigger-label ones, each with a fresh id."""
    labeled, closed = load("issues.labeled"), load("issues.closed")
    unwanted: list[tuple[str, dict[str, Any]]] = [
        ("ping", load("ping")),
        ("issues", labeled | {"action": "opened"}),
        ("issues", closed | {"issue": closed["issue"] | {"labels": []}}),  # an issue without labels: no plan
        (
            "issue_comment",
            load("issue_comment.created") | {"comment": {"id": 1, "body": "LGTM", "user": {"login": "octocat"}}},
        ),
    ]
    unwanted_bodies = [(event, json.dumps(payload).encode()) for event, payload in unwanted]
    trigger = json.dumps(labeled).encode()
    rng = random.Random(seed)
    deliveries = []
    for _ in range(count):
        delivery_id = str(uuid.uuid4())
        if rng.random() < enqueue_share:
            deliveries.append(Delivery("enqueued", "issues", trigger, delivery_id))
        else:
            event, body = rng.choice(unwanted_bodies)
            deliveries.append(Delivery("ignored", event, body, delivery_id))
    return deliveries


async def send_all(url: str, deliveries: list[Delivery], secret: bytes, concurrency: int, run: Run | None) -> None:
    """Post every delivery, `concurrency` at a time; record latencies in `run` (None: warm-up).

    Each of the `concurrency` senders has a client with one keep-alive connection of its own:
    a shared pool costs the sender more than the server's whole answer.
    """
    pending = iter(deliveries)
    signed = {delivery.delivery_id: delivery.headers(secret) for delivery in deliveries}

    async def sender() -> None:
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(limits=limits, timeout=30.0) as client:
            for delivery in pending:
                started = time.perf_counter()
                response = await client.post(url, content=delivery.body, headers=signed[delivery.delivery_id])
                elapsed = time.perf_counter() - started
                if run is not None:
                    run.latencies.setdefault(delivery.kind, []).append(elapsed)
                    run.statuses[response.status_code] = run.statuses.get(response.status_code, 0) + 1

    started = time.perf_counter()
    await asyncio.gather(*(sender() for _ in range(concurrency)))
    if run is not None:
        run.seconds += time.perf_counter() - started


def wait_until_up(base: str, process: subprocess.Popen[bytes] | None, log: Path | None) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise SystemExit(f"server at {base} exited: {log.read_text() if log else ''}")
        try:
            if httpx.get(f"{base}/healthz", timeout=0.5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"server at {base} did not come up in {START_TIMEOUT_SECONDS:.0f} s")


@contextmanager
def process(args: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        proc = subprocess.Popen(args, env=env, cwd=log.parent, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield proc
    finally:
        stop_process(proc)


def start_redis(stack: ExitStack, workdir: Path) -> str:
    try:
        server = RedisServer(workdir)
    except RuntimeError as exc:
        raise SystemExit(str(exc)) from None
    stack.callback(server.stop)
    return server.url


def start_planbot(stack: ExitStack, workdir: Path, redis_url: str, secret: str, log_level: str) -> str:
    port = free_port()
    env = dict(os.environ) | {
        "APP_ID": "1",
        "PRIVATE_KEY": make_app_key().private_pem,
        "WEBHOOK_SECRET": secret,
        "REDIS_URL": redis_url,
        "PLANBOT_QUEUE": QUEUE,
        "PLANBOT_LOG_LEVEL": log_level,
        "PYTHONPATH": str(ROOT),
    }
    env.pop("PRIVATE_KEY_PATH", None)
    log = workdir / "planbot.log"
    proc = stack.enter_context(process([sys.executable, "-m", "bot", "serve", "--port", str(port)], env, log))
    base = f"http://127.0.0.1:{port}"
    wait_until_up(base, proc, log)
    return base


def start_bare(stack: ExitStack, workdir: Path) -> str:
    port = free_port()
    log = workdir / "bare.log"
    args = [sys.executable, str(Path(__file__).resolve()), "--bare-server", str(port)]
    proc = stack.enter_context(process(args, dict(os.environ), log))
    base = f"http://127.0.0.1:{port}"
    wait_until_up(base, proc, log)
    return base


def serve_bare(port: int) -> None:
    """The reference: a FastAPI endpoint on the same path that reads the body and answers 202."""
    import uvicorn
    from fastapi import FastAPI, Request
    from fastapi.responses import JSONResponse

    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/healthz")
    async def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    @app.post(WEBHOOK_PATH)
    async def receive(request: Request) -> JSONResponse:
        await request.body()
        return JSONResponse({"status": "ignored"}, status_code=202)

    uvicorn.run(app, host="127.0.0.1", port=port, log_config=None, access_log=False)


def report(planbot: Run, bare: Run, concurrency: int) -> None:
    print(f"{'endpoint':<18} {'requests':>8} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8}")
    rows: list[tuple[str, list[float], float | None]] = [
        ("planbot", planbot.all_latencies(), planbot.seconds),
        ("bare", bare.all_latencies(), bare.seconds),
    ]
    rows += [(f"  planbot {kind}", values, None) for kind, values in sorted(planbot.latencies.items())]
    for name, values, seconds in rows:
        rate = f"{len(values) / seconds:>8.0f}" if seconds else ""
        print(
            f"{name:<18} {len(values):>8} {percentile(values, 0.5) * 1000:>8.2f} "
            f"{percentile(values, 0.99) * 1000:>8.2f} {rate}"
        )
    ours, theirs = planbot.all_latencies(), bare.all_latencies()
    p50 = percentile(ours, 0.5) / percentile(theirs, 0.5)
    p99 = percentile(ours, 0.99) / percentile(theirs, 0.99)
    throughput = (len(ours) / planbot.seconds) / (len(theirs) / bare.seconds)
    added = (statistics.median(ours) - statistics.median(theirs)) * 1000
    print(f"planbot / bare at concurrency {concurrency}: p50 x{p50:.2f}, p99 x{p99:.2f}, req/s x{throughput:.2f}")
    print(f"planbot adds {added:.2f} ms at the median; its answers: {dict(sorted(planbot.statuses.items()))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--requests", type=int, default=2000, help="deliveries per endpoint")
    parser.add_argument("-c", "--concurrency", type=int, default=20)
    parser.add_argument("--enqueue-share", type=float, default=0.1, help="share of trigger-label deliveries")
    parser.add_argument("--rounds", type=int, default=4, help="alternate the two endpoints this many times")
    parser.add_argument("--url", help="a running planbot's webhook URL (default: start one)")
    parser.add_argument("--secret", default=os.environ.get("WEBHOOK_SECRET"), help="its webhook secret (with --url)")
    parser.add_argument("--log-level", default="INFO", help="the started planbot's log level")
    parser.add_argument("--bare-server", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_server:
        serve_bare(args.bare_server)
        return
    if min(args.requests, args.concurrency, args.rounds) < 1 or not 0 <= args.enqueue_share <= 1:
        parser.error("-n, -c and --rounds must be at least 1, --enqueue-share between 0 and 1")
    if args.url and not args.secret:
        parser.error("--url needs --secret (or WEBHOOK_SECRET)")

    secret = args.secret if args.url else uuid.uuid4().hex
    deliveries = build_deliveries(args.requests, args.enqueue_share)
    warm_up = build_deliveries(WARM_UP, 0.0, seed=1)
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="planbot-bench-")))
        redis_url = None
        if args.url:
            planbot_url = args.url
        else:
            redis_url = start_redis(stack, workdir)
            planbot_url = start_planbot(stack, workdir, redis_url, secret, args.log_level) + WEBHOOK_PATH
        bare_url = start_bare(stack, workdir) + WEBHOOK_PATH

        targets = {"planbot": planbot_url, "bare": bare_url}
        runs = {name: Run(name) for name in targets}
        for url in targets.values():
            asyncio.run(send_all(url, warm_up, secret.encode(), args.concurrency, None))
        # Interleave the two in rounds (ABBA…) so that a busy moment on the machine falls on both.
        share = -(-len(deliveries) // args.rounds)
        for number, start in enumerate(range(0, len(deliveries), share)):
            order = list(targets) if number % 2 == 0 else list(reversed(targets))
            for name in order:
                asyncio.run(
                    send_all(
                        targets[name], deliveries[start : start + share], secret.encode(), args.concurrency, runs[name]
                    )
                )
        report(runs["planbot"], runs["bare"], args.concurrency)

        if redis_url is not None:
            import redis
            from rq import Queue

            client = redis.Redis.from_url(redis_url)
            queued = Queue(QUEUE, connection=client).count
            client.close()
            expected = sum(1 for d in deliveries if d.kind == "enqueued")
            print(f"jobs queued: {queued} (expected {expected})")
            if queued != expected or set(runs["planbot"].statuses) != {202}:
                raise SystemExit("planbot did not answer every delivery as expected")


if __name__ == "__main__":
    main()
