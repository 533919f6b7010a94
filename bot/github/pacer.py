"""One pacer per installation, shared by every worker through Redis.

GitHub asks integrators to send mutating requests one at a time, at least a second apart, and to
stop when it says so (`retry-after`, or `x-ratelimit-remaining: 0` until `x-ratelimit-reset`).
The pacer keeps three keys per installation:

- a write lease (SET NX with an expiry): one write of the installation is in flight at a time;
- the time the next write may start: `interval` after the previous write's answer, so writes
  are at least `interval` apart however long a request (or the token fetch inside it) takes;
- the time GitHub told us to wait until: every request, read or write, waits for it.

Reads are not paced otherwise. It plugs into githubkit as the `throttler=` (its
`acquire(request)` runs around every request) and watches every answer through an httpx response
hook (`observe`). Times come from the Redis server's clock, so workers on different machines agree.
"""

from __future__ import annotations

import math
import secrets
import time
from collections.abc import AsyncGenerator, Callable, Generator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import anyio
import httpx
from githubkit.throttling import BaseThrottler
from redis import Redis

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SECONDARY_LIMIT_WAIT = 60.0  # GitHub's advice when a secondary limit gives no retry-after
POLL_MS = 50  # how often a waiting writer looks again while another write is in flight

# KEYS: lease, next write, blocked until. ARGV: lease token, lease ttl ms, poll ms.
# Takes the lease and returns 0, or returns the milliseconds to wait before asking again.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local blocked = tonumber(redis.call('GET', KEYS[3]) or '0')
if blocked > now then return blocked - now end
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then return math.min(ttl, tonumber(ARGV[3])) end
local nxt = tonumber(redis.call('GET', KEYS[2]) or '0')
if nxt > now then return nxt - now end
redis.call('SET', KEYS[1], ARGV[1], 'PX', tonumber(ARGV[2]))
return 0
"""

# KEYS: lease, next write. ARGV: lease token, interval ms.
# Gives the lease back and sets the next write `interval` from now (never earlier than it was).
_RELEASE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
local wanted = now + tonumber(ARGV[2])
if wanted > tonumber(redis.call('GET', KEYS[2]) or '0') then
  redis.call('SET', KEYS[2], wanted, 'PX', tonumber(ARGV[2]) + 60000)
end
return 0
"""

# KEYS: blocked until. Returns the milliseconds left to wait (0 when not blocked).
_BLOCKED = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local until_ms = tonumber(redis.call('GET', KEYS[1]) or '0')
if until_ms > now then return until_ms - now end
return 0
"""

# KEYS: blocked until. ARGV: milliseconds from now. Only ever pushes the time later.
_BLOCK = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local wanted = now + tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if wanted > current then
  redis.call('SET', KEYS[1], wanted, 'PX', tonumber(ARGV[1]) + 60000)
  return wanted - now
end
return current - now
"""


def is_write(request: httpx.Request) -> bool:
    return request.method.upper() not in READ_METHODS


def wait_from_headers(response: httpx.Response, wall_now: float) -> float | None:
    """Seconds GitHub asks every request to wait, read from one answer; None when it asks nothing."""
    headers = response.headers
    retry_after = headers.get("retry-after")
    if retry_after is not None and response.status_code in (403, 429):
        try:
            return max(0.0, float(retry_after))
        except ValueError:
            return SECONDARY_LIMIT_WAIT
    if headers.get("x-ratelimit-remaining") == "0":
        try:
            return max(0.0, float(headers["x-ratelimit-reset"]) - wall_now)
        except (KeyError, ValueError):
            return SECONDARY_LIMIT_WAIT
    if response.status_code in (403, 429) and _mentions_secondary_limit(response):
        return SECONDARY_LIMIT_WAIT
    return None


def _mentions_secondary_limit(response: httpx.Response) -> bool:
    try:
        response.read()
        message = response.json().get("message", "")
    except (ValueError, AttributeError, httpx.HTTPError):
        return False
    return isinstance(message, str) and "secondary rate limit" in message


class RedisPacer(BaseThrottler):
    """Paces one installation's requests across processes; see the module docstring."""

    def __init__(
        self,
        redis: Redis,
        installation_id: int,
        interval: float,
        *,
        prefix: str = "planbot:pacer",
        lease_seconds: float = 120.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.redis = redis
        self.interval_ms = max(0, math.ceil(interval * 1000))
        self.lease_ms = max(100, math.ceil(lease_seconds * 1000))  # a crashed worker's lease expires
        self.lease_key = f"{prefix}:{installation_id}:write-lease"
        self.next_key = f"{prefix}:{installation_id}:next-write"
        self.blocked_key = f"{prefix}:{installation_id}:blocked-until"
        self._sleep = sleep
        self._acquire = redis.register_script(_ACQUIRE)
        self._release = redis.register_script(_RELEASE)
        self._blocked = redis.register_script(_BLOCKED)
        self._block = redis.register_script(_BLOCK)

    # -- what GitHub said ------------------------------------------------------------------

    def block_for(self, seconds: float) -> None:
        """Every request of this installation waits at least `seconds` from now."""
        self._block(keys=[self.blocked_key], args=[max(0, math.ceil(seconds * 1000))])

    def blocked_for(self) -> float:
        """Seconds left before requests may go again (0 when not blocked)."""
        return int(self._blocked(keys=[self.blocked_key])) / 1000

    def observe(self, response: httpx.Response) -> None:
        """The httpx response hook: a rate-limit answer blocks the whole installation."""
        wait = wait_from_headers(response, time.time())
        if wait is not None and wait > 0:
            self.block_for(wait)

    # -- around each request ---------------------------------------------------------------

    def wait_for_block(self) -> None:
        while (blocked := self.blocked_for()) > 0:
            self._sleep(blocked)

    def take_write_turn(self) -> str:
        """Wait for the write lease (after any block and the interval); returns the lease token."""
        token = secrets.token_hex(8)
        keys = [self.lease_key, self.next_key, self.blocked_key]
        while True:
            wait_ms = int(self._acquire(keys=keys, args=[token, self.lease_ms, POLL_MS]))
            if wait_ms <= 0:
                return token
            self._sleep(wait_ms / 1000)

    def end_write_turn(self, token: str) -> None:
        self._release(keys=[self.lease_key, self.next_key], args=[token, self.interval_ms])

    @contextmanager
    def acquire(self, request: httpx.Request) -> Generator[None, Any, Any]:
        if not is_write(request):
            self.wait_for_block()
            yield
            return
        token = self.take_write_turn()
        try:
            yield
        finally:
            self.end_write_turn(token)

    @asynccontextmanager
    async def async_acquire(self, request: httpx.Request) -> AsyncGenerator[None, Any]:
        if not is_write(request):
            await anyio.to_thread.run_sync(self.wait_for_block)
            yield
            return
        token = await anyio.to_thread.run_sync(self.take_write_turn)
        try:
            yield
        finally:
            await anyio.to_thread.run_sync(self.end_write_turn, token)
